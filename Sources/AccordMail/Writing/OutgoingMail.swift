/// A message the desk sends, written out as RFC 5322 and MIME: CRLF line ends; non-ASCII header
/// text as RFC 2047 encoded words (UTF-8, folded so no line passes 78 characters); display names
/// quoted or encoded as needed; a text part and, when given, an HTML part as
/// `multipart/alternative`, both UTF-8 in quoted-printable, so any text survives any relay. Each
/// text ends with a line break (one is added where it does not), so a reader gets back exactly
/// `bodyText` and `bodyHTML`; a subject's surrounding white space, which readers drop, is not sent.
public struct OutgoingMail: Sendable, Equatable {
    public var from: MailAddress
    public var to: [MailAddress]
    public var cc: [MailAddress] = []
    public var replyTo: MailAddress?
    public var subject: String
    public var date: MailDate
    /// Without angle brackets.
    public var messageID: String
    public var inReplyTo: String?
    public var references: [String] = []
    /// RFC 3834: `auto-replied` for an acknowledgement, `auto-generated` for a notice.
    public var autoSubmitted: String?
    /// More header fields, ASCII names, values encoded as needed.
    public var extraHeaders: [(name: String, value: String)] = []
    public var text: String
    public var html: String?

    public init(from: MailAddress, to: [MailAddress], subject: String, date: MailDate, messageID: String, text: String) {
        self.from = from
        self.to = to
        self.subject = subject
        self.date = date
        self.messageID = messageID
        self.text = text
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.bytes == rhs.bytes }

    /// The message as sent.
    public var bytes: [UInt8] { Array(rendered.utf8) }

    public var rendered: String {
        var lines: [String] = []
        func field(_ name: String, _ value: String) { lines.append(Self.fold(name + ": " + value)) }
        field("From", Self.address(from))
        field("To", to.map(Self.address).joined(separator: ", "))
        if !cc.isEmpty { field("Cc", cc.map(Self.address).joined(separator: ", ")) }
        if let replyTo { field("Reply-To", Self.address(replyTo)) }
        field("Subject", Self.encodedText(subject.trimmingCharacters(in: .whitespaces)))
        field("Date", date.text)
        field("Message-ID", "<\(messageID)>")
        if let inReplyTo { field("In-Reply-To", "<\(inReplyTo)>") }
        if !references.isEmpty { field("References", references.suffix(20).map { "<\($0)>" }.joined(separator: " ")) }
        if let autoSubmitted { field("Auto-Submitted", autoSubmitted) }
        for (name, value) in extraHeaders { field(name, Self.encodedText(value)) }
        field("MIME-Version", "1.0")
        // Each encoded text ends with CRLF: the last line end of a part belongs to what follows it
        // (the delimiter), so parts get one more.
        let textPart = ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable", "", QuotedPrintableEncoding.encode(bodyText)]
        if let bodyHTML {
            let boundary = "=_accord_" + String(UInt64(truncatingIfNeeded: Self.hash(messageID)), radix: 36)
            lines.append("Content-Type: multipart/alternative; boundary=\"\(boundary)\"")
            lines.append("")
            lines.append("--" + boundary)
            lines += textPart
            lines.append("--" + boundary)
            lines += ["Content-Type: text/html; charset=utf-8", "Content-Transfer-Encoding: quoted-printable", "", QuotedPrintableEncoding.encode(bodyHTML)]
            lines.append("--" + boundary + "--")
            return lines.joined(separator: "\r\n") + "\r\n"
        }
        lines += textPart
        // The single part's text already ends with its CRLF.
        return lines.joined(separator: "\r\n")
    }

    /// The text as sent and read back: with a final line break.
    public var bodyText: String { text.hasSuffix("\n") ? text : text + "\n" }
    public var bodyHTML: String? { html.map { $0.hasSuffix("\n") ? $0 : $0 + "\n" } }

    /// A display name as readers give it back: white space runs as one space, none at the ends.
    public static func displayName(_ name: String) -> String {
        name.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// `Name <address>`: a name of plain words as it is, other ASCII names quoted, others encoded.
    static func address(_ mailbox: MailAddress) -> String {
        let name = displayName(mailbox.name)
        guard !name.isEmpty else { return mailbox.address }
        // Text that looks like an encoded word is encoded itself, so no reader decodes it.
        if name.contains("=?") { return "\(encodedWords(name)) <\(mailbox.address)>" }
        let atext = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~ ")
        if name.allSatisfy({ atext.contains($0) }) { return "\(name) <\(mailbox.address)>" }
        if name.allSatisfy({ $0.isASCII && !$0.isNewline }) {
            return "\"\(name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\" <\(mailbox.address)>"
        }
        return "\(encodedWords(name)) <\(mailbox.address)>"
    }

    /// Unstructured text: as it is when ASCII without encoded-word look-alikes, else encoded.
    static func encodedText(_ text: String) -> String {
        let clean = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        if clean.allSatisfy({ $0.isASCII }) && !clean.contains("=?") { return clean }
        return encodedWords(clean)
    }

    /// UTF-8 `B` encoded words of at most 75 characters, split between characters, joined by spaces
    /// (which readers drop between encoded words).
    static func encodedWords(_ text: String) -> String {
        var words: [String] = []
        var chunk: [UInt8] = []
        // 75 - "=?UTF-8?B?".count - "?=".count = 63 base64 characters: 45 bytes.
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 45 {
                words.append(Self.word(chunk))
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append(Self.word(chunk)) }
        return words.joined(separator: " ")
    }

    private static func word(_ bytes: [UInt8]) -> String { "=?UTF-8?B?" + Data(bytes).base64EncodedString() + "?=" }

    /// Folds a header line at spaces so no line passes 78 characters where it can be helped —
    /// never right after the field's name, where some readers would keep the fold's space.
    static func fold(_ line: String) -> String {
        guard line.count > 78 else { return line }
        var out: [String] = []
        var current = ""
        for (index, word) in line.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
            if !current.isEmpty && index > 1 && current.count + 1 + word.count > 78 {
                out.append(current)
                current = String(word)
            } else {
                current += current.isEmpty && out.isEmpty ? String(word) : (current.isEmpty ? String(word) : " " + word)
            }
        }
        out.append(current)
        return out.joined(separator: "\r\n ")
    }

    /// FNV-1a, for a boundary that is the same for the same message.
    static func hash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}

/// Quoted-printable (RFC 2045 §6.7) for UTF-8 text: line breaks (LF or CRLF) become CRLF hard
/// breaks; `=`, control characters and bytes above 127 are escaped, as are white space at a line's
/// end and a line's leading "." or "From " (which relays and mbox mangle); long lines get soft breaks.
enum QuotedPrintableEncoding {
    static func encode(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var lines: [String] = []
        for line in text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n").split(separator: "\n", omittingEmptySubsequences: false) {
            let bytes = Array(line.utf8)
            var out: [UInt8] = []
            var length = 0
            for (index, byte) in bytes.enumerated() {
                let last = index == bytes.count - 1
                let literal = (byte >= 33 && byte <= 126 && byte != 61) || ((byte == 32 || byte == 9) && !last)
                var piece: [UInt8] = literal ? [byte] : [61, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
                if index == 0, byte == UInt8(ascii: ".") || (byte == UInt8(ascii: "F") && line.hasPrefix("From ")) {
                    piece = [61, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
                }
                if length + piece.count > 75 {
                    out += [61, 13, 10]
                    length = 0
                }
                out += piece
                length += piece.count
            }
            lines.append(String(decoding: out, as: UTF8.self))
        }
        return lines.joined(separator: "\r\n")
    }
}

import Foundation
