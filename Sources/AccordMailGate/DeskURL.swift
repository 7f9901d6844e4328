/// The desk's address as `--url` gives it: `http://host[:port][/path]` or `https://…`, the host a
/// name, an IPv4 address or a bracketed IPv6 address.
public struct DeskURL: Sendable, Equatable {
    public let secure: Bool
    public let host: String
    public let port: Int
    /// The path the desk is mounted under, without a trailing slash ("" at the root).
    public let path: String

    /// Nil for anything but an http(s) URL with a host and, if given, a port of 1 to 65535.
    public init?(_ text: String) {
        let rest: Substring
        if text.hasPrefix("http://") {
            secure = false
            rest = text.dropFirst(7)
        } else if text.hasPrefix("https://") {
            secure = true
            rest = text.dropFirst(8)
        } else {
            return nil
        }
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let after = rest.dropFirst(authority.count)
        // No user, query or fragment: a desk's base URL names a host and at most a path.
        guard !after.contains("?") && !after.contains("#"), !authority.contains("@") else { return nil }
        var path = String(after)
        while path.hasSuffix("/") { path.removeLast() }
        self.path = path
        var hostPart = authority
        var portText: Substring?
        if authority.first == "[" {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let tail = authority[authority.index(after: close)...]
            if !tail.isEmpty {
                guard tail.first == ":" else { return nil }
                portText = tail.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            hostPart = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        }
        guard !hostPart.isEmpty, hostPart.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else { return nil }
        host = String(hostPart)
        if let portText {
            guard let port = Int(portText), (1...65535).contains(port) else { return nil }
            self.port = port
        } else {
            port = secure ? 443 : 80
        }
    }

    /// `host` as a Host field writes it (IPv6 in brackets, the port when not the scheme's own).
    public var hostField: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == (secure ? 443 : 80) ? name : "\(name):\(port)"
    }
}
