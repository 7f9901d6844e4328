import Foundation

/// Free text from a request — a reason, a note — that, when given, must say something.
enum FreeText {
    /// The longest free text a request may give, in characters.
    static let maximum = 2_000

    /// `text` trimmed; nil when left out. Refused, naming `field`, when empty or longer than the maximum.
    static func optional(_ text: String?, _ field: String) throws -> String? {
        guard let text else { return nil }
        guard text.count <= maximum else { throw Problem(.unprocessableEntity, "\(field) is longer than 2,000 characters", field: field) }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw Problem(.unprocessableEntity, "\(field) must not be empty when given", field: field) }
        return trimmed
    }
}
