/// Quoted-printable (RFC 2045 §6.7) as mail carries it, damage and all: `=XY` in either case is
/// the byte, `=` at a line's end (white space after it allowed) is a soft break, `==` is one `=`,
/// and an `=` that begins none of these is kept as it is, as Python's `binascii.a2b_qp` and mail
/// readers do. Never fails.
public enum QuotedPrintable {
    public static func decode(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        let end = bytes.endIndex
        while index < end {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "=") else {
                out.append(byte)
                index += 1
                continue
            }
            var after = index + 1
            if after >= end { break }   // a lone '=' at the very end: a soft break into nothing
            if index + 2 < end, let high = HexDigit.value(bytes[index + 1]), let low = HexDigit.value(bytes[index + 2]) {
                out.append(high << 4 | low)
                index += 3
                continue
            }
            if bytes[after] == UInt8(ascii: "=") {
                // "==": one '=' (what a broken encoder wrote for '='), as binascii reads it.
                out.append(byte)
                index += 2
                continue
            }
            // A soft break: '=', optional white space, then CRLF or LF (or the end).
            while after < end, bytes[after] == 0x20 || bytes[after] == 0x09 { after += 1 }
            if after == end {
                index = end
            } else if bytes[after] == 0x0A {
                index = after + 1
            } else if bytes[after] == 0x0D {
                index = after + 1
                if index < end, bytes[index] == 0x0A { index += 1 }
            } else {
                out.append(byte)
                index += 1
            }
        }
        return out
    }
}
