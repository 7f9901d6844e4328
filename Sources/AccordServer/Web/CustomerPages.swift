import AccordCore
import AccordStore
import Foundation
import Vapor

/// `/console/customers`: the provider's customers with their subscriptions, and one customer's
/// account — plan, term and notice deadline, people (with an invitation to set a password for
/// managers and administrators to hand over) and the audit trail. Every figure is the API's
/// (`OrganizationResponse`), every invitation `Invitations`.
struct CustomerPages: RouteCollection {
    let store: @Sendable (Request) -> DeskStore
    let catalog: PolicyCatalog
    let settings: WebSettings
    let pages: PageRenderer
    let now: @Sendable () -> Date

    func boot(routes: any RoutesBuilder) throws {
        routes.get("console", "customers", use: list)
        routes.get("console", "customers", ":id", use: show)
        routes.post("console", "people", ":id", "invitation", use: invite)
        routes.post("console", "customers", ":id", "people", use: addPerson)
    }

    struct ListContent: Encodable, Sendable {
        let customers: [Row]
    }

    struct Row: Encodable, Sendable {
        let id: String
        let name: String
        let policy: String
        let plan: String
        let status: String
        let termEnd: String
        let noticeDeadline: String?
        let contacts: String
    }

    private func staff(_ request: Request) throws -> Person {
        let person = try request.webSession.person
        guard person.role.isStaff else { throw Problem(.forbidden, "the console is for the provider's staff") }
        return person
    }

    func list(_ request: Request) async throws -> Response {
        _ = try staff(request)
        let store = store(request)
        var rows: [Row] = []
        for organization in try await store.organizations() {
            let policy = try await catalog.current(organization.policyID, store: store)
            let account = try OrganizationResponse(organization, policy: policy, people: try await store.people(in: organization.id), at: now())
            rows.append(Row(id: organization.id.uuidString, name: organization.name, policy: policy.name,
                            plan: account.subscription.plan.flatMap { policy.plan($0)?.name } ?? "none", status: account.subscription.status,
                            termEnd: account.subscription.termEnd, noticeDeadline: account.subscription.noticeDeadline,
                            contacts: "\(account.authorizedContacts.used)" + (account.authorizedContacts.included.map { " of \($0)" } ?? "")))
        }
        return try await pages.render("customers", title: "Customers", content: ListContent(customers: rows.sorted { $0.name < $1.name }), on: request)
    }

    struct CustomerContent: Encodable, Sendable {
        let id: String
        let name: String
        let policy: String
        let account: OrganizationResponse
        let people: [PersonRow]
        let history: [HistoryRow]
        let canInvite: Bool
        let invitation: InvitationShown?
        let problem: String?
        let notice: String?
        /// What the add-a-person form held when it was refused.
        let typed: PersonForm?
    }

    struct PersonForm: Content {
        var name: String?
        var email: String?
        var role: String?
        var acknowledgeFee: String?
    }

    struct PersonRow: Encodable, Sendable {
        let id: String
        let name: String
        let email: String
        let role: String
        let state: String
    }

    struct HistoryRow: Encodable, Sendable {
        let at: String
        let who: String
        let detail: String
    }

    struct InvitationShown: Encodable, Sendable {
        let email: String
        let link: String
        let expires: String
    }

    func show(_ request: Request) async throws -> Response {
        try await render(request, invitation: nil, problem: nil, status: .ok)
    }

    private func render(_ request: Request, invitation: InvitationShown?, problem: String?, status: HTTPResponseStatus,
                        organizationID: UUID? = nil, notice: String? = nil, typed: PersonForm? = nil) async throws -> Response {
        let caller = try staff(request)
        let store = store(request)
        guard let id = organizationID ?? request.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let organization = try await store.organization(id) else { throw Problem(.notFound, "no customer has that id") }
        let policy = try await catalog.current(organization.policyID, store: store)
        let people = try await store.people(in: id)
        let account = try OrganizationResponse(organization, policy: policy, people: people, at: now())
        var rows: [PersonRow] = []
        for person in people where !person.erased {
            let state = person.deactivated ? "deactivated" : (try await store.hasPassword(person.id) ? "can sign in" : "no password yet")
            rows.append(PersonRow(id: person.id.uuidString, name: person.name, email: person.email, role: PageRenderer.roleName(person.role), state: state))
        }
        let format = WebFormat(request)
        var names: [UUID: String] = [:]
        var history: [HistoryRow] = []
        for event in try await store.history(of: id).suffix(50).reversed() {
            var who = "the desk"
            if let actor = event.actorID {
                if names[actor] == nil { names[actor] = try await store.person(actor)?.name ?? "someone" }
                who = names[actor]!
            }
            history.append(HistoryRow(at: format.time(event.at, contractZone: nil).viewer, who: who, detail: event.detail))
        }
        let content = CustomerContent(id: id.uuidString, name: organization.name, policy: policy.name, account: account, people: rows,
                                      history: history, canInvite: [.manager, .admin].contains(caller.role), invitation: invitation, problem: problem,
                                      notice: notice ?? (request.query[String.self, at: "added"].map { "Added \($0). Invite them to set a password." }),
                                      typed: typed)
        return try await pages.render("customer", title: organization.name, content: content, on: request, status: status)
    }

    /// Makes a one-time link for the person and shows it on the customer's page, once.
    func invite(_ request: Request) async throws -> Response {
        let caller = try staff(request)
        guard let id = request.parameters.get("id").flatMap(UUID.init(uuidString:)), let person = try await store(request).person(id),
              let organizationID = person.organizationID else { throw Problem(.notFound, "no customer's person has that id") }
        do {
            let link = try await Invitations(store: store(request), settings: settings, now: now).invite(id, by: caller)
            let shown = InvitationShown(email: person.email, link: link.url ?? link.path,
                                        expires: WebFormat(request).time(link.expires, contractZone: nil).viewer)
            return try await render(request, invitation: shown, problem: nil, status: .created, organizationID: organizationID)
        } catch let problem as Problem where problem.status < 500 {
            return try await render(request, invitation: nil, problem: problem.detail, status: HTTPResponseStatus(statusCode: problem.status),
                                    organizationID: organizationID)
        }
    }

    /// Adds a person to the customer (`CustomerPeople`: the plan's allowance of authorized contacts
    /// and its overage fee apply), then comes back to the page to invite them.
    func addPerson(_ request: Request) async throws -> Response {
        let caller = try staff(request)
        guard let id = request.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw Problem(.notFound, "no customer has that id") }
        let form = try request.content.decode(PersonForm.self)
        do {
            let person = try await CustomerPeople(store: store(request), catalog: catalog, now: now).add(
                .init(name: (form.name ?? "").trimmingCharacters(in: .whitespaces), email: (form.email ?? "").trimmingCharacters(in: .whitespaces),
                      role: form.role ?? "user", acknowledgeFee: form.acknowledgeFee == "yes"), to: id, by: caller)
            var components = URLComponents()
            components.path = "/console/customers/\(id.uuidString)"
            components.queryItems = [URLQueryItem(name: "added", value: person.email)]
            return request.redirect(to: components.string ?? components.path, redirectType: .normal)
        } catch let problem as Problem where problem.status < 500 {
            return try await render(request, invitation: nil, problem: problem.detail, status: HTTPResponseStatus(statusCode: problem.status),
                                    organizationID: id, typed: form)
        } catch let error as StoreError {
            let problem = ProblemMiddleware.problem(for: error, request: request)
            return try await render(request, invitation: nil, problem: problem.detail, status: HTTPResponseStatus(statusCode: problem.status),
                                    organizationID: id, typed: form)
        }
    }
}
