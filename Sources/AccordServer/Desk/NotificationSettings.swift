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

    /// A template as in force: the saved text, or the built-in one.
    struct Template: Sendable {
        let name: String
        let subject: String
        let body: String
        let builtIn: MessageTemplates.Template
        let saved: SavedTemplate?
    }

    /// Every event's template, in the monitor's order.
    func templates() async throws -> [Template] {
        let saved = try await store.savedTemplates()
        return SLAMonitor.templates.compactMap { name in
            MessageTemplates.defaults[name].map { Self.template(name, builtIn: $0, saved: saved[name]) }
        }
    }

    /// Replaces a template's text, checking each placeholder against what its event provides.
    func saveTemplate(_ name: String, subject: String, body: String, by caller: Person) async throws -> Template {
        try Self.mayChange(caller)
        let builtIn = try Self.builtIn(name)
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
        try await store.saveTemplate(name, subject: subject, body: body, by: caller.id, at: now())
        return Self.template(name, builtIn: builtIn, saved: try await store.savedTemplates()[name])
    }

    /// Goes back to the built-in text.
    func resetTemplate(_ name: String, by caller: Person) async throws -> Template {
        try Self.mayChange(caller)
        let builtIn = try Self.builtIn(name)
        _ = try await store.removeTemplate(name)
        return Self.template(name, builtIn: builtIn, saved: nil)
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
        Template(name: name, subject: saved?.subject ?? builtIn.subject, body: saved?.body ?? builtIn.body, builtIn: builtIn, saved: saved)
    }
}
