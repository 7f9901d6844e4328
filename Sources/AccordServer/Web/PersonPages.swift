import AccordCore
import AccordStore
import Foundation
import Vapor

/// `/console/staff` and `/console/people/{id}`: the provider's staff with their tiers and queues,
/// and one person — a customer's or the provider's — with their history; for those who may manage
/// them (`PersonChanges`: managers and administrators a customer's people, administrators the
/// staff) the forms to change them, deactivate or reactivate them, and invite them to set a
/// password (`Invitations`). The same services as `/api/v1/people` and `/api/v1/staff`.
struct PersonPages: RouteCollection {
    let store: @Sendable (Request) -> DeskStore
    let catalog: PolicyCatalog
    let settings: WebSettings
    let pages: PageRenderer
    let now: @Sendable () -> Date

    func boot(routes: any RoutesBuilder) throws {
        routes.get("console", "staff", use: staffList)
        routes.post("console", "staff", use: addStaff)
        routes.get("console", "people", ":id", use: show)
        routes.post("console", "people", ":id", "change", ":form", use: change)
        routes.post("console", "people", ":id", "invitation", use: invite)
    }

    private func staff(_ request: Request) throws -> Person {
        let person = try request.webSession.person
        guard person.role.isStaff else { throw Problem(.forbidden, "the console is for the provider's staff") }
        return person
    }

    private func changes(_ request: Request) -> PersonChanges {
        PersonChanges(store: store(request), catalog: catalog, now: now)
    }

    // MARK: Staff

    struct StaffContent: Encodable, Sendable {
        let people: [StaffRow]
        let forms: [WebForm]
    }

    struct StaffRow: Encodable, Sendable {
        let id: String
        let name: String
        let email: String
        let role: String
        let tier: String
        let queues: String
        let state: String
    }

    func staffList(_ request: Request) async throws -> Response {
        try await renderStaff(request, refused: nil, status: .ok)
    }

    private func renderStaff(_ request: Request, refused: CustomerPages.Refused?, status: HTTPResponseStatus) async throws -> Response {
        let caller = try staff(request)
        let store = store(request)
        var rows: [StaffRow] = []
        for person in try await store.staff(roles: Role.staff) where !person.erased {
            let queues = try await store.memberships(of: person.id).map { "\($0.policyID).\($0.teamID)\($0.lead ? " (lead)" : "")" }
            rows.append(StaffRow(id: person.id.uuidString, name: person.name, email: person.email, role: PageRenderer.roleName(person.role),
                                 tier: person.tier.map(String.init) ?? "—", queues: queues.isEmpty ? "—" : queues.joined(separator: ", "),
                                 state: try await Self.state(of: person, store: store)))
        }
        var forms: [WebForm] = []
        if caller.role == .admin {
            let form = Self.newStaffForm
            forms = [refused.map { form.refused($0.problem, values: $0.values) } ?? form]
        }
        return try await pages.render("staff", title: "Staff", content: StaffContent(people: rows.sorted { $0.name < $1.name }, forms: forms),
                                      on: request, status: status, section: "/console/staff")
    }

    static let staffRoles: [(value: String, label: String)] = [Role.agent, .tam, .manager, .admin].map { ($0.rawValue, PageRenderer.roleName($0)) }

    static var newStaffForm: WebForm {
        WebForm(id: "staff", title: "Add a member of staff", action: "/console/staff", submit: "Add to the staff", fields: [
            .text("name", "Name", required: true, maxLength: 200),
            WebField(name: "email", label: "Email", kind: "email", required: true, maxLength: 320),
            .select("role", "Role", staffRoles, selected: Role.agent.rawValue),
            .select("tier", "Tier", [(value: "", label: "None (not an agent)"), (value: "1", label: "1"), (value: "2", label: "2"), (value: "3", label: "3")],
                    hint: "An agent works in a tier; queues take the agents of their tier."),
        ], hint: "They set their password through an invitation from their page.")
    }

    /// Adds a member of staff (administrators) and opens their page to invite them.
    func addStaff(_ request: Request) async throws -> Response {
        let caller = try staff(request)
        let values = try request.content.decode([String: String].self)
        let form = FormValues(values)
        do {
            let person = try await changes(request).addStaff(.init(name: form.text("name"), email: form.text("email"), role: form.text("role"),
                                                                   tier: try Self.tier(form["tier"])), by: caller)
            return request.redirect(to: "/console/people/\(person.id.uuidString)?added=1", redirectType: .normal)
        } catch {
            let problem = try WebRefusal.problem(error, request)
            return try await renderStaff(request, refused: .init(form: "staff", problem: problem, values: values),
                                         status: HTTPResponseStatus(statusCode: problem.status))
        }
    }

    private static func tier(_ text: String?) throws -> Int? {
        guard let text else { return nil }
        guard let tier = Int(text) else { throw Problem(.unprocessableEntity, "tier must be 1, 2 or 3", field: "tier") }
        return tier
    }

    static func state(of person: Person, store: DeskStore) async throws -> String {
        if person.deactivated { return "deactivated" }
        return try await store.hasPassword(person.id) ? "can sign in" : "no password yet"
    }

    // MARK: A person

    struct PersonContent: Encodable, Sendable {
        let id: String
        let name: String
        let email: String
        let role: String
        let tier: String?
        let organization: Link?
        let state: String
        let queues: [String]
        let history: [AuditTrail.Row]
        let forms: [WebForm]
        let canInvite: Bool
        /// Staff log cases for a customer's active person.
        let canLogFor: Bool
        let invitation: InvitationShown?
        let notice: String?
        /// A refusal of a form the page no longer shows (the person changed meanwhile).
        let problem: String?
    }

    /// A one-time link to set a password, shown once.
    struct InvitationShown: Encodable, Sendable {
        let email: String
        let link: String
        let expires: String
    }

    struct Link: Encodable, Sendable {
        let href: String
        let label: String
    }

    func show(_ request: Request) async throws -> Response {
        try await render(request, refused: nil, invitation: nil, status: .ok)
    }

    private func render(_ request: Request, refused: CustomerPages.Refused?, invitation: InvitationShown?,
                        status: HTTPResponseStatus) async throws -> Response {
        let caller = try staff(request)
        let store = store(request)
        guard let id = request.parameters.get("id").flatMap(UUID.init(uuidString:)), let person = try await store.person(id), !person.erased else {
            throw Problem(.notFound, "no person has that id")
        }
        var organization: Link?
        if let organizationID = person.organizationID, let found = try await store.organization(organizationID) {
            organization = Link(href: "/console/customers/\(found.id.uuidString)", label: found.name)
        }
        let manageable = (try? await changes(request).manageable(id, by: caller)) != nil
        var forms: [WebForm] = []
        if manageable {
            forms = Self.forms(for: person)
            if let refused, let index = forms.firstIndex(where: { $0.id == refused.form }) {
                forms[index] = forms[index].refused(refused.problem, values: refused.values)
            }
        }
        let format = WebFormat(request)
        let events = try await store.history(ofPerson: id)
        let history = try await AuditTrail.rows(events.map { ($0.at, $0.actorID, $0.detail) }, store: store, format: format)
        var notice: String?
        if request.query[String.self, at: "done"] != nil { notice = events.last.map { "Recorded: \($0.detail)." } ?? "Saved." }
        if request.query[String.self, at: "added"] != nil { notice = "Added \(person.email). Invite them to set a password." }
        var problem: String?
        if let refused, !forms.contains(where: { $0.id == refused.form }) { (notice, problem) = (nil, refused.problem.detail) }
        let content = PersonContent(
            id: id.uuidString, name: person.name, email: person.email, role: PageRenderer.roleName(person.role), tier: person.tier.map(String.init),
            organization: organization, state: try await Self.state(of: person, store: store),
            queues: try await store.memberships(of: id).map { "\($0.policyID).\($0.teamID)\($0.lead ? " (lead)" : "")" },
            history: history, forms: forms, canInvite: manageable && !person.deactivated,
            canLogFor: person.organizationID != nil && !person.deactivated, invitation: invitation, notice: notice,
            problem: problem)
        return try await pages.render("person", title: person.name, content: content, on: request, status: status,
                                      section: person.organizationID == nil ? "/console/staff" : "/console/customers")
    }

    /// The forms for a person who may be managed: their details, and leaving or coming back.
    static func forms(for person: Person) -> [WebForm] {
        let base = "/console/people/\(person.id.uuidString)/change/"
        var details: [WebField] = [
            .text("name", "Name", value: person.name, required: true, maxLength: 200),
            WebField(name: "email", label: "Email", kind: "email", value: person.email, required: true, maxLength: 320),
        ]
        if person.organizationID == nil {
            details.append(.select("role", "Role", staffRoles, selected: person.role.rawValue))
            details.append(.select("tier", "Tier", [(value: "", label: "None"), (value: "1", label: "1"), (value: "2", label: "2"), (value: "3", label: "3")],
                                   selected: person.tier.map(String.init) ?? ""))
        } else {
            details.append(.select("role", "Role", [(Role.user.rawValue, "User"), (Role.authorizedContact.rawValue, "Authorized contact")],
                                   selected: person.role.rawValue))
            details.append(.checkbox("acknowledgeFee", "Beyond the plan's authorized contacts, the customer accepts the overage fee"))
        }
        var forms = [WebForm(id: "edit", title: "Change name, email or role", action: base + "edit", submit: "Save", fields: details)]
        if person.deactivated {
            forms.append(WebForm(id: "reactivation", title: "Reactivate", action: base + "reactivation", submit: "Reactivate",
                                 fields: [.text("reason", "Reason (kept in the history)")],
                                 hint: "They may sign in again once they set a password or get a new token."))
        } else {
            forms.append(WebForm(id: "deactivation", title: "Deactivate (left, on leave)", action: base + "deactivation", submit: "Deactivate",
                                 fields: [.text("reason", "Reason", required: true)],
                                 hint: person.organizationID == nil
                                     ? "They can no longer sign in; their tokens are revoked; their open cases go back to the queue and they leave their teams."
                                     : "They can no longer sign in and their tokens are revoked; their cases and name stay."))
        }
        return forms
    }

    /// Carries out one of the person's forms, then shows the page with what was recorded.
    func change(_ request: Request) async throws -> Response {
        let caller = try staff(request)
        guard let id = request.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw Problem(.notFound, "no person has that id") }
        let form = request.parameters.get("form") ?? ""
        let values = try request.content.decode([String: String].self)
        let sent = FormValues(values)
        do {
            let changes = changes(request)
            switch form {
            case "edit":
                // A customer's form has no tier; `edit` refuses one sent for a customer's person.
                _ = try await changes.edit(id, .init(name: sent["name"], email: sent["email"], role: sent["role"], tier: try Self.tier(sent["tier"]),
                                                     acknowledgeFee: sent.ticked("acknowledgeFee")), by: caller)
            case "deactivation": _ = try await changes.deactivate(id, reason: sent["reason"], by: caller)
            case "reactivation": _ = try await changes.reactivate(id, reason: sent["reason"], by: caller)
            default: throw Problem(.notFound, "no such change of a person: \(form)")
            }
            return request.redirect(to: "/console/people/\(id.uuidString)?done=1", redirectType: .normal)
        } catch {
            let problem = try WebRefusal.problem(error, request)
            return try await render(request, refused: .init(form: form, problem: problem, values: values), invitation: nil,
                                    status: HTTPResponseStatus(statusCode: problem.status))
        }
    }

    /// Makes a one-time link for the person and shows it on their page, once.
    func invite(_ request: Request) async throws -> Response {
        let caller = try staff(request)
        guard let id = request.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw Problem(.notFound, "no person has that id") }
        let link = try await Invitations(store: store(request), settings: settings, now: now).invite(id, by: caller)
        let shown = InvitationShown(email: link.person.email, link: link.url ?? link.path,
                                                  expires: WebFormat(request).time(link.expires, contractZone: nil).viewer)
        return try await render(request, refused: nil, invitation: shown, status: .created)
    }
}
