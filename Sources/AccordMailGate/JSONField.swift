/// Reads one string member of a JSON object — all the gateway needs of the desk's problem
/// answers — without a JSON library.
enum JSONField {
    /// The value of the first member `name` whose value is a string; nil when there is none or the
    /// text is not well-formed there.
    static func string(_ name: String, in bytes: [UInt8]) -> String? {
        let key = Array("\"\(name)\"".utf8)
        var index = 0
        while index + key.count <= bytes.count {
            guard bytes[index..<index + key.count].elementsEqual(key) else {
                index += 1
                continue
            }
            var cursor = index + key.count
            while cursor < bytes.count, Self.isSpace(bytes[cursor]) { cursor += 1 }
            guard cursor < bytes.count, bytes[cursor] == 0x3A else { index += 1; continue }
            cursor += 1
            while cursor < bytes.count, Self.isSpace(bytes[cursor]) { cursor += 1 }
            guard cursor < bytes.count, bytes[cursor] == 0x22 else { index += 1; continue }
            return Self.decodeString(bytes, from: cursor + 1)
        }
        return nil
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// The string starting after its opening quote, escapes decoded.
    private static func decodeString(_ bytes: [UInt8], from start: Int) -> String? {
        var scalars = String.UnicodeScalarView()
        var raw: [UInt8] = []
        var index = start
        func flush() {
            scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
            raw.removeAll()
        }
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case 0x22:
                flush()
                return String(scalars)
            case 0x5C:
                guard index < bytes.count else { return nil }
                let escape = bytes[index]
                index += 1
                flush()
                switch escape {
                case 0x22, 0x5C, 0x2F: scalars.append(Unicode.Scalar(escape))
                case 0x62: scalars.append("\u{08}")
                case 0x66: scalars.append("\u{0C}")
                case 0x6E: scalars.append("\n")
                case 0x72: scalars.append("\r")
                case 0x74: scalars.append("\t")
                case 0x75:
                    guard let unit = hex(bytes, at: index) else { return nil }
                    index += 4
                    var value = UInt32(unit)
                    if (0xD800..<0xDC00).contains(unit), index + 6 <= bytes.count, bytes[index] == 0x5C, bytes[index + 1] == 0x75,
                       let low = hex(bytes, at: index + 2), (0xDC00..<0xE000).contains(low) {
                        value = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                        index += 6
                    }
                    scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
                default: return nil
                }
            default:
                raw.append(byte)
            }
        }
        return nil
    }

    private static func hex(_ bytes: [UInt8], at index: Int) -> UInt16? {
        guard index + 4 <= bytes.count else { return nil }
        var value: UInt16 = 0
        for byte in bytes[index..<index + 4] {
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x41...0x46: digit = byte - 0x37
            case 0x61...0x66: digit = byte - 0x57
            default: return nil
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }
}
