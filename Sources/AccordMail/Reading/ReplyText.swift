/// What a person wrote in a reply, apart from what came with it: the quoted history every mailer
/// appends (Gmail's and Thunderbird's "On … wrote:", Apple Mail's "On …, at …, … wrote:",
/// Outlook's "-----Original Message-----" or its "From: / Sent:" block, in the languages of the
/// desk's customers), the desk's own "-- Please reply above this line --", a trailing block of
/// "> " lines, and a signature after "-- ". The parts are only folded away for reading: the
/// caller keeps the full text.
public struct ReplyText: Sendable, Equatable {
    /// What the person wrote.
    public let written: String
    /// The signature, if one was marked.
    public let signature: String?
    /// The quoted history, from its first line.
    public let quoted: String?

    /// The desk's own marker in the mail it sends.
    public static let replyAboveMarker = "-- Please reply above this line --"

    public init(_ text: String) {
        // Lines by their bytes: "\r\n" is one Character to Swift, and Foundation's line functions are slow.
        let lines = text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { line -> String in
            String(Substring(line.last == 0x0D ? line.dropLast() : line))
        }
        var historyStart = lines.count
        for index in lines.indices {
            if Self.startsHistory(lines, at: index) {
                historyStart = index
                // A separator line just before ("________________") goes with it.
                while historyStart > 0, Self.isSeparator(lines[historyStart - 1]) { historyStart -= 1 }
                break
            }
        }
        // A trailing block of quoted lines (blank lines allowed inside).
        if historyStart == lines.count {
            var start = lines.count
            var index = lines.count - 1
            while index >= 0, lines[index].hasPrefix(">") || Self.trimmed(lines[index]).isEmpty {
                if lines[index].hasPrefix(">") { start = index }
                index -= 1
            }
            historyStart = start
        }
        var body = lines[..<historyStart]
        var signature: String?
        if let dashes = body.lastIndex(where: { $0 == "-- " || $0 == "--" }), body.count - dashes <= 15 {
            signature = Self.trimmedLines(body[(dashes + 1)...].joined(separator: "\n"))
            body = body[..<dashes]
        }
        written = Self.trimmedLines(body.joined(separator: "\n"))
        self.signature = signature.flatMap { $0.isEmpty ? nil : $0 }
        let history = Self.trimmedLines(lines[historyStart...].joined(separator: "\n"))
        quoted = history.isEmpty ? nil : history
    }

    /// Spaces and tabs off both ends.
    static func trimmed(_ line: String) -> Substring {
        let utf8 = line.utf8
        guard let first = utf8.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }) else { return "" }
        let last = utf8.lastIndex(where: { $0 != 0x20 && $0 != 0x09 })!
        return Substring(utf8[first...last])
    }

    /// White space and line breaks off both ends of a text.
    static func trimmedLines(_ text: String) -> String {
        let utf8 = text.utf8
        let blank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        guard let first = utf8.firstIndex(where: { !blank($0) }) else { return "" }
        let last = utf8.lastIndex(where: { !blank($0) })!
        return String(Substring(utf8[first...last]))
    }

    /// Attribution words: "On … wrote:", "Am … schrieb …:", "Den … skrev …:" and their kin (English,
    /// German, French, Spanish, Italian, Danish/Norwegian/Swedish, Dutch, Finnish, Icelandic, Polish).
    static let attributionWords = ["wrote", "schrieb", "écrit", "escribió", "scritto", "skrev", "schreef", "kirjoitti", "skrifaði",
                                   "napisał", "napisała", "geschreven"]
    /// Outlook's original-message lines.
    static let originalMessage = ["original message", "ursprüngliche nachricht", "oprindelig meddelelse", "opprinnelig melding",
                                  "ursprungligt meddelande", "alkuperäinen viesti", "message d'origine", "mensaje original",
                                  "messaggio originale", "oorspronkelijk bericht", "upprunaleg skilaboð", "forwarded message"]
    static let fromWords = ["from:", "von:", "fra:", "från:", "de:", "da:", "van:", "lähettäjä:", "frá:", "od:"]
    static let sentWords = ["sent:", "gesendet:", "sendt:", "skickat:", "envoyé :", "envoyé:", "enviado el:", "enviado:", "inviato:",
                            "verzonden:", "lähetetty:", "sent: ", "date:", "datum:", "dato:", "sendt den:", "wysłano:"]

    static func startsHistory(_ lines: [String], at index: Int) -> Bool {
        let line = trimmed(lines[index])
        guard let first = line.utf8.first else { return false }
        // Cheap looks first: most lines of a message are none of these.
        if first == UInt8(ascii: "-") || first == UInt8(ascii: "#") || first == UInt8(ascii: "*") {
            if line.utf8.count < 120, line.contains("Please reply above this line") { return true }
            if line.hasPrefix("-----") {
                let lower = line.lowercased()
                if originalMessage.contains(where: { lower.contains($0) }) { return true }
            }
            return false
        }
        // "On Tue, 3 Mar 2026 at 10:00, Ann <ann@x> wrote:", perhaps wrapped onto a second line.
        if line.utf8.count < 400 {
            var candidates: [Substring] = []
            if line.utf8.last == UInt8(ascii: ":") { candidates.append(line) }
            if index + 1 < lines.count, line.utf8.count > 10 {
                let next = trimmed(lines[index + 1])
                if next.utf8.count < 60, next.utf8.last == UInt8(ascii: ":") { candidates.append(Substring(line + " " + next)) }
            }
            if !candidates.isEmpty {
                let lower = line.prefix(8).lowercased()
                if starts.contains(where: { lower.hasPrefix($0) }) || line.first?.isNumber == true {
                    for candidate in candidates {
                        let words = candidate.lowercased().split(whereSeparator: { $0 == " " || $0 == ":" || $0 == "," })
                        if words.contains(where: { attributionWords.contains(String($0)) }) { return true }
                    }
                }
            }
        }
        // Outlook's header block: "From: …" then "Sent: …" (or "Date:") within the next lines.
        if line.utf8.count < 400, line.contains(":") {
            let head = line.prefix(14).lowercased()
            if fromWords.contains(where: { head.hasPrefix($0) }) {
                for next in lines[(index + 1)..<min(lines.count, index + 4)] {
                    let nextHead = trimmed(next).prefix(14).lowercased()
                    if sentWords.contains(where: { nextHead.hasPrefix($0) }) { return true }
                }
            }
        }
        return false
    }

    /// How attribution lines begin ("On …", "Am …", "Den …", "Le …").
    static let starts = ["on ", "am ", "le ", "el ", "il ", "den ", "d. ", "på ", "op ", "w dniu ", "i dag ", "ma ", "ti ", "to ", "pe "]

    static func isSeparator(_ line: String) -> Bool {
        let stripped = Self.trimmed(line)
        return stripped.utf8.count >= 8 && stripped.utf8.allSatisfy { $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "=") }
    }
}

import Foundation
