/// Whether the desk's own mail server vouched for a message's sender: its `Authentication-Results`
/// field (RFC 8601), added by the receiving server and naming it (`authserv-id`), says DMARC
/// passed for the From domain — or DKIM passed with a signing domain, or SPF with an envelope
/// domain, aligned with it. Only the fields naming the configured server count, and only those
/// above any field a sender could have forged (the desk's server adds its field on top and removes
/// look-alikes; see docs/email.md). A From line alone proves nothing.
public enum AuthenticationResults {
    /// True when `authservID`'s topmost field shows a pass aligned with `senderDomain`.
    public static func confirms(_ headers: MessageHeaders, senderDomain: String, authservID: String) -> Bool {
        let domain = senderDomain.lowercased()
        guard let field = headers.values("Authentication-Results").first(where: { value in
            value.split(separator: ";", maxSplits: 1).first.map { $0.split(separator: " ").first.map { $0.lowercased() } == authservID.lowercased() } ?? false
        }) else { return false }
        let statements = field.split(separator: ";").dropFirst().map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        for statement in statements {
            // "dmarc=pass (p=none) header.from=acme.example"
            let words = statement.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).map { String($0).lowercased() }
            guard let method = words.first, method.hasSuffix("=pass") else { continue }
            let properties = Dictionary(words.dropFirst().compactMap { word -> (String, String)? in
                let pair = word.split(separator: "=", maxSplits: 1)
                return pair.count == 2 ? (String(pair[0]), String(pair[1])) : nil
            }, uniquingKeysWith: { first, _ in first })
            func aligned(_ value: String?) -> Bool {
                guard var value else { return false }
                if let at = value.lastIndex(of: "@") { value = String(value[value.index(after: at)...]) }
                // Relaxed alignment (RFC 7489): the same domain or one below the other, never a bare top-level domain.
                return value.contains(".") && (value == domain || domain.hasSuffix("." + value) || value.hasSuffix("." + domain))
            }
            switch method {
            case "dmarc=pass": if aligned(properties["header.from"]) { return true }
            case "dkim=pass": if aligned(properties["header.d"] ?? properties["header.i"]) { return true }
            case "spf=pass": if aligned(properties["smtp.mailfrom"]) { return true }
            default: continue
            }
        }
        return false
    }
}

import Foundation
