import AccordCore
import AccordStore
import BusinessTime
import Foundation
import Vapor

/// The case pages of the portal (`/portal/cases…`, customers) and the console (`/console/cases…`,
/// staff): lists with filters, and a case with its clocks and why each is due then (its forms post
/// to `CaseActions`). Every rule — who sees what, what may be logged or changed — is the
/// `CaseService`'s, as for the API.
struct CasePages: RouteCollection {
    let service: @Sendable (Request) -> CaseService
    let pages: PageRenderer
    /// What a reply may carry (`WebUploads`), for the form to say.
    let uploadLimits: FormUpload.Limits

    func boot(routes: any RoutesBuilder) throws {
        routes.get("portal", "cases", use: portalList)
        routes.get("console", "cases", use: consoleList)
        routes.get("portal", "cases", ":id", use: show)
        routes.get("console", "cases", ":id", use: show)
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
        let base = Self.base(for: person)
        guard request.url.path.hasPrefix(base) else {
            return request.redirect(to: base + "/" + (request.parameters.get("id") ?? ""))
        }
        return try await page(request, id: try Self.caseID(request), problem: nil, preview: nil, status: .ok, refresh: true)
    }

    struct CasePageContent: Encodable, Sendable {
        let sheet: CaseSheet
        let problem: String?
        var preview: PriorityPreview?
        /// The limits of the reply's attachments field.
        let maxFiles: Int
        let maxFileMB: Int
        /// The messages by mail that made or joined the case (staff only).
        var mails: [MailLink] = []
    }

    /// A message by mail on the case page, linking to it as it came (`MailPages`).
    struct MailLink: Encodable, Sendable {
        let url: String
        let subject: String
        let sender: String
        let received: WebFormat.Time
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

    /// The case page again with a problem shown above its forms (422).
    func again(_ request: Request, id: UUID, problem: String, status: HTTPResponseStatus = .unprocessableEntity) async throws -> Response {
        try await page(request, id: id, problem: problem, preview: nil, status: status)
    }

    /// The case page: as opened (it refreshes itself), or as a form's answer with a problem or a
    /// priority preview (it does not: its address is the form's).
    func page(_ request: Request, id: UUID, problem: String?, preview: PriorityPreview?, status: HTTPResponseStatus,
              refresh: Bool = false) async throws -> Response {
        let person = try request.webSession.person
        let service = service(request)
        let supportCase = try await service.visibleCase(id, for: person)
        let view = try await service.view(of: supportCase, for: person)
        let format = WebFormat(request)
        let sheet = try await CaseSheetMaker(service: service, format: format).sheet(view, for: person, base: Self.base(for: person))
        var content = CasePageContent(sheet: sheet, problem: problem, preview: preview, maxFiles: uploadLimits.maxFiles,
                                      maxFileMB: uploadLimits.maxFileSize / 1_048_576)
        if person.role.isStaff {
            content.mails = try await service.store.inboundMails(ofCase: supportCase.id).map { mail in
                MailLink(url: "/console/cases/\(supportCase.id.uuidString)/mail/\(mail.id.uuidString)", subject: mail.subject ?? "(no subject)",
                         sender: mail.sender ?? "(no sender)", received: format.time(mail.received, contractZone: nil))
            }
        }
        return try await pages.render("case", title: "\(supportCase.number) \(supportCase.title)", content: content, on: request, status: status,
                                      refresh: refresh)
    }

    /// Where a person's case pages live: the console for staff, the portal for customers.
    static func base(for person: Person) -> String {
        person.role.isStaff ? "/console/cases" : "/portal/cases"
    }

    static func caseID(_ request: Request) throws -> UUID {
        guard let text = request.parameters.get("id"), let id = UUID(uuidString: text) else { throw Problem(.notFound, "no case has that id") }
        return id
    }
}
