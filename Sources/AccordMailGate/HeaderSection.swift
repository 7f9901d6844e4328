/// The header section of a raw RFC 5322 message, read only as far as a delivery needs it: the
/// topmost field of a name, unfolded. Line ends may be CRLF or LF (a pipe delivers LF).
struct HeaderSection {
    /// The bytes before the first empty line (or the whole message when it has none).
    let bytes: ArraySlice<UInt8>

    init(of message: [UInt8]) {
        var index = message.startIndex
        var lineStart = index
        while index < message.endIndex {
            if message[index] == 0x0A {
                let line = message[lineStart..<index]
                if line.isEmpty || line == [0x0D] {
                    bytes = message[..<lineStart]
                    return
                }
                lineStart = index + 1
            }
            index += 1
        }
        bytes = message[...]
    }

    /// The value of the first field named `name` (compared without regard to case), its folded
    /// lines joined, trimmed; nil when there is none.
    func first(_ name: String) -> String? {
        let wanted = Array(name.lowercased().utf8)
        var lines: [ArraySlice<UInt8>] = []
        var start = bytes.startIndex
        for index in bytes.indices where bytes[index] == 0x0A {
            lines.append(bytes[start..<index])
            start = index + 1
        }
        if start < bytes.endIndex { lines.append(bytes[start...]) }
        var index = 0
        while index < lines.count {
            let line = lines[index]
            index += 1
            guard let colon = line.firstIndex(of: 0x3A), line.index(line.startIndex, offsetBy: wanted.count) == colon,
                  zip(line[..<colon], wanted).allSatisfy({ Self.lowercased($0) == $1 }) else { continue }
            var value = Array(line[(colon + 1)...])
            // Folded continuation lines start with a space or a tab, which they keep.
            while index < lines.count, let first = lines[index].first, first == 0x20 || first == 0x09 {
                value.append(contentsOf: lines[index])
                index += 1
            }
            return String(decoding: value, as: UTF8.self).split(whereSeparator: { $0 == "\r" || $0 == "\n" }).joined()
                .trimmingWhitespace()
        }
        return nil
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (0x41...0x5A).contains(byte) ? byte + 0x20 : byte
    }
}

extension StringProtocol {
    /// Without the spaces and tabs at either end.
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
