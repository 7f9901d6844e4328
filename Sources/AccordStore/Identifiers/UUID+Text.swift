import Foundation

extension UUID {
    /// `uuidString` — upper-case hex in 8-4-4-4-12 groups, as SQLite stores ids — written by table
    /// lookup: Foundation formats it through `snprintf`, which was 5 % of the CPU of an import.
    var text: String {
        let hex: StaticString = "0123456789ABCDEF"
        return withUnsafeBytes(of: uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { buffer in
                hex.withUTF8Buffer { digits in
                    var index = 0
                    for (position, byte) in bytes.enumerated() {
                        if position == 4 || position == 6 || position == 8 || position == 10 {
                            buffer[index] = UInt8(ascii: "-")
                            index += 1
                        }
                        buffer[index] = digits[Int(byte >> 4)]
                        buffer[index + 1] = digits[Int(byte & 0x0F)]
                        index += 2
                    }
                }
                return 36
            }
        }
    }
}
