import AccordStore
import Foundation

/// The texts of staff alert mails. Each has a built-in default that an admin may replace through
/// the API; placeholders are `{{case.number}}`, `{{case.title}}`, `{{case.priority}}`, `{{metric}}`,
/// `{{alarm}}` (the share used, `75%`), `{{due}}` (the clock's due, UTC), `{{alarmAt}}` and `{{raisedAt}}`.
struct MessageTemplates: Sendable {
    struct Template: Sendable, Equatable, Codable {
        var subject: String
        var body: String
    }

    static let defaults: [String: Template] = [
        "sla.warning": Template(
            subject: "[Accord] {{case.number}}: {{metric}} at {{alarm}} — due {{due}}",
            body: """
                The {{metric}} clock of case {{case.number}} ("{{case.title}}", priority {{case.priority}}) has used \
                {{alarm}} of its budget.

                It is due at {{due}}. Act before then to keep the promise.
                """),
        "sla.breach": Template(
            subject: "[Accord] BREACH {{case.number}}: {{metric}} was due {{due}}",
            body: """
                The {{metric}} clock of case {{case.number}} ("{{case.title}}", priority {{case.priority}}) passed its \
                due instant {{due}} without being met. Raised at {{raisedAt}}.
                """),
    ]

    let store: DeskStore

    /// The template in force: the admin's, or the built-in one.
    func template(_ name: String) async throws -> Template? {
        if let saved = try await store.template(name) { return Template(subject: saved.subject, body: saved.body) }
        return Self.defaults[name]
    }

    /// `text` with each `{{name}}` replaced by its value; unknown placeholders stay as written.
    static func render(_ text: String, _ values: [String: String]) -> String {
        var result = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            result += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                rest = rest[open.lowerBound...]
                break
            }
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            result += values[name] ?? String(rest[open.lowerBound..<close.upperBound])
            rest = rest[close.upperBound...]
        }
        return result + rest
    }
}
