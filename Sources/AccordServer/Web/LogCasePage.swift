import AccordCore
import AccordStore
import Foundation
import Vapor

/// `/portal/cases/new`: the form the customer's policy asks for — the plan's priorities with the
/// contract's definitions, the channels, the required information — posted to the same
/// `CaseService.log` as the API, whose refusals come back next to their fields. A post repeated
/// (double click, reload) leads to the case the first one logged.
struct LogCasePage: RouteCollection {
    let service: @Sendable (Request) -> CaseService
    let pages: PageRenderer
    /// Files sent with the form (`WebUploads`).
    let uploads: WebUploads

    func boot(routes: any RoutesBuilder) throws {
        routes.get("portal", "cases", "new", use: form)
        routes.on(.POST, "portal", "cases", body: .stream, use: log)
        routes.get("console", "cases", "new", use: intakeForm)
        routes.on(.POST, "console", "cases", body: .stream, use: intake)
    }

    struct FormContent: Encodable, Sendable {
        /// Where the form posts: the portal (a customer's own case) or the console (staff logging
        /// a call for `requester`).
        let action: String
        let requester: Requester?
        let policy: String
        let once: String
        let priorities: [PriorityChoice]
        let channels: [Choice]
        let fields: [Field]
        let title: String
        let description: String
        let cc: String
        let cvss: Bool
        let cvssValue: String
        let problem: String?
        /// The limits of the attachments field.
        let maxFiles: Int
        let maxFileMB: Int
        let filesError: String?
        let titleError: String?
        let descriptionError: String?
        let priorityError: String?
        let channelError: String?
        let ccError: String?
        let cvssError: String?
    }

    /// The customer's person a member of staff logs the case for.
    struct Requester: Encodable, Sendable {
        let id: String
        let name: String
        let email: String
        let organization: String
    }

    struct PriorityChoice: Encodable, Sendable {
        let id: String
        let name: String
        let definition: String
        let checked: Bool
    }

    struct Choice: Encodable, Sendable {
        let value: String
        let selected: Bool
    }

    /// A required-information field of the policy, as an input.
    struct Field: Encodable, Sendable {
        let name: String
        let label: String
        let required: Bool
        let pattern: String?
        let value: String
        let error: String?
        /// `text`, `textarea` or `yes-no`.
        let kind: String
    }

    func form(_ request: Request) async throws -> Response {
        let person = try request.webSession.person
        guard !person.role.isStaff else { return request.redirect(to: "/console/cases") }
        return try await render(request, person: person, values: [:], problem: nil, errors: [], status: .ok)
    }

    /// Staff log a case for a customer's person — a call taken, a mail forwarded: the same form,
    /// under the requester's policy, its phone channel included where the policy has one.
    func intakeForm(_ request: Request) async throws -> Response {
        let staff = try request.webSession.person
        guard staff.role.isStaff else { throw Problem(.forbidden, "customers log their cases under Log a case") }
        let requester = try await self.requester(request.query[String.self, at: "requester"], service: service(request))
        return try await render(request, person: requester, values: [:], problem: nil, errors: [], status: .ok, staff: staff)
    }

    func intake(_ request: Request) async throws -> Response {
        let session = try request.webSession
        guard session.person.role.isStaff else { throw Problem(.forbidden, "customers log their cases under Log a case") }
        return try await submit(request, session: session, forStaff: true)
    }

    /// The customer's person named by `text`: staff log cases for people of a customer only.
    private func requester(_ text: String?, service: CaseService) async throws -> Person {
        guard let id = text.flatMap(UUID.init(uuidString:)), let person = try await service.store.person(id), person.organizationID != nil,
              !person.erased else {
            throw Problem(.notFound, "no customer's person has that id: open the person's page and log the case from there")
        }
        return person
    }

    func log(_ request: Request) async throws -> Response {
        let session = try request.webSession
        guard !session.person.role.isStaff else { throw Problem(.forbidden, "staff log cases for a customer's person from the person's page") }
        return try await submit(request, session: session, forStaff: false)
    }

    /// Logs the case the form describes (`CaseService.log`, as the API) with its files, once
    /// however often the form is posted; refused, the form again with each problem at its field.
    private func submit(_ request: Request, session: WebSession, forStaff: Bool) async throws -> Response {
        let (values, upload) = try await uploads.read(request, session: session)
        let service = service(request)
        // For staff, the person the case is logged for; the form is drawn for them.
        let requester: Person
        do {
            requester = forStaff ? try await self.requester(values["requester"], service: service) : session.person
        } catch {
            upload?.discard()
            throw error
        }
        let person = session.person
        let staff = forStaff ? person : nil
        return try await FormOnce(store: service.store, now: service.now).perform(values["once"], session: session, on: request, repeated: { upload?.discard() },
                                                                               underWay: {
            try await render(request, person: requester, values: values, problem: "This form is already being sent; the case appears under Cases in a moment.",
                             errors: [], status: .conflict, staff: staff)
        }) {
            do {
                var new = try Self.newCase(values)
                if forStaff { new.requester = requester.id }
                try upload?.check()
                let (logged, _) = try await service.log(new, by: person)
                _ = try await upload?.attach(to: logged.supportCase, by: person, service: service, threads: request.application.threadPool)
                let location = (forStaff ? "/console/cases/" : "/portal/cases/") + logged.supportCase.id.uuidString
                return (request.redirect(to: location, redirectType: .normal), location)
            } catch {
                upload?.discard()
                let problem = try WebRefusal.problem(error, request)
                var errors = problem.errors ?? []
                if let field = problem.field { errors.append(.init(field: field, detail: problem.detail)) }
                return (try await render(request, person: requester, values: values, problem: problem.detail, errors: errors,
                                         status: HTTPResponseStatus(statusCode: problem.status), staff: staff), nil)
            }
        }
    }

    /// The API's new case from the form: the same fields, by their API names.
    static func newCase(_ values: [String: String]) throws -> CaseService.NewCase {
        func text(_ name: String) -> String? {
            guard let value = values[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
            return value
        }
        var cvss: Double?
        if let value = text("cvss") {
            guard let score = Double(value) else { throw Problem(.unprocessableEntity, "a CVSS score is a number from 0.0 to 10.0", field: "cvss") }
            cvss = score
        }
        let cc = text("cc").map { $0.split(whereSeparator: { $0 == "," || $0 == ";" || $0.isWhitespace }).map(String.init).filter { !$0.isEmpty } }
        return CaseService.NewCase(
            title: text("title") ?? "", description: text("description") ?? "", priority: text("priority"), channel: text("channel") ?? "web",
            product: text("product"), version: text("version"), servicePack: text("servicePack"), stepsToReproduce: text("stepsToReproduce"),
            englishConsent: text("englishConsent").map { $0 == "yes" }, cvss: cvss, contactName: text("contactName"),
            contactPhone: text("contactPhone"), contactEmail: text("contactEmail"), apps: text("apps"), cc: cc)
    }

    /// The form for `person`, the requester; `staff` when a member of staff logs it for them.
    private func render(_ request: Request, person: Person, values: [String: String], problem: String?, errors: [Problem.FieldProblem],
                        status: HTTPResponseStatus, staff: Person? = nil) async throws -> Response {
        let service = service(request)
        guard let organizationID = person.organizationID, let organization = try await service.store.organization(organizationID) else {
            throw Problem(.forbidden, "you belong to no customer organization, so you cannot log cases")
        }
        let policy = try await service.catalog.current(organization.policyID, store: service.store)
        func error(_ field: String) -> String? {
            let found = errors.filter { $0.field == field || $0.field.hasPrefix(field + "[") }.map(\.detail)
            return found.isEmpty ? nil : found.joined(separator: "; ")
        }
        // The channels someone of the person's role may log through; phone cases are logged by the
        // staff who take the call, who may also log what came by mail.
        let roles = person.role == .authorizedContact ? ["authorized-contact", "user"] : [person.role.rawValue]
        var channels = policy.rules.intake.filter { $0.who.contains { roles.contains($0) } }.flatMap(\.channels).filter { $0 != "phone" }
        if staff != nil { channels = ["phone", "email"] + channels }
        if channels.isEmpty { channels = ["web"] }
        channels = channels.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
        let channel = values["channel"] ?? channels[0]
        let fields = policy.rules.requiredInformation.filter { !["description", "screenshots"].contains($0.field) }.map { required in
            let name = CaseService.NewCase.apiField(required.field)
            return Field(name: name, label: required.label, required: required.required, pattern: required.pattern, value: values[name] ?? "",
                         error: error(name), kind: required.field == "english-consent" ? "yes-no" : required.field == "steps-to-reproduce" ? "textarea" : "text")
        }
        let refused = problem.flatMap { detail in errors.isEmpty || status == .forbidden ? detail : nil }
        let content = FormContent(
            action: staff == nil ? "/portal/cases" : "/console/cases",
            requester: staff == nil ? nil : Requester(id: person.id.uuidString, name: person.name, email: person.email, organization: organization.name),
            policy: policy.name, once: values["once"] ?? FormToken.fresh(),
            priorities: policy.priorities.map { PriorityChoice(id: $0.id, name: $0.name, definition: $0.definition, checked: values["priority"] == $0.id) },
            channels: channels.map { Choice(value: $0, selected: $0 == channel) }, fields: fields,
            title: values["title"] ?? "", description: values["description"] ?? "", cc: values["cc"] ?? "",
            cvss: policy.metrics.contains { $0.kind == .patch }, cvssValue: values["cvss"] ?? "", problem: refused,
            maxFiles: uploads.limits.maxFiles, maxFileMB: uploads.limits.maxFileSize / 1_048_576, filesError: error(WebUploads.field),
            titleError: error("title"), descriptionError: error("description"), priorityError: error("priority"), channelError: error("channel"),
            ccError: error("cc"), cvssError: error("cvss"))
        return try await pages.render("case-new", title: staff == nil ? "Log a case" : "Log a case for \(person.name)", content: content, on: request,
                                      status: status, section: staff == nil ? "/portal/cases/new" : "/console/cases")
    }
}
