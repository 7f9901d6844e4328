import AccordStore
import Crypto
import Foundation
import NIOPosix

/// How the desk's alerts and notices leave it, as administrators set it: the mail templates (a
/// placeholder the event does not provide is refused, so no mail goes out with `{{case.numbr}}`
/// in it) and the webhook subscriptions (a URL checked against the networks webhooks may reach,
/// its signing secret shown once). The API's `/templates` and `/webhooks` and the console's
/// settings page both come here.
struct NotificationSettings: Sendable {
    let store: DeskStore
    let webhookNetworks: WebhookNetworks
    /// Where a webhook's host name is resolved, off the event loops.
    let threadPool: NIOThreadPool
    let now: @Sendable () -> Date

    /// A template as in force: the saved text, or the built-in one. `policy` and `language` are
    /// empty for the text of every policy and language; a variant names one or both.
    struct Template: Sendable {
        let name: String
        let policy: String
        let language: String
        let subject: String
        let body: String
        let builtIn: MessageTemplates.Template
        let saved: SavedTemplate?

        var isVariant: Bool { !(policy.isEmpty && language.isEmpty) }
    }

    /// Every event's template, in the monitor's order, each followed by its variants for a policy
    /// or a language.
    func templates() async throws -> [Template] {
        let saved = try await store.savedTemplates()
        return SLAMonitor.templates.flatMap { name -> [Template] in
            guard let builtIn = MessageTemplates.defaults[name] else { return [] }
            let own = saved.filter { $0.name == name }
            return [Self.template(name, builtIn: builtIn, saved: own.first { !$0.isVariant })]
                + own.filter(\.isVariant).map { Self.template(name, builtIn: builtIn, saved: $0) }
        }
    }

    /// Replaces a template's text — for every policy and language, or, with `policy` and/or
    /// `language`, for mail of that policy and language only — checking each placeholder against
    /// what its event provides.
    func saveTemplate(_ name: String, policy: String = "", language: String = "", subject: String, body: String, by caller: Person) async throws -> Template {
        try Self.mayChange(caller)
        let builtIn = try Self.builtIn(name)
        let (policy, language) = try await variant(policy: policy, language: language)
        for (field, text) in [("subject", subject), ("body", body)] {
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw Problem(.unprocessableEntity, "the \(field) must not be empty", field: field)
            }
            let known = MessageTemplates.placeholders(of: name)
            if let unknown = MessageTemplates.placeholders(in: text).first(where: { !known.contains($0) }) {
                throw Problem(.unprocessableEntity, "{{\(unknown)}} is not a placeholder of \(name); it knows \(known.map { "{{\($0)}}" }.joined(separator: ", "))",
                              field: field)
            }
        }
        if subject.contains(where: \.isNewline) {
            throw Problem(.unprocessableEntity, "the subject is one line", field: "subject")
        }
        try await store.saveTemplate(name, policy: policy, language: language, subject: subject, body: body, by: caller.id, at: now())
        // The text just saved is the one that fits its own policy and language best.
        return Self.template(name, builtIn: builtIn, saved: try await store.template(name, policy: policy, language: language))
    }

    /// Drops the text for every policy and language (the built-in one applies again), or a
    /// variant (a 404 when there is none); answers with the text now in force for that policy and
    /// language.
    func resetTemplate(_ name: String, policy: String = "", language: String = "", by caller: Person) async throws -> Template {
        try Self.mayChange(caller)
        let builtIn = try Self.builtIn(name)
        let (policy, language) = try await variant(policy: policy, language: language)
        let removed = try await store.removeTemplate(name, policy: policy, language: language)
        if !removed, !(policy.isEmpty && language.isEmpty) {
            throw Problem(.notFound, "\(name) has no text of its own for \(Self.describe(policy: policy, language: language))")
        }
        let applying = try await store.template(name, policy: policy, language: language)
        return Template(name: name, policy: policy, language: language, subject: applying?.subject ?? builtIn.subject, body: applying?.body ?? builtIn.body,
                        builtIn: builtIn, saved: nil)
    }

    /// `policy` checked against the desk's policies and `language` as a language tag (`da`,
    /// `pt-br`), lowercased.
    private func variant(policy: String, language: String) async throws -> (policy: String, language: String) {
        let policy = policy.trimmingCharacters(in: .whitespaces), language = language.trimmingCharacters(in: .whitespaces).lowercased()
        if !policy.isEmpty {
            let known = try await store.currentPolicyVersions().keys.sorted()
            guard known.contains(policy) else {
                throw Problem(.unprocessableEntity, "no policy is called '\(policy.prefix(100))'; policies: \(known.joined(separator: ", "))", field: "policy")
            }
        }
        if !language.isEmpty, language.wholeMatch(of: /[a-z]{2,3}(-[a-z0-9]{2,8})?/) == nil {
            throw Problem(.unprocessableEntity, "'\(language.prefix(40))' is not a language tag such as da, no or pt-br", field: "language")
        }
        return (policy, language)
    }

    static func describe(policy: String, language: String) -> String {
        switch (policy.isEmpty, language.isEmpty) {
        case (true, true): return "every policy and language"
        case (false, true): return "\(policy) in every language"
        case (true, false): return "every policy in '\(language)'"
        case (false, false): return "\(policy) in '\(language)'"
        }
    }

    /// Subscribes a URL to events (the monitor's defaults when nil); a secret of at least 16 bytes,
    /// or a random one when nil.
    func addWebhook(url: String, events: [String]?, secret: String?, by caller: Person) async throws -> Webhook {
        try Self.mayChange(caller)
        let subscription: WebhookSubscription
        let networks = webhookNetworks
        do {
            // Off the event loop: checking the URL resolves its host name.
            subscription = try await threadPool.runIfActive {
                try WebhookSubscription(url: url, events: events ?? WebhookSubscription.defaultEvents, networks: networks)
            }
        } catch let error as WebhookSubscription.Invalid {
            throw Problem(.unprocessableEntity, "\(error.field) \(error.message)", field: error.field)
        }
        if let secret, secret.utf8.count < 16 {
            throw Problem(.unprocessableEntity, "a signing secret needs at least 16 bytes; leave it out for a random one", field: "secret")
        }
        let chosen = secret ?? SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
        return try await store.addWebhook(url: subscription.url, secret: chosen, events: subscription.events, at: now())
    }

    func removeWebhook(_ id: UUID, by caller: Person) async throws {
        try Self.mayChange(caller)
        guard try await store.removeWebhook(id) else { throw Problem(.notFound, "no active webhook has that id") }
    }

    static func mayChange(_ caller: Person) throws {
        guard caller.role == .admin else { throw Problem(.forbidden, "this needs the role admin; you are \(caller.role.rawValue)") }
    }

    static func builtIn(_ name: String) throws -> MessageTemplates.Template {
        guard let builtIn = MessageTemplates.defaults[name] else {
            throw Problem(.notFound, "no template is named '\(name)'; templates: \(SLAMonitor.templates.joined(separator: ", "))")
        }
        return builtIn
    }

    private static func template(_ name: String, builtIn: MessageTemplates.Template, saved: SavedTemplate?) -> Template {
        Template(name: name, policy: saved?.policy ?? "", language: saved?.language ?? "", subject: saved?.subject ?? builtIn.subject,
                 body: saved?.body ?? builtIn.body, builtIn: builtIn, saved: saved)
    }
}
