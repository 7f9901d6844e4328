/// A subject as the desk reads it: the case tags in it (`[PLM-2026-000123]`) and its text with the
/// reply and forward prefixes of our customers' languages stripped, so a reply's subject compares
/// with the case's title — Re, Fwd, FW (English), AW, WG (German), SV, VS, VB (Nordic), Antw
/// (Dutch), Vá (Hungarian), TR (French), RV (Spanish), Odp (Polish), Vs (Finnish), with or without
/// a counter (`Re[2]:`, `Re^3:`) and in any case.
public enum SubjectLine {
    static let prefixes: Set<String> = ["re", "fwd", "fw", "aw", "wg", "sv", "vs", "vb", "antw", "vá", "va", "tr", "rv", "odp", "ynt", "res", "enc", "doorst"]

    /// The case numbers in square brackets, in order: `PREFIX-YEAR-NNNNNN`.
    public static func caseTags(in subject: String) -> [String] {
        var tags: [String] = []
        var rest = Substring(subject)
        while let open = rest.firstIndex(of: "[") {
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "]") else { break }
            let inside = after[..<close].trimmingCharacters(in: .whitespaces).uppercased()
            if isCaseNumber(inside) { tags.append(inside) }
            rest = after[after.index(after: close)...]
        }
        return tags
    }

    /// `PREFIX-YYYY-NNNNNN`: a prefix of letters and digits, a year, a six-digit (or longer) counter.
    public static func isCaseNumber(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return false }
        return (1...16).contains(parts[0].count) && parts[0].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
            && parts[1].count == 4 && parts[1].allSatisfy(\.isASCII) && parts[1].allSatisfy(\.isNumber)
            && (6...9).contains(parts[2].count) && parts[2].allSatisfy(\.isASCII) && parts[2].allSatisfy(\.isNumber)
    }

    /// The subject without reply and forward prefixes, case tags and surrounding white space.
    public static func stripped(_ subject: String) -> String {
        var text = Substring(subject)
        var changed = true
        while changed {
            changed = false
            text = text.drop { $0 == " " || $0 == "\t" }
            if text.first == "[", let close = text.firstIndex(of: "]"), isCaseNumber(text[text.index(after: text.startIndex)..<close].trimmingCharacters(in: .whitespaces).uppercased()) {
                text = text[text.index(after: close)...]
                changed = true
                continue
            }
            guard let colon = text.firstIndex(of: ":") else { break }
            var word = text[..<colon].lowercased()
            // "Re[2]", "Re^3", "Re(2)": a counter after the prefix.
            if let mark = word.firstIndex(where: { $0 == "[" || $0 == "^" || $0 == "(" }) { word = String(word[..<mark]) }
            if prefixes.contains(word.trimmingCharacters(in: .whitespaces)) {
                text = text[text.index(after: colon)...]
                changed = true
            }
        }
        // A case tag at the end ("… [PLM-2026-000123]") goes too.
        var result = String(text).trimmingCharacters(in: .whitespaces)
        for tag in caseTags(in: result) {
            result = result.replacingOccurrences(of: "[\(tag)]", with: "", options: .caseInsensitive)
        }
        return result.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }
}

import Foundation
