import Foundation

extension UUID {
    /// `uuidString` — upper-case hex in 8-4-4-4-12 groups, as SQLite stores ids — written by table
    /// lookup: Foundation formats it through `snprintf`, which was 5 % of the CPU of an import.
    var text: String { hex(digits: "0123456789ABCDEF", dashes: true) }

    /// The 32 lower-case hex digits alone (`uuidString.lowercased()` without its dashes): a token
    /// a full-text index keeps whole.
    var compactHex: String { hex(digits: "0123456789abcdef", dashes: false) }

    private func hex(digits: StaticString, dashes: Bool) -> String {
        withUnsafeBytes(of: uuid) { bytes in
            String(unsafeUninitializedCapacity: dashes ? 36 : 32) { buffer in
                digits.withUTF8Buffer { digits in
                    var index = 0
                    for (position, byte) in bytes.enumerated() {
                        if dashes, position == 4 || position == 6 || position == 8 || position == 10 {
                            buffer[index] = UInt8(ascii: "-")
                            index += 1
                        }
                        buffer[index] = digits[Int(byte >> 4)]
                        buffer[index + 1] = digits[Int(byte & 0x0F)]
                        index += 2
                    }
                    return index
                }
            }
        }
    }
}
