import AccordCore
import AccordStore
import BusinessTime
import Foundation
import Vapor

/// `/console/customers/{id}/reviews/{period}`: a customer's service review as a page the TAM goes
/// through with the customer — every table of `CaseService.review` with charts drawn as inline
/// SVG (attainment per month, backlog by age, cases per priority), printable to PDF from the
/// browser — with the period's kept versions and a button to keep it as a draft.
/// `/console/customers/{id}/reviews` opens the latest period the plan grants.
/// `/console/reviews/{id}`: a kept version as it was prepared, with the TAM's notes; a draft's notes
/// are edited and the draft published there (the customer's authorized contacts are then mailed
/// a link). `/portal/reviews` lists the published versions to the customer's authorized contacts
/// and `/portal/reviews/{id}` shows one. Every rule is `CaseService`'s (`ReviewVersions`), as the API's.
struct ReviewPage: RouteCollection {
    let service: @Sendable (Request) -> CaseService
    let pages: PageRenderer

    func boot(routes: any RoutesBuilder) throws {
        routes.get("console", "customers", ":id", "reviews", use: latest)
        routes.get("console", "customers", ":id", "reviews", ":period", use: page)
        routes.post("console", "customers", ":id", "reviews", ":period", use: keep)
        routes.get("console", "reviews", ":review", use: version)
        routes.post("console", "reviews", ":review", "notes", use: notes)
        routes.post("console", "reviews", ":review", "publish", use: publish)
        routes.get("portal", "reviews", use: published)
        routes.get("portal", "reviews", ":review", use: version)
    }

    struct Content: Encodable, Sendable {
        let review: ServiceReview
        let attainmentChart: String
        let backlogChart: String
        let priorityChart: String
        /// Where a case of the review opens: the console's or the portal's page.
        let casePath: String
        /// The JSON of what is shown: the live review, or the kept version.
        let json: String
        /// The kept version shown, if it is one.
        let kept: Kept?
        /// The live review's kept versions of its period (staff).
        let versions: [VersionLine]
        /// A draft's notes and publication (review editors), or keeping the live review as a draft.
        let forms: [WebForm]
        /// Where the live review of the kept version's period is (staff).
        let livePath: String?
    }

    struct Kept: Encodable, Sendable {
        let version: Int
        let notes: String
        let preparedAt: String
        let publishedAt: String?
    }

    struct VersionLine: Encodable, Sendable {
        let path: String
        let period: String
        let version: Int
        let preparedAt: String
        let publishedAt: String?
    }

    struct ListContent: Encodable, Sendable {
        let name: String
        let versions: [VersionLine]
    }

    /// The most recent period of the largest cadence the customer's plan grants.
    func latest(_ request: Request) async throws -> Response {
        let person = try request.webSession.person
        guard person.role.isStaff else { throw Problem(.forbidden, "service reviews are prepared by the provider's staff") }
        let id = try ReviewRoutes.organizationID(request)
        let service = service(request)
        guard let customer = try await service.store.customer(id) else { throw Problem(.notFound, "no organization has that id") }
        let policy = try await service.catalog.current(customer.organization.policyID, store: service.store)
        let today = try policy.day(at: CaseService.seconds(service.now()))
        let granted = CaseService.reviewCadences(customer.organization, policy, on: today)
        guard let cadence = ReviewPeriod.Cadence.allCases.last(where: granted.contains) else {
            throw Problem(.conflict, "\(customer.organization.name)'s plan grants no service reviews")
        }
        let index = switch cadence { case .monthly: today.month; case .quarterly: (today.month + 2) / 3; case .yearly: 1 }
        let period = ReviewPeriod(cadence, year: today.year, index: index)!
        return request.redirect(to: "/console/customers/\(id)/reviews/\(period)")
    }

    /// The live review of a period, with its kept versions.
    func page(_ request: Request) async throws -> Response {
        let person = try request.webSession.person
        let service = service(request)
        let id = try ReviewRoutes.organizationID(request)
        let review = try await service.review(of: id, period: request.parameters.get("period") ?? "", for: person)
        let versions = try await service.reviewVersions(of: id, for: person).filter { $0.period == review.period }
        let path = "/console/customers/\(id)/reviews/\(review.period)"
        var forms: [WebForm] = []
        if CaseService.reviewEditors.contains(person.role) {
            let draft = versions.first { $0.publishedAt == nil }
            forms.append(WebForm(id: "keep", title: draft == nil ? "Keep as a draft" : "Keep again", action: path,
                                 submit: draft == nil ? "Keep a draft of \(review.period)" : "Prepare the draft again", fields: [],
                                 hint: draft == nil
                                    ? "Keeps this review as it stands now, as version \((versions.first?.version ?? 0) + 1), to add notes to and publish to the customer."
                                    : "Version \(draft!.version) is a draft: it takes the review as it stands now and keeps its notes."))
        }
        return try await render(request, review: review, kept: nil, versions: versions.map { Self.line($0, portal: false) }, forms: forms,
                                json: "/api/v1/organizations/\(id)/reviews/\(review.period)", livePath: nil, staff: true)
    }

    /// Keeps the live review as a draft and opens it.
    func keep(_ request: Request) async throws -> Response {
        let person = try request.webSession.person
        let stored = try await service(request).keepReview(of: try ReviewRoutes.organizationID(request), period: request.parameters.get("period") ?? "", by: person)
        return request.redirect(to: "/console/reviews/\(stored.id)", redirectType: .normal)
    }

    /// A kept version: in the console for staff, in the portal for the customer's authorized contacts.
    func version(_ request: Request) async throws -> Response {
        try await version(request, problem: nil)
    }

    private func version(_ request: Request, problem: (Problem, String)?) async throws -> Response {
        let person = try request.webSession.person
        let portal = request.url.path.hasPrefix("/portal/")
        guard portal != person.role.isStaff else {
            throw Problem(.notFound, "no review has that id")
        }
        let service = service(request)
        let stored = try await service.reviewVersion(try ReviewRoutes.reviewID(request), for: person)
        let review = try JSONDecoder().decode(ServiceReview.self, from: Data(stored.content.utf8))
        var forms: [WebForm] = []
        if !portal, stored.publishedAt == nil, CaseService.reviewEditors.contains(person.role) {
            var notes = WebForm(id: "notes", title: "Notes for the customer", action: "/console/reviews/\(stored.id)/notes", submit: "Save the notes",
                                fields: [WebField(name: "notes", label: "Notes", kind: "textarea", value: stored.notes,
                                                  hint: "Shown with the review once published: what the numbers mean, what is being done.",
                                                  maxLength: CaseService.longestReviewNotes)])
            notes.open = true
            var publish = WebForm(id: "publish", title: "Publish to the customer", action: "/console/reviews/\(stored.id)/publish",
                                  submit: "Publish version \(stored.version)", fields: [],
                                  hint: "Fixes this version as it is and mails its link to the customer's authorized contacts. A correction after that is the next version.")
            publish.open = true
            if let (problem, form) = problem {
                if form == "notes" { notes = notes.refused(problem, values: ["notes": request.content[String.self, at: "notes"] ?? stored.notes]) }
                else { publish = publish.refused(problem, values: [:]) }
            }
            forms = [notes, publish]
        }
        let status = problem.map { HTTPResponseStatus(statusCode: $0.0.status) } ?? .ok
        return try await render(request, review: review, kept: Kept(version: stored.version, notes: stored.notes,
                                                                    preparedAt: WebFormat.iso(stored.preparedAt), publishedAt: stored.publishedAt.map(WebFormat.iso)),
                                versions: [], forms: forms, json: "/api/v1/reviews/\(stored.id)",
                                livePath: portal ? nil : "/console/customers/\(stored.organizationID)/reviews/\(stored.period)", staff: !portal, status: status)
    }

    struct NotesForm: Decodable {
        var notes: String?
    }

    func notes(_ request: Request) async throws -> Response {
        let person = try request.webSession.person
        let id = try ReviewRoutes.reviewID(request)
        do {
            let form = try request.content.decode(NotesForm.self)
            _ = try await service(request).setReviewNotes(id, notes: form.notes ?? "", by: person)
            return request.redirect(to: "/console/reviews/\(id)", redirectType: .normal)
        } catch let problem as Problem where problem.status < 500 && problem.status != 404 {
            return try await version(request, problem: (problem, "notes"))
        }
    }

    func publish(_ request: Request) async throws -> Response {
        let person = try request.webSession.person
        let id = try ReviewRoutes.reviewID(request)
        do {
            _ = try await service(request).publishReview(id, by: person)
            return request.redirect(to: "/console/reviews/\(id)", redirectType: .normal)
        } catch let problem as Problem where problem.status < 500 && problem.status != 404 {
            return try await version(request, problem: (problem, "publish"))
        }
    }

    /// `/portal/reviews`: the customer's published reviews, newest first.
    func published(_ request: Request) async throws -> Response {
        let person = try request.webSession.person
        guard let organization = person.organizationID, person.role == .authorizedContact else {
            throw Problem(.forbidden, "a customer's service reviews are shown to its authorized contacts")
        }
        let versions = try await service(request).reviewVersions(of: organization, for: person)
        let name = try await service(request).store.organization(organization)?.name ?? ""
        return try await pages.render("reviews", title: "Service reviews · \(name)", content: ListContent(name: name, versions: versions.map { Self.line($0, portal: true) }),
                                      on: request, section: "/portal/reports/attainment")
    }

    private static func line(_ stored: StoredReview, portal: Bool) -> VersionLine {
        VersionLine(path: "/\(portal ? "portal" : "console")/reviews/\(stored.id)", period: stored.period, version: stored.version,
                    preparedAt: WebFormat.iso(stored.preparedAt), publishedAt: stored.publishedAt.map(WebFormat.iso))
    }

    private func render(_ request: Request, review: ServiceReview, kept: Kept?, versions: [VersionLine], forms: [WebForm], json: String,
                        livePath: String?, staff: Bool, status: HTTPResponseStatus = .ok) async throws -> Response {
        let months = review.attainmentPerMonth
        let metric = months.first?.metric
        let attainment = BarChart(title: "Attainment per month\(metric.map { " (\($0))" } ?? "")",
                                  bars: months.filter { $0.metric == metric }.map {
                                      .init(label: $0.month, value: $0.attainment ?? 0, text: $0.attainment.map { String(format: "%.1f %%", $0) } ?? "—")
                                  }, scale: 100)
        let backlog = BarChart(title: "Open at the end, by age", bars: review.backlog.map { .init(label: $0.bucket, value: Double($0.cases), text: "\($0.cases)") },
                               scale: nil)
        let priorities = BarChart(title: "Cases logged per priority", bars: review.casesPerPriority.map {
            .init(label: $0.priority, value: Double($0.logged), text: "\($0.logged)")
        }, scale: nil)
        let content = Content(review: review, attainmentChart: attainment.svg, backlogChart: backlog.svg, priorityChart: priorities.svg,
                              casePath: staff ? "/console/cases/" : "/portal/cases/", json: json, kept: kept, versions: versions, forms: forms,
                              livePath: livePath)
        let title = "Service review \(review.period)\(kept.map { " v\($0.version)" } ?? "") · \(review.organizationName)"
        return try await pages.render("review", title: title, content: content, on: request, status: status,
                                      section: staff ? "/console/customers" : "/portal/reports/attainment")
    }
}
