import Foundation

/// Where webhooks may be delivered: public addresses, and the networks an operator allows
/// explicitly. Loopback, private, link-local, shared (CGNAT), multicast and reserved addresses are
/// refused by default — a webhook URL is chosen by an administrator over the API, and must not turn
/// the desk into a proxy into its own network (server-side request forgery). A host name is resolved
/// and every address it resolves to must pass, when the webhook is added and again before each
/// delivery, so a name that later resolves to an internal address (DNS rebinding) is refused then.
public struct WebhookNetworks: Sendable, Equatable {
    /// A network in CIDR notation: `10.0.0.0/8`, `fd00::/8`, `127.0.0.1/32`.
    public struct Network: Sendable, Equatable, CustomStringConvertible {
        let address: [UInt8]
        let prefix: Int
        public let description: String

        public init?(_ text: String) {
            let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
            guard let address = WebhookNetworks.bytes(of: parts[0]) else { return nil }
            let bits = address.count * 8
            let prefix = parts.count == 2 ? Int(parts[1]) : bits
            guard let prefix, (0...bits).contains(prefix) else { return nil }
            self.address = address
            self.prefix = prefix
            description = text
        }

        func contains(_ other: [UInt8]) -> Bool {
            guard other.count == address.count else { return false }
            var remaining = prefix
            for (a, b) in zip(address, other) where remaining > 0 {
                let mask: UInt8 = remaining >= 8 ? 0xFF : ~(0xFF >> UInt8(remaining))
                if a & mask != b & mask { return false }
                remaining -= 8
            }
            return true
        }
    }

    /// Networks allowed besides the public internet.
    public var allowed: [Network]

    public init(allowing allowed: [Network] = []) {
        self.allowed = allowed
    }

    /// The networks given as CIDR texts; nil names the first that is not one.
    public static func parse(_ texts: [String]) -> Result<WebhookNetworks, WebhookSubscription.Invalid> {
        var networks: [Network] = []
        for text in texts {
            guard let network = Network(text) else {
                return .failure(.init(field: "allow-network", message: "'\(text)' is not a network in CIDR notation, such as 10.1.0.0/16 or fd00::/8"))
            }
            networks.append(network)
        }
        return .success(WebhookNetworks(allowing: networks))
    }

    /// Addresses no webhook goes to unless allowed.
    static let refused: [Network] = [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
        "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
        "::/128", "::1/128", "fc00::/7", "fe80::/10", "ff00::/8",
    ].compactMap(Network.init)

    /// Why `host` may not be delivered to, or nil when it may: every address it resolves to must be
    /// public or inside an allowed network. A name that resolves to nothing is refused only when
    /// `unresolvable` says so (at delivery; a webhook may be added before its name is in DNS).
    public func refusal(host: String, refusingUnresolvable unresolvable: Bool = true) -> String? {
        let name = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let addresses = Self.resolve(name)
        guard !addresses.isEmpty else { return unresolvable ? "\(host) does not resolve to an address" : nil }
        for address in addresses {
            // An IPv4 address mapped into IPv6 is judged as the IPv4 address.
            let judged = address.count == 16 && address[0..<10].allSatisfy { $0 == 0 } && address[10] == 0xFF && address[11] == 0xFF
                ? Array(address[12...]) : address
            if allowed.contains(where: { $0.contains(judged) }) { continue }
            if let network = Self.refused.first(where: { $0.contains(judged) }) {
                return "\(host) resolves to \(Self.text(of: judged)), in \(network) (loopback, private or reserved): webhooks go to public addresses unless an operator allows the network (accord serve --webhook-allow-network \(network))"
            }
        }
        return nil
    }

    /// The address bytes of an IP literal (4 or 16), or nil.
    static func bytes(of text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }

    static func text(of bytes: [UInt8]) -> String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = bytes.count == 4 ? AF_INET : AF_INET6
        _ = bytes.withUnsafeBytes { inet_ntop(family, $0.baseAddress, &buffer, socklen_t(buffer.count)) }
        let length = buffer.firstIndex(of: 0) ?? buffer.count
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Every address `host` resolves to (an IP literal is itself).
    static func resolve(_ host: String) -> [[UInt8]] {
        if let literal = bytes(of: host) { return [literal] }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else { return [] }
        defer { freeaddrinfo(first) }
        var addresses: [[UInt8]] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            if let socket = info.pointee.ai_addr {
                switch Int32(info.pointee.ai_family) {
                case AF_INET:
                    var address = socket.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                    addresses.append(withUnsafeBytes(of: &address) { Array($0) })
                case AF_INET6:
                    var address = socket.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                    addresses.append(withUnsafeBytes(of: &address) { Array($0) })
                default:
                    break
                }
            }
            cursor = info.pointee.ai_next
        }
        return addresses
    }
}
