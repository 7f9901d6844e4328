import AccordCore
import AccordStore
import Foundation
import Vapor

/// `/console/settings`: how alerts leave the desk — the mail it is set up to send (read only: it is
/// the server's configuration), the webhook subscriptions, the mail templates, and the latest
/// deliveries with their state. Managers read; administrators change webhooks and templates
/// through `NotificationSettings`, as `/api/v1/webhooks` and `/api/v1/templates`.
struct SettingsPages: RouteCollection {
    let store: @Sendable (Request) -> DeskStore
    /// The running monitor's configuration (nil: no monitor runs in this server).
    let monitor: SLAMonitor.Configuration?
    let webhookNetworks: WebhookNetworks
    /// The policies a template's text may be written for.
    let catalog: PolicyCatalog
    let pages: PageRenderer
    let now: @Sendable () -> Date

    /// The deliveries the page lists, newest first.
    static let deliveriesShown = 30

    func boot(routes: any RoutesBuilder) throws {
        routes.get("console", "settings", use: show)
        routes.post("console", "settings", "webhooks", use: addWebhook)
        routes.post("console", "settings", "webhooks", ":id", "removal", use: removeWebhook)
        routes.post("console", "settings", "templates", use: addTemplateVariant)
        routes.post("console", "settings", "templates", ":name", use: saveTemplate)
        routes.post("console", "settings", "templates", ":name", "reset", use: resetTemplate)
    }

    struct Content: Encodable, Sendable {
        let mail: [Fact]
        let webhooks: [WebhookRow]
        let newSecret: NewSecret?
        let templates: [TemplateRow]
        /// Writing a template's text for one policy or language (administrators).
        let variantForms: [WebForm]
        let deliveries: [DeliveryRow]
        let canChange: Bool
        let forms: [WebForm]
        let notice: String?
        let problem: String?
    }

    struct Fact: Encodable, Sendable {
        let label: String
        let value: String
    }

    struct WebhookRow: Encodable, Sendable {
        let id: String
        let url: String
        let events: String
        let created: String
    }

    /// A webhook's signing secret, shown once on the page that created it.
    struct NewSecret: Encodable, Sendable {
        let url: String
        let secret: String
    }

    struct TemplateRow: Encodable, Sendable {
        let name: String
        /// For a variant: the policy and language whose mail it writes ("plm-group in 'da'").
        let variant: String?
        /// Where its reset posts (a variant's, with its query).
        let resetPath: String
        let edited: String
        /// The template's form, for administrators (none for managers).
        let forms: [WebForm]
        let canReset: Bool
    }

    struct DeliveryRow: Encodable, Sendable {
        let event: String
        let caseID: String?
        let channel: String
        let target: String
        let state: String
        let attempts: Int
        let lastError: String?
    }

    private func viewer(_ request: Request) throws -> Person {
        let person = try request.webSession.person
        guard [.manager, .admin].contains(person.role) else { throw Problem(.forbidden, "the settings are for managers and administrators") }
        return person
    }

    private func settings(_ request: Request) -> NotificationSettings {
        NotificationSettings(store: store(request), webhookNetworks: webhookNetworks, threadPool: request.application.threadPool, now: now)
    }

    func show(_ request: Request) async throws -> Response {
        try await render(request, refused: nil, secret: nil, status: .ok)
    }

    private func render(_ request: Request, refused: CustomerPages.Refused?, secret: NewSecret?, status: HTTPResponseStatus) async throws -> Response {
        let caller = try viewer(request)
        let canChange = caller.role == .admin
        let store = store(request)
        let format = WebFormat(request)
        let webhooks = try await store.webhooks().filter(\.active).map {
            WebhookRow(id: $0.id.uuidString, url: $0.url, events: $0.events.joined(separator: ", "), created: format.time($0.createdAt, contractZone: nil).viewer)
        }
        var templates: [TemplateRow] = []
        for template in try await settings(request).templates() {
            let query = template.isVariant ? "?" + Self.variantQuery(template) : ""
            let path = "/console/settings/templates/\(template.name)"
            let variant = template.isVariant ? NotificationSettings.describe(policy: template.policy, language: template.language) : nil
            var form: WebForm?
            if canChange {
                var made = WebForm(id: Self.formID(template.name, policy: template.policy, language: template.language),
                                   title: "Edit the text of \(template.name)" + (variant.map { " for \($0)" } ?? ""), action: path + query,
                                   submit: "Save the template", fields: [
                                       .text("subject", "Subject", value: template.subject, required: true, maxLength: 500),
                                       .textarea("body", "Body", value: template.body, required: true, maxLength: 20_000),
                                   ], hint: "Placeholders: " + MessageTemplates.placeholders(of: template.name).map { "{{\($0)}}" }.joined(separator: ", ") + ".")
                if let refused, refused.form == made.id { made = made.refused(refused.problem, values: refused.values) }
                form = made
            }
            let edited = template.saved.map { "edited \(format.time($0.updatedAt, contractZone: nil).viewer)" } ?? "the built-in text"
            templates.append(TemplateRow(name: template.name, variant: variant, resetPath: path + "/reset" + query, edited: edited,
                                         forms: form.map { [$0] } ?? [], canReset: canChange && template.saved != nil))
        }
        let deliveries = try await store.deliveries(limit: Self.deliveriesShown).map {
            DeliveryRow(event: $0.event, caseID: $0.caseID?.uuidString, channel: $0.channel, target: $0.target, state: $0.state,
                        attempts: $0.attempts, lastError: $0.lastError)
        }
        var forms: [WebForm] = []
        var variantForm: [WebForm] = []
        if canChange {
            var form = WebForm(id: "webhook", title: "Add a webhook", action: "/console/settings/webhooks", submit: "Add the webhook", fields: [
                .once(),
                WebField(name: "url", label: "URL", kind: "url", required: true, hint: "https, to a public address (or a network the desk was told to allow).",
                         maxLength: 2000),
                .text("events", "Events", value: WebhookSubscription.defaultEvents.joined(separator: ", "),
                      hint: "Separated by commas; * for all: " + (SLAMonitor.events + CaseActivity.events).joined(separator: ", ") + "."),
                .text("secret", "Signing secret", hint: "At least 16 bytes; leave empty for a random one, shown once.", maxLength: 500),
            ])
            if let refused, refused.form == form.id { form = form.refused(refused.problem, values: refused.values) }
            forms = [form]
            variantForm = try await newVariantForm(store: store, refused: refused)
        }
        let content = Content(mail: mailFacts(), webhooks: webhooks, newSecret: secret, templates: templates, variantForms: variantForm, deliveries: deliveries,
                              canChange: canChange, forms: forms,
                              notice: request.query[String.self, at: "done"].flatMap { Self.notices[$0] },
                              problem: refused.flatMap { refused in refused.form.hasPrefix("template-") || refused.form == "webhook" ? nil : refused.problem.detail })
        return try await pages.render("settings", title: "Settings", content: content, on: request, status: status, section: "/console/settings")
    }

    /// The form that writes a template's text for a policy and/or language: the languages the
    /// policies' regions speak are offered in its hint.
    private func newVariantForm(store: DeskStore, refused: CustomerPages.Refused?) async throws -> [WebForm] {
        let policies = try await catalog.currentPolicies(store: store).values.sorted { $0.id < $1.id }
        let languages = policies.map { policy in
            "\(policy.id): " + Array(Set(policy.regions.flatMap(\.languages))).sorted().joined(separator: ", ")
        }
        var form = WebForm(id: "template-variant", title: "Write a text for one policy or language", action: "/console/settings/templates",
                           submit: "Save the text", fields: [
                               .select("name", "Template", SLAMonitor.templates.map { ($0, $0) }, selected: CustomerMail.acknowledgement),
                               .select("policy", "Policy", [("", "Every policy")] + policies.map { ($0.id, $0.name) }, selected: ""),
                               .text("language", "Language", hint: "A tag such as da or pt-br; empty for every language. A case's mail is in its language, " +
                                     "else its region's first. The policies' languages — " + languages.joined(separator: "; ") + ".", maxLength: 20),
                               .text("subject", "Subject", required: true, maxLength: 500),
                               .textarea("body", "Body", required: true, maxLength: 20_000),
                           ], hint: "The most fitting text is used: this policy in this language, this policy, this language, then the text for all.")
        if let refused, refused.form == form.id { form = form.refused(refused.problem, values: refused.values) }
        return [form]
    }

    private static func formID(_ name: String, policy: String, language: String) -> String {
        policy.isEmpty && language.isEmpty ? "template-\(name)" : "template-\(name)-\(policy)-\(language)"
    }

    private static func variantQuery(_ template: NotificationSettings.Template) -> String {
        var components = URLComponents()
        components.queryItems = [URLQueryItem(name: "policy", value: template.policy), URLQueryItem(name: "language", value: template.language)]
        return components.percentEncodedQuery ?? ""
    }

    private static let notices = ["template": "The template is saved.", "reset": "The template is back to its built-in text.",
                                  "variant-removed": "That text is removed; the next most fitting one applies.",
                                  "removed": "The webhook is removed; nothing more is sent to it.",
                                  "added": "The webhook was added by the first of these posts; its signing secret was shown once, in that answer."]

    /// The mail set up when the server started, as facts.
    private func mailFacts() -> [Fact] {
        guard let monitor else { return [Fact(label: "Alerts", value: "no SLA monitor runs in this server")] }
        let transport: String
        switch monitor.mail {
        case .smtp(let relay)?: transport = "through the SMTP relay \(relay)"
        case .sendmail(let path)?: transport = "with the command \(path)"
        case nil: transport = "not sent: no mail is set up (webhooks only)"
        }
        return [
            Fact(label: "Alert mail", value: transport),
            Fact(label: "From", value: monitor.mailFrom),
            Fact(label: "Mailed to", value: "assignees, team leads and the roles " + monitor.alertRoles.joined(separator: ", ")),
            Fact(label: "Warnings", value: monitor.holdWarningsToWorkingHours ? "held to the team's working hours (breaches never wait)" : "sent at once"),
            Fact(label: "Attempts", value: "\(monitor.retry.maxAttempts) before a delivery is given up"),
        ]
    }

    /// Adds a webhook and shows its secret, once; the form posted again leads to the list.
    func addWebhook(_ request: Request) async throws -> Response {
        let caller = try viewer(request)
        let values = try request.content.decode([String: String].self)
        let form = FormValues(values)
        return try await FormOnce(store: store(request), now: now).perform(values["once"], session: try request.webSession, on: request, underWay: {
            try await refuse(Problem(.conflict, "This form is already being sent."), form: "webhook", values: values, request)
        }) {
            do {
                let events = form["events"].map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
                let hook = try await settings(request).addWebhook(url: form.text("url"), events: events, secret: form["secret"], by: caller)
                return (try await render(request, refused: nil, secret: NewSecret(url: hook.url, secret: hook.secret), status: .created), "/console/settings?done=added")
            } catch {
                return (try await refuse(error, form: "webhook", values: values, request), nil)
            }
        }
    }

    func removeWebhook(_ request: Request) async throws -> Response {
        let caller = try viewer(request)
        guard let id = request.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw Problem(.notFound, "no active webhook has that id") }
        try await settings(request).removeWebhook(id, by: caller)
        return request.redirect(to: "/console/settings?done=removed", redirectType: .normal)
    }

    func saveTemplate(_ request: Request) async throws -> Response {
        let caller = try viewer(request)
        let name = request.parameters.get("name") ?? ""
        let (policy, language) = request.templateVariant
        let values = try request.content.decode([String: String].self)
        do {
            // A textarea's lines come CR LF from every browser; mail texts are kept with LF.
            _ = try await settings(request).saveTemplate(name, policy: policy, language: language, subject: values["subject"] ?? "",
                                                         body: (values["body"] ?? "").replacingOccurrences(of: "\r\n", with: "\n"), by: caller)
            return request.redirect(to: "/console/settings?done=template", redirectType: .normal)
        } catch {
            return try await refuse(error, form: Self.formID(name, policy: policy, language: language), values: values, request)
        }
    }

    /// A new text for a policy and/or language, from the form below the templates.
    func addTemplateVariant(_ request: Request) async throws -> Response {
        let caller = try viewer(request)
        let values = try request.content.decode([String: String].self)
        do {
            let policy = values["policy"] ?? "", language = values["language"] ?? ""
            guard !(policy.isEmpty && language.isEmpty) else {
                throw Problem(.unprocessableEntity, "choose a policy or write a language: the text for every policy and language is edited above", field: "policy")
            }
            _ = try await settings(request).saveTemplate(values["name"] ?? "", policy: policy, language: language, subject: values["subject"] ?? "",
                                                         body: (values["body"] ?? "").replacingOccurrences(of: "\r\n", with: "\n"), by: caller)
            return request.redirect(to: "/console/settings?done=template", redirectType: .normal)
        } catch {
            return try await refuse(error, form: "template-variant", values: values, request)
        }
    }

    func resetTemplate(_ request: Request) async throws -> Response {
        let caller = try viewer(request)
        let (policy, language) = request.templateVariant
        _ = try await settings(request).resetTemplate(request.parameters.get("name") ?? "", policy: policy, language: language, by: caller)
        return request.redirect(to: "/console/settings?done=" + (policy.isEmpty && language.isEmpty ? "reset" : "variant-removed"), redirectType: .normal)
    }

    private func refuse(_ error: any Error, form: String, values: [String: String], _ request: Request) async throws -> Response {
        let problem = try WebRefusal.problem(error, request)
        return try await render(request, refused: .init(form: form, problem: problem, values: values), secret: nil,
                                status: HTTPResponseStatus(statusCode: problem.status))
    }
}
