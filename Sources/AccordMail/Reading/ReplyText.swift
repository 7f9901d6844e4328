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
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
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
            while index >= 0, lines[index].hasPrefix(">") || lines[index].trimmingCharacters(in: .whitespaces).isEmpty {
                if lines[index].hasPrefix(">") { start = index }
                index -= 1
            }
            historyStart = start
        }
        var body = Array(lines[..<historyStart])
        var signature: String?
        if let dashes = body.lastIndex(where: { $0 == "-- " || $0 == "--" }), body.count - dashes <= 15 {
            signature = body[(dashes + 1)...].joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            body = Array(body[..<dashes])
        }
        written = body.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        self.signature = signature.flatMap { $0.isEmpty ? nil : $0 }
        let history = lines[historyStart...].joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        quoted = history.isEmpty ? nil : history
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
        let line = lines[index].trimmingCharacters(in: .whitespaces)
        let lower = line.lowercased()
        if line.contains("Please reply above this line") { return true }
        if line.hasPrefix("-----"), originalMessage.contains(where: { lower.contains($0) }) { return true }
        // "On Tue, 3 Mar 2026 at 10:00, Ann <ann@x> wrote:", perhaps wrapped onto a second line.
        let starts = ["on ", "am ", "le ", "el ", "il ", "den ", "d. ", "på ", "op ", "w dniu ", "i dag ", "ma ", "ti ", "to ", "pe "]
        if starts.contains(where: { lower.hasPrefix($0) }) || lower.first?.isNumber == true {
            var candidates = [lower]
            if index + 1 < lines.count, line.count > 10 {
                let next = lines[index + 1].trimmingCharacters(in: .whitespaces).lowercased()
                if next.count < 60 { candidates.append(lower + " " + next) }
            }
            for candidate in candidates where candidate.hasSuffix(":") {
                let words = candidate.split(whereSeparator: { $0 == " " || $0 == ":" || $0 == "," })
                if words.contains(where: { attributionWords.contains(String($0)) }) { return true }
            }
        }
        // Outlook's header block: "From: …" then "Sent: …" (or "Date:") within the next lines.
        if fromWords.contains(where: { lower.hasPrefix($0) }) {
            for next in lines[(index + 1)..<min(lines.count, index + 4)] {
                let nextLower = next.trimmingCharacters(in: .whitespaces).lowercased()
                if sentWords.contains(where: { nextLower.hasPrefix($0) }) { return true }
            }
        }
        return false
    }

    static func isSeparator(_ line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return trimmed.count >= 8 && trimmed.allSatisfy { $0 == "_" || $0 == "-" || $0 == "=" }
    }
}

import Foundation
