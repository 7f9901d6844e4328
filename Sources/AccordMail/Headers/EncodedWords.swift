import Foundation

/// RFC 2047 encoded words in a header's text — `=?iso-8859-1?q?Caf=E9?=`, `=?UTF-8?B?…?=` — read
/// into plain text. Words next to each other (only white space between) join without it, and
/// words of one charset are joined as bytes before they are read, so a character split across two
/// words (as mailers split long Japanese subjects) comes out whole. Text that merely looks like an
/// encoded word but is not one stays as it is; nothing here throws.
public enum EncodedWords {
    public static func decode(_ text: String) -> String {
        let scalars = Array(text.utf8)
        var pieces: [Piece] = []
        var index = 0
        var plainStart = 0
        while index < scalars.count {
            if scalars[index] == UInt8(ascii: "="), index + 1 < scalars.count, scalars[index + 1] == UInt8(ascii: "?"),
               let (word, end) = encodedWord(scalars, at: index) {
                if plainStart < index { pieces.append(.plain(Array(scalars[plainStart..<index]))) }
                pieces.append(word)
                index = end
                plainStart = end
            } else {
                index += 1
            }
        }
        if plainStart < scalars.count { pieces.append(.plain(Array(scalars[plainStart...]))) }

        var result = ""
        var pending: (charset: String, bytes: [UInt8])?
        func flush() {
            if let run = pending { result += Charsets.decode(run.bytes, charset: run.charset).text }
            pending = nil
        }
        for (offset, piece) in pieces.enumerated() {
            switch piece {
            case .plain(let bytes):
                // White space alone between two encoded words is not part of the text (RFC 2047 §6.2).
                let between = offset > 0 && offset + 1 < pieces.count && pieces[offset - 1].isWord && pieces[offset + 1].isWord
                if between, bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }) { continue }
                flush()
                result += String(decoding: bytes, as: UTF8.self)
            case .word(let charset, let bytes):
                if let run = pending, Charsets.canonical(run.charset) == Charsets.canonical(charset) {
                    pending = (run.charset, run.bytes + bytes)
                } else {
                    flush()
                    pending = (charset, bytes)
                }
            }
        }
        flush()
        return result
    }

    private enum Piece {
        case plain([UInt8])
        case word(charset: String, bytes: [UInt8])

        var isWord: Bool {
            if case .word = self { return true }
            return false
        }
    }

    /// The encoded word starting at `start` (`=?charset?B|Q?text?=`) and where it ends, if it is one.
    private static func encodedWord(_ bytes: [UInt8], at start: Int) -> (Piece, Int)? {
        var index = start + 2
        let charsetStart = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "?") {
            if bytes[index] <= 0x20 || bytes[index] >= 0x7F { return nil }
            index += 1
        }
        guard index + 3 < bytes.count, index > charsetStart, bytes[index + 2] == UInt8(ascii: "?") else { return nil }
        let charset = String(decoding: bytes[charsetStart..<index], as: UTF8.self)
        let encoding = bytes[index + 1] | 0x20
        guard encoding == UInt8(ascii: "b") || encoding == UInt8(ascii: "q") else { return nil }
        index += 3
        let textStart = index
        while index + 1 < bytes.count, !(bytes[index] == UInt8(ascii: "?") && bytes[index + 1] == UInt8(ascii: "=")) {
            if bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D { return nil }
            index += 1
        }
        guard index + 1 < bytes.count else { return nil }
        let text = Array(bytes[textStart..<index])
        let decoded = encoding == UInt8(ascii: "b") ? Base64Lenient.decode(text) : quoted(text)
        return (.word(charset: charset, bytes: decoded), index + 2)
    }

    /// The "Q" encoding: `_` is a space, `=XX` a byte, anything else itself.
    private static func quoted(_ text: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var index = 0
        while index < text.count {
            let byte = text[index]
            if byte == UInt8(ascii: "_") {
                out.append(0x20)
            } else if byte == UInt8(ascii: "="), index + 2 < text.count, let high = HexDigit.value(text[index + 1]), let low = HexDigit.value(text[index + 2]) {
                out.append(high << 4 | low)
                index += 2
            } else {
                out.append(byte)
            }
            index += 1
        }
        return out
    }
}
