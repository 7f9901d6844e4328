/// uuencoded content (`Content-Transfer-Encoding: x-uuencode`): the lines between `begin MODE
/// NAME` and `end`, each led by a length character. Damaged lines give what they hold; content
/// without a `begin` line is read from its first line. Never fails.
public enum UUEncoding {
    public struct Decoded: Sendable, Equatable {
        public let bytes: [UInt8]
        /// The file name of the `begin` line, if any.
        public let name: String?
    }

    public static func decode(_ content: ArraySlice<UInt8>) -> Decoded {
        var out: [UInt8] = []
        var name: String?
        var started = false
        var index = content.startIndex
        while index < content.endIndex {
            var lineEnd = index
            while lineEnd < content.endIndex, content[lineEnd] != 0x0A { lineEnd += 1 }
            var line = content[index..<lineEnd]
            index = lineEnd < content.endIndex ? lineEnd + 1 : lineEnd
            if line.last == 0x0D { line = line.dropLast() }
            if !started {
                if line.starts(with: Array("begin ".utf8)) {
                    started = true
                    // begin MODE NAME
                    let words = String(decoding: line, as: UTF8.self).split(separator: " ", maxSplits: 2)
                    if words.count == 3 { name = String(words[2]) }
                    continue
                }
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                started = true
            }
            if line.starts(with: Array("end".utf8)) { break }
            guard let first = line.first else { continue }
            let count = Int((first &- 0x20) & 0x3F)
            if count == 0 { continue }
            var decoded: [UInt8] = []
            var group: UInt32 = 0
            var held = 0
            for byte in line.dropFirst() {
                guard byte >= 0x20, byte <= 0x60 else { break }
                group = group << 6 | UInt32((byte &- 0x20) & 0x3F)
                held += 1
                if held == 4 {
                    decoded += [UInt8(group >> 16 & 0xFF), UInt8(group >> 8 & 0xFF), UInt8(group & 0xFF)]
                    group = 0
                    held = 0
                }
            }
            if held >= 2 {
                group <<= UInt32(6 * (4 - held))
                decoded += [UInt8(group >> 16 & 0xFF), UInt8(group >> 8 & 0xFF), UInt8(group & 0xFF)][0..<(held - 1)]
            }
            out += decoded.prefix(count)
        }
        return Decoded(bytes: out, name: name)
    }
}
