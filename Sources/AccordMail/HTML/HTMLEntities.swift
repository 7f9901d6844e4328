/// Character references in HTML text (`&amp;`, `&eacute;`, `&#233;`, `&#xE9;`) read as the HTML
/// standard reads them — every named reference it defines, the legacy ones without `;`, numeric
/// ones in the C1 range as Windows-1252, surrogates and out-of-range numbers as U+FFFD — matching
/// Python's `html.unescape` (the table is generated from Python's, see `Generation/`).
enum HTMLEntities {
    static func decode(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "&")) else { return text }
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "&"), index + 1 < bytes.count else {
                out.append(bytes[index])
                index += 1
                continue
            }
            if let (replacement, end) = reference(bytes, at: index) {
                out += Array(replacement.utf8)
                index = end
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The text of the reference at `start` (an '&') and where it ends.
    private static func reference(_ bytes: [UInt8], at start: Int) -> (String, Int)? {
        var index = start + 1
        if bytes[index] == UInt8(ascii: "#") {
            index += 1
            let hex = index < bytes.count && (bytes[index] == UInt8(ascii: "x") || bytes[index] == UInt8(ascii: "X"))
            if hex { index += 1 }
            let digitsStart = index
            var value: UInt64 = 0
            while index < bytes.count, let digit = hex ? HexDigit.value(bytes[index]) : (0x30...0x39).contains(bytes[index]) ? bytes[index] - 0x30 : nil {
                value = min(value * (hex ? 16 : 10) + UInt64(digit), 0x11_0000)
                index += 1
            }
            guard index > digitsStart else { return nil }
            if index < bytes.count, bytes[index] == UInt8(ascii: ";") { index += 1 }
            let number = UInt32(value)
            if let replaced = replacedNumbers[number] { return (replaced, index) }
            if (0xD800...0xDFFF).contains(number) || number > 0x10FFFF { return ("\u{FFFD}", index) }
            if droppedNumbers.contains(number) { return ("", index) }
            return (String(Character(Unicode.Scalar(number)!)), index)
        }
        // A name: up to 32 characters other than white space, '<', '&', '#', ';', then maybe ';'.
        let nameStart = index
        while index < bytes.count, index - nameStart < 32, ![0x09, 0x0A, 0x0C, 0x20, 0x3C, 0x26, 0x23, 0x3B].contains(bytes[index]) { index += 1 }
        guard index > nameStart else { return nil }
        if index < bytes.count, bytes[index] == UInt8(ascii: ";") { index += 1 }
        let name = String(decoding: bytes[nameStart..<index], as: UTF8.self)
        if let text = table[name] { return (text, index) }
        // The longest known name the text starts with (legacy names may omit ';').
        let nameBytes = Array(bytes[nameStart..<index])
        var length = nameBytes.count - 1
        while length > 1 {
            if let text = table[String(decoding: nameBytes[0..<length], as: UTF8.self)] {
                return (text, nameStart + length)
            }
            length -= 1
        }
        return nil
    }
}
