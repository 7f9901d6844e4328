/// Base64 as mail carries it, damage and all: characters outside the alphabet (line breaks,
/// spaces, stray punctuation) are skipped, missing padding is supplied, and a last incomplete
/// group gives the bytes it holds. Never fails.
public enum Base64Lenient {
    public static func decode<Bytes: Sequence<UInt8>>(_ text: Bytes) -> [UInt8] {
        var out: [UInt8] = []
        var group: UInt32 = 0
        var count = 0
        for byte in text {
            let value: UInt32
            switch byte {
            case 0x41...0x5A: value = UInt32(byte - 0x41)
            case 0x61...0x7A: value = UInt32(byte - 0x61 + 26)
            case 0x30...0x39: value = UInt32(byte - 0x30 + 52)
            case 0x2B, 0x2D: value = 62  // + (and - of the URL alphabet)
            case 0x2F, 0x5F: value = 63  // / (and _)
            case 0x3D:
                // Padding ends the group early.
                continue
            default:
                continue
            }
            group = group << 6 | value
            count += 1
            if count == 4 {
                out.append(UInt8(group >> 16 & 0xFF))
                out.append(UInt8(group >> 8 & 0xFF))
                out.append(UInt8(group & 0xFF))
                group = 0
                count = 0
            }
        }
        switch count {
        case 2: out.append(UInt8(group >> 4 & 0xFF))
        case 3:
            out.append(UInt8(group >> 10 & 0xFF))
            out.append(UInt8(group >> 2 & 0xFF))
        default: break
        }
        return out
    }
}
