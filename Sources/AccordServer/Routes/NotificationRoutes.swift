import AccordStore
import BusinessTime
import Crypto
import Foundation
import Vapor

/// How the desk's alerts and notices leave it: `/api/v1/templates` (the mail texts, editable by
/// admins), `/api/v1/webhooks` (subscriptions, admins), `/api/v1/deliveries` (every delivery and
/// its attempts, managers and admins) and `/api/v1/cases/{id}/alarms` (a case's raised and coming
/// alarms, staff).
struct NotificationRoutes: RouteCollection {
    let service: @Sendable (Request) -> CaseService
    /// Where webhooks may go besides public addresses.
    let webhookNetworks: WebhookNetworks

    struct TemplateView: Content {
        let name: String
        let subject: String
        let body: String
        /// False while the built-in text applies.
        let edited: Bool
        let updatedBy: UUID?
        let updatedAt: String?
        /// The built-in text, to compare with or go back to.
        let defaultSubject: String
        let defaultBody: String
    }

    struct TemplateBody: Content {
        var subject: String
        var body: String
    }

    struct WebhookView: Content {
        let id: UUID
        let url: String
        let events: [String]
        let active: Bool
        let createdAt: String
        /// Shown once, in the answer that created the webhook.
        let secret: String?

        init(_ hook: Webhook, showingSecret: Bool = false) {
            id = hook.id
            url = hook.url
            events = hook.events
            active = hook.active
            createdAt = ISO8601.utc(CaseService.seconds(hook.createdAt))
            secret = showingSecret ? hook.secret : nil
        }
    }

    struct WebhookBody: Content {
        var url: String
        var events: [String]?
        var secret: String?
    }

    struct DeliveryView: Content {
        let id: UUID
        let event: String
        let caseID: UUID?
        let channel: String
        let target: String
        let state: String
        let attempts: Int
        let nextAttemptAt: String
        let deliveredAt: String?
        let lastError: String?

        enum CodingKeys: String, CodingKey {
            case id, event, channel, target, state, attempts, nextAttemptAt, deliveredAt, lastError
            case caseID = "case"
        }
    }

    struct AttemptView: Content {
        let at: String
        let outcome: String
        let detail: String
    }

    struct AlarmsView: Content {
        struct Raised: Content {
            let metric: String
            let kind: String
            let event: String
            let alarmAt: String
            let raisedAt: String
            let clockDue: String?
        }

        struct Pending: Content {
            let metric: String
            let kind: String
            let at: String
        }

        let raised: [Raised]
        let pending: [Pending]
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get("templates", use: templates)
        routes.put("templates", ":name", use: saveTemplate)
        routes.delete("templates", ":name", use: resetTemplate)
        routes.get("webhooks", use: webhooks)
        routes.post("webhooks", use: addWebhook)
        routes.delete("webhooks", ":id", use: removeWebhook)
        routes.get("deliveries", use: deliveries)
        routes.get("deliveries", ":id", "attempts", use: attempts)
        routes.get("cases", ":id", "alarms", use: alarms)
    }

    // MARK: Templates

    func templates(_ request: Request) async throws -> [TemplateView] {
        _ = try request.requireStaff()
        let saved = try await service(request).store.savedTemplates()
        return SLAMonitor.events.compactMap { name in
            guard let builtIn = MessageTemplates.defaults[name] else { return nil }
            return Self.view(name, builtIn: builtIn, saved: saved[name])
        }
    }

    /// Replaces a template's text (admins). Placeholders are checked against what the template's
    /// event provides, so a typo is a 422 rather than a mail with `{{case.numbr}}` in it.
    func saveTemplate(_ request: Request) async throws -> TemplateView {
        let admin = try request.requireStaff([.admin])
        let (name, builtIn) = try Self.template(request)
        let body = try StrictBody.decode(TemplateBody.self, from: request, allowed: ["subject", "body"])
        for (field, text) in [("subject", body.subject), ("body", body.body)] {
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw Problem(.unprocessableEntity, "the \(field) must not be empty", field: field)
            }
            let known = MessageTemplates.placeholders(of: name)
            if let unknown = MessageTemplates.placeholders(in: text).first(where: { !known.contains($0) }) {
                throw Problem(.unprocessableEntity, "{{\(unknown)}} is not a placeholder of \(name); it knows \(known.map { "{{\($0)}}" }.joined(separator: ", "))",
                              field: field)
            }
        }
        if body.subject.contains(where: \.isNewline) {
            throw Problem(.unprocessableEntity, "the subject is one line", field: "subject")
        }
        let service = service(request)
        try await service.store.saveTemplate(name, subject: body.subject, body: body.body, by: admin.id, at: service.now())
        return Self.view(name, builtIn: builtIn, saved: try await service.store.savedTemplates()[name])
    }

    /// Goes back to the built-in text (admins).
    func resetTemplate(_ request: Request) async throws -> TemplateView {
        _ = try request.requireStaff([.admin])
        let (name, builtIn) = try Self.template(request)
        _ = try await service(request).store.removeTemplate(name)
        return Self.view(name, builtIn: builtIn, saved: nil)
    }

    private static func template(_ request: Request) throws -> (String, MessageTemplates.Template) {
        let name = request.parameters.get("name") ?? ""
        guard let builtIn = MessageTemplates.defaults[name] else {
            throw Problem(.notFound, "no template is named '\(name)'; templates: \(SLAMonitor.events.joined(separator: ", "))")
        }
        return (name, builtIn)
    }

    private static func view(_ name: String, builtIn: MessageTemplates.Template, saved: SavedTemplate?) -> TemplateView {
        TemplateView(name: name, subject: saved?.subject ?? builtIn.subject, body: saved?.body ?? builtIn.body, edited: saved != nil,
                     updatedBy: saved?.updatedBy, updatedAt: saved.map { ISO8601.utc(CaseService.seconds($0.updatedAt)) },
                     defaultSubject: builtIn.subject, defaultBody: builtIn.body)
    }

    // MARK: Webhooks

    func webhooks(_ request: Request) async throws -> [WebhookView] {
        _ = try request.requireStaff([.admin])
        return try await service(request).store.webhooks().map { WebhookView($0) }
    }

    /// Subscribes a URL (admins); the answer shows the signing secret, once.
    func addWebhook(_ request: Request) async throws -> Response {
        _ = try request.requireStaff([.admin])
        let body = try StrictBody.decode(WebhookBody.self, from: request, allowed: ["url", "events", "secret"])
        let subscription: WebhookSubscription
        let networks = webhookNetworks
        do {
            // Off the event loop: checking the URL resolves its host name.
            subscription = try await request.application.threadPool.runIfActive {
                try WebhookSubscription(url: body.url, events: body.events ?? WebhookSubscription.defaultEvents, networks: networks)
            }
        } catch let error as WebhookSubscription.Invalid {
            throw Problem(.unprocessableEntity, "\(error.field) \(error.message)", field: error.field)
        }
        if let secret = body.secret, secret.utf8.count < 16 {
            throw Problem(.unprocessableEntity, "a signing secret needs at least 16 bytes; leave it out for a random one", field: "secret")
        }
        let secret = body.secret ?? SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
        let service = service(request)
        let hook = try await service.store.addWebhook(url: subscription.url, secret: secret, events: subscription.events, at: service.now())
        let response = Response(status: .created)
        try response.content.encode(WebhookView(hook, showingSecret: true), as: .json)
        return response
    }

    func removeWebhook(_ request: Request) async throws -> HTTPStatus {
        _ = try request.requireStaff([.admin])
        guard let text = request.parameters.get("id"), let id = UUID(uuidString: text), try await service(request).store.removeWebhook(id) else {
            throw Problem(.notFound, "no active webhook has that id")
        }
        return .noContent
    }

    // MARK: Deliveries and alarms

    /// Deliveries, newest first: `case`, `state` (`pending`, `delivered`, `dead`) and `limit` (1–500).
    func deliveries(_ request: Request) async throws -> [DeliveryView] {
        _ = try request.requireStaff()
        var caseID: UUID?
        if let text = try? request.query.get(String.self, at: "case") {
            guard let id = UUID(uuidString: text) else { throw Problem(.badRequest, "case must be a case id (a UUID)", field: "case") }
            caseID = id
        }
        let state = try? request.query.get(String.self, at: "state")
        if let state, !["pending", "delivered", "dead", "superseded"].contains(state) {
            throw Problem(.badRequest, "state must be pending, delivered, dead or superseded", field: "state")
        }
        let limit = try request.limit(standard: 100, maximum: 500)
        return try await service(request).store.deliveries(caseID: caseID, state: state, limit: limit).map { delivery in
            DeliveryView(id: delivery.id, event: delivery.event, caseID: delivery.caseID, channel: delivery.channel, target: delivery.target,
                         state: delivery.state, attempts: delivery.attempts, nextAttemptAt: ISO8601.utc(CaseService.seconds(delivery.nextAttemptAt)),
                         deliveredAt: delivery.deliveredAt.map { ISO8601.utc(CaseService.seconds($0)) }, lastError: delivery.lastError)
        }
    }

    func attempts(_ request: Request) async throws -> [AttemptView] {
        _ = try request.requireStaff()
        guard let text = request.parameters.get("id"), let id = UUID(uuidString: text),
              try await service(request).store.deliveryExists(id) else {
            throw Problem(.notFound, "no delivery has that id")
        }
        return try await service(request).store.attempts(of: id).map {
            AttemptView(at: ISO8601.utc(CaseService.seconds($0.at)), outcome: $0.outcome, detail: $0.detail)
        }
    }

    /// A case's alarms (staff who may see the case): those raised, and those still to come.
    func alarms(_ request: Request) async throws -> AlarmsView {
        let staff = try request.requireStaff(Role.staff)
        guard let text = request.parameters.get("id"), let id = UUID(uuidString: text) else { throw Problem(.notFound, "no case has that id") }
        let service = service(request)
        let supportCase = try await service.visibleCase(id, for: staff)
        let raised = try await service.store.raisedAlarms(of: supportCase.id).map { alarm in
            AlarmsView.Raised(metric: alarm.metric, kind: alarm.kind, event: alarm.event, alarmAt: ISO8601.utc(CaseService.seconds(alarm.alarmAt)),
                              raisedAt: ISO8601.utc(CaseService.seconds(alarm.raisedAt)),
                              clockDue: alarm.clockDue.map { ISO8601.utc(CaseService.seconds($0)) })
        }
        let pending = try await service.store.pendingAlarms(of: supportCase.id).map {
            AlarmsView.Pending(metric: $0.metric, kind: $0.alarm.kind, at: ISO8601.utc($0.alarm.at))
        }
        return AlarmsView(raised: raised, pending: pending)
    }
}
