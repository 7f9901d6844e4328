import AccordCore
import AccordStore
import BusinessTime
import Foundation
import Vapor

/// The case pages of the portal (`/portal/cases…`, customers) and the console (`/console/cases…`,
/// staff): lists with filters, a case with its clocks and why each is due then, and the forms that
/// reply and change status. Every rule — who sees what, what may be logged or changed — is the
/// `CaseService`'s, as for the API.
struct CasePages: RouteCollection {
    let service: @Sendable (Request) -> CaseService
    let pages: PageRenderer

    func boot(routes: any RoutesBuilder) throws {
        routes.get("portal", "cases", use: portalList)
        routes.get("console", "cases", use: consoleList)
        routes.get("portal", "cases", ":id", use: show)
        routes.get("console", "cases", ":id", use: show)
        routes.post("cases", ":id", "messages", use: addMessage)
        routes.post("cases", ":id", "status", use: changeStatus)
        routes.post("cases", ":id", "priority", use: changePriority)
        routes.post("cases", ":id", "record", use: record)
        routes.post("cases", ":id", "assignment", use: assign)
        routes.post("cases", ":id", "escalation", use: escalate)
    }

    // MARK: Lists

    struct ListContent: Encodable, Sendable {
        let staff: Bool
        let base: String
        let rows: [Row]
        let filters: Filters
        let next: String?
        let empty: String
    }

    struct Filters: Encodable, Sendable {
        let q: String
        let status: String
        let statuses: [Choice]
        let assignee: String
        let breached: Bool
        let within: String
        let byDue: Bool
    }

    struct Choice: Encodable, Sendable {
        let value: String
        let text: String
        let selected: Bool
    }

    struct Row: Encodable, Sendable {
        let id: String
        let number: String
        let title: String
        let priority: String
        let status: CaseSheet.Label
        let clock: String?
        let clockState: CaseSheet.Label?
        let due: WebFormat.Time?
    }

    func portalList(_ request: Request) async throws -> Response {
        let person = try request.webSession.person
        guard !person.role.isStaff else { return request.redirect(to: "/console/cases") }
        return try await list(request, base: "/portal/cases")
    }

    func consoleList(_ request: Request) async throws -> Response {
        let person = try request.webSession.person
        guard person.role.isStaff else { return request.redirect(to: "/portal/cases") }
        return try await list(request, base: "/console/cases")
    }

    private func list(_ request: Request, base: String) async throws -> Response {
        let person = try request.webSession.person
        let service = service(request)
        let format = WebFormat(request)
        var query = CaseListQuery(limit: 50)
        let text = { (name: String) -> String? in
            guard let value = request.query[String.self, at: name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return value
        }
        query.q = text("q")
        query.status = text("status")
        query.cursor = text("cursor")
        if person.role.isStaff {
            query.assignee = text("assignee")
            query.sort = text("sort")
            if text("breached") == "true" { query.breached = "true" }
            if let within = text("within") {
                guard let minutes = Int(within), (1...10_080).contains(minutes) else {
                    throw Problem(.badRequest, "within must be a number of minutes from 1 to 10080 (a week)", field: "within")
                }
                query.dueBefore = ISO8601.utc(CaseService.seconds(service.now()) + Int64(minutes) * 60)
            }
        }
        let page = try await service.list(query, for: person)
        let rows = try await CaseRowMaker(service: service, format: format).rows(page.items)
        let status = query.status ?? ""
        let filters = Filters(
            q: query.q ?? "", status: status,
            statuses: [Choice(value: "", text: "Any status", selected: status.isEmpty)]
                + CaseStatus.allCases.map { Choice(value: $0.rawValue, text: CaseSheet.status($0.rawValue).text, selected: $0.rawValue == status) },
            assignee: query.assignee ?? "", breached: query.breached == "true", within: text("within") ?? "", byDue: query.sort == "due")
        var nextLink: String?
        if let next = page.next {
            var components = URLComponents()
            components.path = base
            components.queryItems = request.url.query.flatMap { URLComponents(string: "?" + $0)?.queryItems?.filter { $0.name != "cursor" } } ?? []
            components.queryItems?.append(URLQueryItem(name: "cursor", value: next))
            nextLink = components.string
        }
        let content = ListContent(staff: person.role.isStaff, base: base, rows: rows, filters: filters, next: nextLink,
                                  empty: query.q == nil && query.status == nil ? "No cases yet." : "No case matches these filters.")
        return try await pages.render("cases", title: person.role.isStaff ? "Cases" : "Your cases", content: content, on: request, refresh: true)
    }

    // MARK: One case

    func show(_ request: Request) async throws -> Response {
        let person = try request.webSession.person
        let base = person.role.isStaff ? "/console/cases" : "/portal/cases"
        guard request.url.path.hasPrefix(base) else {
            return request.redirect(to: base + "/" + (request.parameters.get("id") ?? ""))
        }
        let service = service(request)
        let supportCase = try await service.visibleCase(try Self.caseID(request), for: person)
        let view = try await service.view(of: supportCase, for: person)
        let sheet = try await CaseSheetMaker(service: service, format: WebFormat(request)).sheet(view, for: person, base: base)
        return try await pages.render("case", title: "\(supportCase.number) \(supportCase.title)", content: CasePageContent(sheet: sheet, problem: nil),
                                      on: request, refresh: true)
    }

    struct CasePageContent: Encodable, Sendable {
        let sheet: CaseSheet
        let problem: String?
        var preview: PriorityPreview?
    }

    /// How each clock would move if the priority changed now, shown before saving.
    struct PriorityPreview: Encodable, Sendable {
        let priority: String
        let name: String
        let version: Int
        let rows: [Row]

        struct Row: Encodable, Sendable {
            let clock: String
            let before: String
            let after: String
        }
    }

    struct PriorityForm: Content {
        var priority: String?
        var version: Int?
        /// `preview` shows how the clocks would move; `save` makes the change.
        var action: String?
    }

    /// A priority change: previewed first (each clock's due before and after), then saved against
    /// the version the preview showed.
    func changePriority(_ request: Request) async throws -> Response {
        let person = try request.webSession.person
        let form = try request.content.decode(PriorityForm.self)
        let id = try Self.caseID(request)
        let service = service(request)
        let priority = form.priority.flatMap { $0.isEmpty ? nil : $0 }
        do {
            if form.action == "save" {
                return try await changing(request, version: form.version) { service, person, id in
                    _ = try await service.add(.init(kind: "priority-change", value: priority), to: id, by: person, ifMatch: form.version)
                }
            }
            let (before, after) = try await service.previewPriority(priority, of: id, by: person)
            let supportCase = try await service.visibleCase(id, for: person)
            let policy = try await service.catalog.policy(supportCase.policyID, version: supportCase.policyVersion, store: service.store)
            let format = WebFormat(request)
            let zone = CaseSheetMaker.contractZone(of: supportCase, policy: policy, at: CaseService.seconds(service.now()))
            func describe(_ clock: CaseClocks.Clock?) -> String {
                guard let clock else { return "—" }
                let state = CaseSheet.state(clock.state).text
                guard let status = clock.status else { return "\(state)\(clock.target.map { ", \($0)" } ?? "")" }
                let due = format.time(Date(timeIntervalSince1970: TimeInterval(status.due)), contractZone: zone)
                return "\(clock.target ?? "no target"): \(state.lowercased()), due \(due.viewer)\(due.contract.map { " (\($0))" } ?? "")"
            }
            let rows = after.map { clock in
                PriorityPreview.Row(clock: policy.metric(clock.metric)?.name ?? clock.metric,
                                    before: describe(before.first { $0.metric == clock.metric }), after: describe(clock))
            }
            let preview = PriorityPreview(priority: priority ?? "", name: priority.flatMap { policy.priority($0)?.name } ?? "none",
                                          version: supportCase.version, rows: rows)
            return try await page(request, id: id, problem: nil, preview: preview, status: .ok)
        } catch StoreError.staleVersion {
            return try await again(request, id: id, problem: try await changedMeanwhile(id, service: service, since: form.version ?? 0, format: WebFormat(request)))
        } catch let problem as Problem where problem.status < 500 && problem.status != 404 {
            return try await again(request, id: id, problem: problem.detail)
        }
    }

    struct MessageForm: Content {
        var kind: String?
        var body: String?
    }

    /// A public reply or internal note (staff), or the customer's message: the service decides who may write what.
    func addMessage(_ request: Request) async throws -> Response {
        let form = try request.content.decode(MessageForm.self)
        let body = (form.body ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        return try await changing(request, anchor: "#timeline") { service, person, id in
            guard !body.isEmpty else { throw Problem(.unprocessableEntity, "Write the message before sending it.", field: "body") }
            let kind = person.role.isStaff ? (form.kind == "internal-note" ? "internal-note" : "public-reply") : "customer-message"
            _ = try await service.add(.init(kind: kind, body: body), to: id, by: person, ifMatch: nil)
        }
    }

    struct StatusForm: Content {
        var value: String?
        var resolution: String?
        var version: Int?
    }

    /// A status change, made against the version the page showed (the API's If-Match): a case
    /// changed by someone else meanwhile is not overwritten — the page says who changed it.
    func changeStatus(_ request: Request) async throws -> Response {
        let form = try request.content.decode(StatusForm.self)
        return try await changing(request, version: form.version) { service, person, id in
            guard let value = form.value, !value.isEmpty else { throw Problem(.unprocessableEntity, "Choose the new status.", field: "value") }
            let resolution = form.resolution?.isEmpty == false ? form.resolution : nil
            _ = try await service.add(.init(kind: "status-change", value: value, resolution: resolution), to: id, by: person, ifMatch: form.version)
        }
    }

    struct RecordForm: Content {
        var kind: String?
        var value: String?
        var body: String?
    }

    /// Records what the contract's clocks turn on: a confirmed defect, an available patch, a late
    /// notice with its reason and estimate, an out-of-scope classification — `CaseService.add`, as the API.
    func record(_ request: Request) async throws -> Response {
        let form = try request.content.decode(RecordForm.self)
        let value = form.value.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0.trimmingCharacters(in: .whitespaces) }
        let body = form.body.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        return try await changing(request) { service, person, id in
            let kinds = ["defect-confirmed", "patch-available", "rectification-late", "out-of-scope"]
            guard let kind = form.kind, kinds.contains(kind) else { throw Problem(.unprocessableEntity, "Choose what to record.", field: "kind") }
            _ = try await service.add(.init(kind: kind, value: value, body: body), to: id, by: person, ifMatch: nil)
        }
    }

    struct AssignForm: Content {
        /// `me` to take the case, `none` to give it back.
        var assignee: String?
        var version: Int?
    }

    func assign(_ request: Request) async throws -> Response {
        let form = try request.content.decode(AssignForm.self)
        return try await changing(request, version: form.version) { service, person, id in
            let assignee: UUID? = form.assignee == "me" ? person.id : nil
            _ = try await WorkService(cases: service).assign(id, to: assignee, by: person, ifMatch: form.version)
        }
    }

    struct EscalationForm: Content {
        var tier: Int?
        var reason: String?
    }

    func escalate(_ request: Request) async throws -> Response {
        let form = try request.content.decode(EscalationForm.self)
        return try await changing(request) { service, person, id in
            guard let tier = form.tier else { throw Problem(.unprocessableEntity, "Choose the tier to escalate to.", field: "tier") }
            _ = try await WorkService(cases: service).escalate(id, .init(tier: tier, reason: form.reason ?? ""), by: person)
        }
    }

    /// Makes `change` to the case the path names and goes back to its page. A refusal is shown on
    /// the page above its forms (422), in the service's words; a change made meanwhile by someone
    /// else (`version` no longer the case's) says who made it, and nothing is overwritten.
    private func changing(_ request: Request, version: Int? = nil, anchor: String = "",
                          _ change: (CaseService, Person, UUID) async throws -> Void) async throws -> Response {
        let person = try request.webSession.person
        let id = try Self.caseID(request)
        let service = service(request)
        do {
            try await change(service, person, id)
        } catch StoreError.staleVersion {
            return try await again(request, id: id, problem: try await changedMeanwhile(id, service: service, since: version ?? 0, format: WebFormat(request)))
        } catch let problem as Problem where problem.status < 500 && problem.status != 404 {
            return try await again(request, id: id, problem: problem.detail)
        }
        return request.redirect(to: (person.role.isStaff ? "/console/cases/" : "/portal/cases/") + id.uuidString + anchor, redirectType: .normal)
    }

    /// "Changed by … at …": the latest event after the version the page showed.
    private func changedMeanwhile(_ id: UUID, service: CaseService, since version: Int, format: WebFormat) async throws -> String {
        let events = try await service.store.events(of: id)
        guard let last = events.last else { return "The case changed since you opened it. Reload it and try again." }
        var who = "someone"
        if let actor = last.actorID, let person = try await service.store.person(actor) { who = person.name }
        return "The case was changed by \(who) at \(format.time(last.at, contractZone: nil).viewer) (\(CaseSheetMaker.heading(last))) since you opened it. Nothing was saved: reload the case, check, and try again."
    }

    /// The case page again with a problem shown above its forms (422).
    private func again(_ request: Request, id: UUID, problem: String) async throws -> Response {
        try await page(request, id: id, problem: problem, preview: nil, status: .unprocessableEntity)
    }

    private func page(_ request: Request, id: UUID, problem: String?, preview: PriorityPreview?, status: HTTPResponseStatus) async throws -> Response {
        let person = try request.webSession.person
        let service = service(request)
        let supportCase = try await service.visibleCase(id, for: person)
        let view = try await service.view(of: supportCase, for: person)
        let base = person.role.isStaff ? "/console/cases" : "/portal/cases"
        let sheet = try await CaseSheetMaker(service: service, format: WebFormat(request)).sheet(view, for: person, base: base)
        return try await pages.render("case", title: "\(supportCase.number) \(supportCase.title)",
                                      content: CasePageContent(sheet: sheet, problem: problem, preview: preview), on: request, status: status)
    }

    static func caseID(_ request: Request) throws -> UUID {
        guard let text = request.parameters.get("id"), let id = UUID(uuidString: text) else { throw Problem(.notFound, "no case has that id") }
        return id
    }
}

/// A list's rows: each case with its priority's name, its status, and the clock that matters
/// next — the first still counting, by its due — in the viewer's and the contract's zone.
struct CaseRowMaker: Sendable {
    let service: CaseService
    let format: WebFormat

    func rows(_ items: [CaseListPage.Item]) async throws -> [CasePages.Row] {
        var policies: [String: Policy] = [:]
        var rows: [CasePages.Row] = []
        for item in items {
            let c = item.supportCase
            let key = c.policyID + "@" + c.policyVersion
            if policies[key] == nil { policies[key] = try await service.catalog.policy(c.policyID, version: c.policyVersion, store: service.store) }
            let policy = policies[key]!
            let counting = item.clocks.filter { $0.state == "running" || $0.state == "paused" || ($0.state == "breached" && $0.status?.stoppedAt == nil) }
                .min { ($0.status?.due ?? .max) < ($1.status?.due ?? .max) }
            rows.append(CasePages.Row(
                id: c.id.uuidString, number: c.number, title: c.title,
                priority: c.priority.flatMap { policy.priority($0)?.name } ?? "—", status: CaseSheet.status(c.status),
                clock: counting.map { policy.metric($0.metric)?.name ?? $0.metric }, clockState: counting.map { CaseSheet.state($0.state) },
                due: counting?.status.map {
                    format.time(Date(timeIntervalSince1970: TimeInterval($0.due)), contractZone: CaseSheetMaker.contractZone(of: c, policy: policy, at: $0.due))
                }))
        }
        return rows
    }
}
