import AccordStore
import Foundation

/// The texts of the mails the monitor sends. Each has a built-in default that an admin may
/// replace through the API (`PUT /api/v1/templates/{name}`).
///
/// Staff alerts (`sla.warning`, `sla.breach`, `sla.estimate-passed`) know `{{case.number}}`,
/// `{{case.title}}`, `{{case.priority}}`, `{{metric}}`, `{{alarm}}` (the share used, `75%`),
/// `{{due}}` (the clock's due, UTC), `{{alarmAt}}`, `{{raisedAt}}` and `{{late-notice}}` (for a
/// clock that promises the customer a late notice: whether it is owed or was given, else empty).
/// The customer's `customer.late-notice` knows `{{case.number}}`, `{{case.title}}`, `{{metric}}`
/// (the period's name in the contract), `{{reason}}`, `{{estimate}}` and `{{due}}` (both in the
/// policy's zone). The mail to a case's customer side — `customer.acknowledgement` (a case logged by
/// mail), `customer.reply` (a public reply) and `customer.status` (resolved, awaiting them) — knows
/// `{{case.number}}`, `{{case.title}}`, `{{reply}}` (the reply's text), `{{status}}`,
/// `{{response.due}}` and `{{response.target}}` (the first response the contract promises, in the
/// zone of the case's region). `mail.refusal`, to the sender of a message the desk did not log,
/// knows `{{subject}}` (the message's) and `{{reason}}`. `review.published`, to a customer's
/// authorized contacts, knows `{{organization}}`, `{{period}}`, `{{version}}`, `{{link}}` (the
/// review's page in the portal) and `{{publishedAt}}`.
struct MessageTemplates: Sendable {
    struct Template: Sendable, Equatable, Codable {
        var subject: String
        var body: String
        /// The language the text is written in, when it is a variant for one (dates in it are
        /// written in that language); nil for a text for every language.
        var language: String? = nil
    }

    static let defaults: [String: Template] = [
        "sla.warning": Template(
            subject: "[Accord] {{case.number}}: {{metric}} at {{alarm}} — due {{due}}",
            body: """
                The {{metric}} clock of case {{case.number}} ("{{case.title}}", priority {{case.priority}}) has used \
                {{alarm}} of its budget.

                It is due at {{due}}. Act before then to keep the promise.{{late-notice}}
                """),
        "sla.breach": Template(
            subject: "[Accord] BREACH {{case.number}}: {{metric}} was due {{due}}",
            body: """
                The {{metric}} clock of case {{case.number}} ("{{case.title}}", priority {{case.priority}}) passed its \
                due instant {{due}} without being met. Raised at {{raisedAt}}.{{late-notice}}
                """),
        "sla.estimate-passed": Template(
            subject: "[Accord] {{case.number}}: the rectification estimate given to the customer has passed",
            body: """
                The {{metric}} clock of case {{case.number}} ("{{case.title}}", priority {{case.priority}}) is still \
                counting at {{alarmAt}}, the rectification estimate the customer was given (the period was due {{due}}).

                Tell the customer again, with the reason and a new estimate: add a rectification-late event to the case.
                """),
        "customer.late-notice": Template(
            subject: "{{case.number}}: {{metric}} - rectification expected by {{estimate}}",
            body: """
                Case {{case.number}} ("{{case.title}}")

                We are not able to rectify this defect within the {{metric}}, which ends {{due}}.

                Reason: {{reason}}

                We expect to rectify it by {{estimate}}, and will tell you if that changes.
                """),
        "customer.acknowledgement": Template(
            subject: "[{{case.number}}] {{case.title}}",
            body: """
                Thank you: your message is logged as case {{case.number}} ("{{case.title}}").

                Our contract promises a first response by {{response.due}} ({{response.target}}).

                Reply to this mail to add to the case; keep [{{case.number}}] in the subject.
                """),
        "customer.reply": Template(
            subject: "[{{case.number}}] {{case.title}}",
            body: """
                {{reply}}

                Case {{case.number}}: reply to this mail to answer.
                """),
        "customer.status": Template(
            subject: "[{{case.number}}] {{case.title}} — {{status}}",
            body: """
                Case {{case.number}} ("{{case.title}}") is now {{status}}.

                Reply to this mail if you have anything to add.
                """),
        "review.published": Template(
            subject: "Your {{period}} service review is published",
            body: """
                The {{period}} service review of {{organization}} (version {{version}}) is published: the cases open at \
                the period's end, those resolved in it, SLA attainment per priority and month, escalations and the \
                backlog, with your technical account manager's notes.

                Read it, and print it as PDF, at {{link}}

                You receive this mail as an authorized contact of {{organization}}.
                """),
        "mail.refusal": Template(
            subject: "Not logged: {{subject}}",
            body: """
                Your message "{{subject}}" reached our support desk, but it was not logged as a case:

                {{reason}}

                This is an automatic answer; replies to it are not read.
                """),
    ]

    /// The placeholders each kind of mail fills in.
    static func placeholders(of name: String) -> [String] {
        if name == SenderMail.refusal { return ["subject", "reason"] }
        if name == DeskStore.reviewPublished { return ["organization", "period", "version", "link", "publishedAt"] }
        if CustomerMail.events.contains(name) { return ["case.number", "case.title", "reply", "status", "response.due", "response.target"] }
        return name.hasPrefix(DeskStore.customerEventPrefix)
            ? ["case.number", "case.title", "metric", "reason", "estimate", "due"]
            : ["case.number", "case.title", "case.priority", "metric", "alarm", "due", "alarmAt", "raisedAt", "late-notice"]
    }

    /// The `{{name}}` placeholders written in `text`, in order.
    static func placeholders(in text: String) -> [String] {
        var names: [String] = []
        _ = substitute(text) { name in
            names.append(name)
            return nil
        }
        return names
    }

    let store: DeskStore

    /// The template in force for a mail of `policy` in `language`: the administrator's text that
    /// fits best (see `DeskStore.template(_:policy:language:)`), or the built-in one.
    func template(_ name: String, policy: String?, language: String?) async throws -> Template? {
        if let saved = try await store.template(name, policy: policy, language: language) {
            return Template(subject: saved.subject, body: saved.body, language: saved.language.isEmpty ? nil : saved.language)
        }
        return Self.defaults[name]
    }

    /// `text` with each `{{name}}` replaced by its value; unknown placeholders stay as written.
    static func render(_ text: String, _ values: [String: String]) -> String {
        substitute(text) { values[$0] }
    }

    /// `text` with each complete `{{name}}` replaced by `value(name)`, or kept as written when that
    /// is nil; the one scanner behind rendering and the placeholder check.
    private static func substitute(_ text: String, _ value: (String) -> String?) -> String {
        var result = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            result += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                rest = rest[open.lowerBound...]
                break
            }
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            result += value(name) ?? String(rest[open.lowerBound..<close.upperBound])
            rest = rest[close.upperBound...]
        }
        return result + rest
    }
}
