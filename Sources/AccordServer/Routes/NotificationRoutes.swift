import AccordStore
import BusinessTime
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
        /// Set on a variant: the policy (or every one, absent) and language (or every one, absent)
        /// whose mail it writes.
        let policy: String?
        let language: String?
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
        return try await settings(request).templates().map(Self.view)
    }

    /// Replaces a template's text (admins) — with `?policy=` and/or `?language=`, the text of that
    /// policy's and language's mail only; a placeholder its event does not provide is a 422.
    func saveTemplate(_ request: Request) async throws -> TemplateView {
        let admin = try request.requireStaff([.admin])
        let name = request.parameters.get("name") ?? ""
        _ = try NotificationSettings.builtIn(name)
        let body = try StrictBody.decode(TemplateBody.self, from: request, allowed: ["subject", "body"])
        let (policy, language) = request.templateVariant
        return Self.view(try await settings(request).saveTemplate(name, policy: policy, language: language, subject: body.subject, body: body.body, by: admin))
    }

    /// Goes back to the built-in text, or drops a variant (admins).
    func resetTemplate(_ request: Request) async throws -> TemplateView {
        let admin = try request.requireStaff([.admin])
        let (policy, language) = request.templateVariant
        return Self.view(try await settings(request).resetTemplate(request.parameters.get("name") ?? "", policy: policy, language: language, by: admin))
    }

    private static func view(_ template: NotificationSettings.Template) -> TemplateView {
        TemplateView(name: template.name, policy: template.policy.isEmpty ? nil : template.policy, language: template.language.isEmpty ? nil : template.language,
                     subject: template.subject, body: template.body, edited: template.saved != nil,
                     updatedBy: template.saved?.updatedBy, updatedAt: template.saved.map { ISO8601.utc(CaseService.seconds($0.updatedAt)) },
                     defaultSubject: template.builtIn.subject, defaultBody: template.builtIn.body)
    }

    private func settings(_ request: Request) -> NotificationSettings {
        let service = service(request)
        return NotificationSettings(store: service.store, webhookNetworks: webhookNetworks, threadPool: request.application.threadPool, now: service.now)
    }

    // MARK: Webhooks

    func webhooks(_ request: Request) async throws -> [WebhookView] {
        _ = try request.requireStaff([.admin])
        return try await service(request).store.webhooks().map { WebhookView($0) }
    }

    /// Subscribes a URL (admins); the answer shows the signing secret, once.
    func addWebhook(_ request: Request) async throws -> Response {
        let admin = try request.requireStaff([.admin])
        let body = try StrictBody.decode(WebhookBody.self, from: request, allowed: ["url", "events", "secret"])
        let hook = try await settings(request).addWebhook(url: body.url, events: body.events, secret: body.secret, by: admin)
        let response = Response(status: .created)
        try response.content.encode(WebhookView(hook, showingSecret: true), as: .json)
        return response
    }

    func removeWebhook(_ request: Request) async throws -> HTTPStatus {
        let admin = try request.requireStaff([.admin])
        guard let text = request.parameters.get("id"), let id = UUID(uuidString: text) else { throw Problem(.notFound, "no active webhook has that id") }
        try await settings(request).removeWebhook(id, by: admin)
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

extension Request {
    /// The template variant a request names, `?policy=&language=` (empty: every policy, every
    /// language) — the API's and the console's template routes alike.
    var templateVariant: (policy: String, language: String) {
        (query[String.self, at: "policy"] ?? "", query[String.self, at: "language"] ?? "")
    }
}
