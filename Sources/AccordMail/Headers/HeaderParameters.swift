/// A structured header's value and its parameters — `Content-Type: text/plain; charset="utf-8"`,
/// `Content-Disposition: attachment; filename*=UTF-8''%E6%97%A5.pdf` — as RFC 2045 and RFC 2231
/// write them: names without case, quoted strings with their backslash escapes, RFC 2231's
/// continuations (`name*0`, `name*1*`) joined and its charsets and percent escapes read, and RFC
/// 2047 encoded words inside a quoted value (how most mailers still write a non-ASCII file name)
/// decoded. Never throws: what cannot be read is left as sent.
public struct HeaderParameters: Sendable, Equatable {
    /// The value before the first `;`, white space trimmed, as sent.
    public let value: String
    /// Parameters by lower-cased name; the first of a repeated name wins.
    public let parameters: [String: String]

    public init(parsing header: String) {
        let bytes = Array(header.utf8)
        var index = 0
        while index < bytes.count, bytes[index] != UInt8(ascii: ";") { index += 1 }
        value = Self.trimmed(bytes[0..<index])
        var plain: [String: String] = [:]
        /// RFC 2231 pieces: name → [(section, encoded, text)].
        var sections: [String: [(section: Int, encoded: Bool, text: String)]] = [:]
        while index < bytes.count {
            index += 1  // past ';'
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0D || bytes[index] == 0x0A { index += 1 }
            let keyStart = index
            while index < bytes.count, bytes[index] != UInt8(ascii: "="), bytes[index] != UInt8(ascii: ";") { index += 1 }
            let key = Self.trimmed(bytes[keyStart..<index]).lowercased()
            var text: [UInt8] = []
            if index < bytes.count, bytes[index] == UInt8(ascii: "=") {
                index += 1
                while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
                if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
                    index += 1
                    while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                        if bytes[index] == UInt8(ascii: "\\"), index + 1 < bytes.count { index += 1 }
                        text.append(bytes[index])
                        index += 1
                    }
                    // Past the closing quote, then anything up to the next ';' is dropped.
                    while index < bytes.count, bytes[index] != UInt8(ascii: ";") { index += 1 }
                } else {
                    let start = index
                    while index < bytes.count, bytes[index] != UInt8(ascii: ";") { index += 1 }
                    text = Array(Self.trimmed(bytes[start..<index]).utf8)
                }
            }
            guard !key.isEmpty else { continue }
            let string = String(decoding: text, as: UTF8.self)
            if let star = key.firstIndex(of: "*") {
                // RFC 2231: name*, name*N, name*N*.
                let base = String(key[..<star])
                let rest = key[key.index(after: star)...]
                if rest.isEmpty {
                    sections[base, default: []].append((0, true, string))
                } else {
                    let encoded = rest.hasSuffix("*")
                    let number = encoded ? rest.dropLast() : rest
                    if let section = Int(number), section >= 0, section < 1000 {
                        sections[base, default: []].append((section, encoded, string))
                    }
                }
            } else if plain[key] == nil {
                plain[key] = string
            }
        }
        var parameters = plain.mapValues { value -> String in
            value.contains("=?") ? EncodedWords.decode(value) : value
        }
        for (name, pieces) in sections {
            let ordered = pieces.sorted { $0.section < $1.section }
            var charset: String?
            var joined: [UInt8] = []
            for (offset, piece) in ordered.enumerated() {
                guard piece.encoded else {
                    joined += Array(piece.text.utf8)
                    continue
                }
                var text = Substring(piece.text)
                if offset == 0 {
                    // charset'language'text
                    let parts = text.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                    if parts.count == 3 {
                        charset = parts[0].isEmpty ? nil : String(parts[0])
                        text = parts[2]
                    }
                }
                joined += Self.percentDecoded(Array(text.utf8))
            }
            // RFC 2231's form wins over a plain parameter of the same name.
            parameters[name] = Charsets.decode(joined, charset: charset ?? "utf-8").text
        }
        self.parameters = parameters
    }

    public subscript(_ name: String) -> String? { parameters[name.lowercased()] }

    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> String {
        var slice = bytes
        while let first = slice.first, first == 0x20 || first == 0x09 || first == 0x0D || first == 0x0A { slice = slice.dropFirst() }
        while let last = slice.last, last == 0x20 || last == 0x09 || last == 0x0D || last == 0x0A { slice = slice.dropLast() }
        return String(decoding: slice, as: UTF8.self)
    }

    private static func percentDecoded(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
               let high = HexDigit.value(bytes[index + 1]), let low = HexDigit.value(bytes[index + 2]) {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return out
    }
}
