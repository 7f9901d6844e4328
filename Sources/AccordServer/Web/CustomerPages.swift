import AccordCore
import AccordStore
import Foundation
import Vapor

/// `/console/customers`: the provider's customers with their subscriptions, and one customer's
/// account — plan, term and notice deadline with the forms that change them (`AccountForms`),
/// people (each managed on their own page, `PersonPages`) and the audit trail. Every figure is the API's
/// (`OrganizationResponse`), every invitation `Invitations`.
struct CustomerPages: RouteCollection {
    let store: @Sendable (Request) -> DeskStore
    let catalog: PolicyCatalog
    let pages: PageRenderer
    let now: @Sendable () -> Date

    func boot(routes: any RoutesBuilder) throws {
        routes.get("console", "customers", use: list)
        routes.get("console", "customers", ":id", use: show)
        routes.post("console", "customers", ":id", "people", use: addPerson)
        routes.post("console", "customers", ":id", "account", ":form", use: changeAccount)
        routes.post("console", "customers", use: open)
    }

    struct ListContent: Encodable, Sendable {
        let customers: [Row]
        /// Opening an account: managers and administrators.
        let forms: [WebForm]
    }

    /// A form that was refused: which, why, and what it held.
    struct Refused: Sendable {
        let form: String
        let problem: Problem
        let values: [String: String]
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
        try await renderList(request, refused: nil, status: .ok)
    }

    private func renderList(_ request: Request, refused: Refused?, status: HTTPResponseStatus) async throws -> Response {
        let caller = try staff(request)
        let store = store(request)
        var rows: [Row] = []
        for organization in try await store.organizations() {
            let policy = try await catalog.current(organization.policyID, store: store)
            let account = try OrganizationResponse(organization, policy: policy, people: try await store.people(in: organization.id), at: now())
            rows.append(Row(id: organization.id.uuidString, name: organization.name, policy: policy.name,
                            plan: account.subscription.plan.flatMap { policy.plan($0)?.name } ?? "none", status: account.subscription.status,
                            termEnd: account.subscription.termShown.end, noticeDeadline: account.subscription.noticeDeadline,
                            contacts: "\(account.authorizedContacts.used)" + (account.authorizedContacts.included.map { " of \($0)" } ?? "")))
        }
        var form: WebForm?
        if [.manager, .admin].contains(caller.role) {
            let policies = try await catalog.currentPolicies(store: store).values.sorted { $0.name < $1.name }
            let opening = Self.openingForm(policies, today: try policies.first.map { try $0.day(at: CaseService.seconds(now())).description } ?? "")
            form = refused.map { opening.refused($0.problem, values: $0.values) } ?? opening
        }
        return try await pages.render("customers", title: "Customers", content: ListContent(customers: rows.sorted { $0.name < $1.name }, forms: form.map { [$0] } ?? []),
                                      on: request, status: status, section: "/console/customers")
    }

    /// Opening a customer's account: a plan of a policy (`policy:plan`), a region of the same
    /// policy (`policy:region`, or the policy's default), the first term and the case prefix.
    static func openingForm(_ policies: [Policy], today: String) -> WebForm {
        WebForm(id: "open", title: "Open a customer's account", action: "/console/customers", submit: "Open the account", fields: [
            .once(),
            .text("name", "Customer's name", required: true, maxLength: 200),
            .select("plan", "Plan", policies.flatMap { policy in policy.plans.map { (value: "\(policy.id):\($0.id)", label: "\(policy.name) — \($0.name)") } }),
            .select("region", "Region", [(value: "", label: "The policy's default region")]
                    + policies.flatMap { policy in policy.regions.map { (value: "\(policy.id):\($0.id)", label: "\(policy.name) — \($0.name)") } }),
            .date("termStart", "First day of the term", value: today, required: true),
            .date("termEnd", "Last day of the term", required: true),
            .select("automaticRenewal", "Renews", [(value: "", label: "As the policy says"), (value: "yes", label: "Automatically"),
                                                   (value: "no", label: "Only when renewed")]),
            .text("casePrefix", "Case number prefix", required: true, hint: "2–10 capital letters or digits, starting with a letter (PLM, ACME).",
                  maxLength: 10),
        ])
    }

    /// Opens a customer's account (`Subscriptions.open`) and goes to its page; posted twice, once.
    func open(_ request: Request) async throws -> Response {
        let caller = try staff(request)
        let values = try request.content.decode([String: String].self)
        let form = FormValues(values)
        func refuse(_ problem: Problem) async throws -> Response {
            try await renderList(request, refused: Refused(form: "open", problem: problem, values: values), status: HTTPResponseStatus(statusCode: problem.status))
        }
        return try await FormOnce(store: store(request), now: now).perform(values["once"], session: try request.webSession, on: request, underWay: {
            try await refuse(Problem(.conflict, "This form is already being sent; the account appears in the list in a moment."))
        }) {
            do {
                let (policy, plan) = Self.split(form.text("plan"))
                var region: String?
                if let chosen = form["region"] {
                    let (regionPolicy, id) = Self.split(chosen)
                    guard regionPolicy == policy else {
                        throw Problem(.unprocessableEntity, "that region belongs to another policy than the plan; choose one of \(policy)'s", field: "region")
                    }
                    region = id
                }
                let organization = try await Subscriptions(store: store(request), catalog: catalog, now: now).open(.init(
                    name: form.text("name"), policy: policy, plan: plan, region: region, termStart: form.text("termStart"), termEnd: form.text("termEnd"),
                    automaticRenewal: form["automaticRenewal"].map { $0 == "yes" }, casePrefix: form.text("casePrefix")), by: caller)
                let location = "/console/customers/\(organization.id.uuidString)?done=1"
                return (request.redirect(to: location, redirectType: .normal), location)
            } catch {
                return (try await refuse(try WebRefusal.problem(error, request)), nil)
            }
        }
    }

    /// `policy:item` as the opening form's choices name a plan or a region.
    private static func split(_ value: String) -> (String, String) {
        guard let colon = value.firstIndex(of: ":") else { return (value, "") }
        return (String(value[..<colon]), String(value[value.index(after: colon)...]))
    }

    struct CustomerContent: Encodable, Sendable {
        let id: String
        let name: String
        let policy: String
        let account: OrganizationResponse
        /// The term in force (`termShown`).
        let term: OrganizationResponse.Term
        let people: [PersonRow]
        let history: [AuditTrail.Row]
        let canInvite: Bool
        /// Changes to the account (`AccountForms`), for managers and administrators.
        let forms: [WebForm]
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


    func show(_ request: Request) async throws -> Response {
        try await render(request, problem: nil, status: .ok)
    }

    /// Carries out one of the account's forms (`AccountForms`), then shows the page with what
    /// was recorded; refused, the page again with the problem beside the field.
    func changeAccount(_ request: Request) async throws -> Response {
        let caller = try staff(request)
        guard let id = request.parameters.get("id").flatMap(UUID.init(uuidString:)), let organization = try await store(request).organization(id) else {
            throw Problem(.notFound, "no customer has that id")
        }
        let form = request.parameters.get("form") ?? ""
        let values = try request.content.decode([String: String].self)
        do {
            _ = try await AccountForms.submit(form, FormValues(values), to: organization,
                                              with: Subscriptions(store: store(request), catalog: catalog, now: now), by: caller)
            return request.redirect(to: "/console/customers/\(id.uuidString)?done=1", redirectType: .normal)
        } catch {
            let problem = try WebRefusal.problem(error, request)
            return try await render(request, problem: nil, status: HTTPResponseStatus(statusCode: problem.status),
                                    organizationID: id, refused: Refused(form: form, problem: problem, values: values))
        }
    }

    private func render(_ request: Request, problem: String?, status: HTTPResponseStatus,
                        organizationID: UUID? = nil, notice: String? = nil, typed: PersonForm? = nil, refused: Refused? = nil) async throws -> Response {
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
        let events = try await store.history(of: id)
        var notice = notice
        if request.query[String.self, at: "done"] != nil, let latest = events.last {
            notice = "Recorded: \(latest.detail)."
        }
        var forms: [WebForm] = []
        if [.manager, .admin].contains(caller.role) {
            forms = AccountForms.forms(for: organization, policy: policy, account: account, today: try policy.day(at: CaseService.seconds(now())))
            if let refused, let index = forms.firstIndex(where: { $0.id == refused.form }) {
                forms[index] = forms[index].refused(refused.problem, values: refused.values)
            }
        }
        let history = try await AuditTrail.rows(events.map { ($0.at, $0.actorID, $0.detail) }, store: store, format: format)
        let content = CustomerContent(id: id.uuidString, name: organization.name, policy: policy.name, account: account, term: account.subscription.termShown, people: rows,
                                      history: history, canInvite: [.manager, .admin].contains(caller.role), forms: forms,
                                      problem: problem ?? refused.flatMap { refused in forms.contains { $0.id == refused.form } ? nil : refused.problem.detail },
                                      notice: notice ?? (request.query[String.self, at: "added"].map { "Added \($0). Invite them to set a password." }),
                                      typed: typed)
        return try await pages.render("customer", title: organization.name, content: content, on: request, status: status)
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
            return try await render(request, problem: problem.detail, status: HTTPResponseStatus(statusCode: problem.status),
                                    organizationID: id, typed: form)
        } catch let error as StoreError {
            let problem = ProblemMiddleware.problem(for: error, request: request)
            return try await render(request, problem: problem.detail, status: HTTPResponseStatus(statusCode: problem.status),
                                    organizationID: id, typed: form)
        }
    }
}
