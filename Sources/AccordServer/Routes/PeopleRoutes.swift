import AccordCore
import AccordStore
import BusinessTime
import Foundation
import Vapor

/// `/api/v1/people/{id}`: a person, changes to them over time, leaving and coming back, and their
/// history. Customers' people are managed by managers and administrators; the provider's staff by
/// administrators only.
struct PeopleRoutes: RouteCollection {
    let store: @Sendable (Request) -> DeskStore
    let catalog: PolicyCatalog
    /// How long an invitation link works, and the desk's address to make it whole.
    let web: WebSettings
    let now: @Sendable () -> Date

    struct PersonEdit: Content {
        var name: String?
        var email: String?
        var role: String?
        var tier: Int?
        /// Accepts the fee for an authorized contact beyond the plan's allowance.
        var acknowledgeFee: Bool?

        static let fields: Set<String> = ["name", "email", "role", "tier", "acknowledgeFee"]
    }

    struct Reason: Content {
        var reason: String?
    }

    struct HistoryView: Content {
        let at: String
        let actor: UUID?
        let kind: String
        let detail: String

        init(_ event: PersonEvent) {
            at = ISO8601.utc(CaseService.seconds(event.at))
            actor = event.actorID
            kind = event.kind
            detail = event.detail
        }
    }

    struct HistoryList: Content {
        let items: [HistoryView]
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get("people", ":id", use: show)
        routes.patch("people", ":id", use: edit)
        routes.post("people", ":id", "deactivation", use: deactivate)
        routes.post("people", ":id", "reactivation", use: reactivate)
        routes.get("people", ":id", "history", use: history)
        routes.post("people", ":id", "invitations", use: invite)
    }

    struct InvitationView: Content {
        let person: UUID
        let email: String
        /// The one-time link's path on this desk, and the whole link when the desk knows its address (`--public-url`).
        let link: String
        let url: String?
        let expiresAt: String
    }

    /// Invites a person to set their password through a one-time link that expires (earlier
    /// links stop working). The link is shown once: hand it to the person.
    func invite(_ request: Request) async throws -> Response {
        let link = try await Invitations(store: store(request), settings: web, now: now).invite(try uuid(request), by: try request.caller)
        let view = InvitationView(person: link.person.id, email: link.person.email, link: link.path, url: link.url,
                                  expiresAt: ISO8601.utc(CaseService.seconds(link.expires)))
        let response = Response(status: .created)
        try response.content.encode(view, as: .json)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    /// A person: anyone to staff, yourself to yourself, an organization's people to its authorized contacts.
    func show(_ request: Request) async throws -> Person {
        let caller = try request.caller
        let id = try uuid(request)
        guard let person = try await store(request).person(id),
              caller.role.isStaff || caller.id == id
                || (caller.role == .authorizedContact && person.organizationID != nil && person.organizationID == caller.organizationID) else {
            throw StoreError.notFound("person \(id)")
        }
        return person
    }

    /// Renames a person, changes their email, role or tier. A customer's person moves between user
    /// and authorized contact (promotion checked against the plan's allowance, demotion ending any
    /// overage billed); staff move between the provider's roles.
    func edit(_ request: Request) async throws -> Person {
        let (caller, person) = try await manageable(request)
        let edit = try StrictBody.decode(PersonEdit.self, from: request, allowed: PersonEdit.fields)
        var change = PersonChange()
        if let name = edit.name {
            guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw Problem(.unprocessableEntity, "name must not be empty", field: "name") }
            change.name = name
        }
        if let email = edit.email {
            guard CaseService.isEmail(email) else { throw Problem(.unprocessableEntity, "'\(email)' is not an email address", field: "email") }
            change.email = email
        }
        let staff = person.organizationID == nil
        if let text = edit.role {
            let choices: [Role] = staff ? Role.staff.sorted { $0.rawValue < $1.rawValue } : [.user, .authorizedContact]
            guard let role = Role(rawValue: text), choices.contains(role) else {
                throw Problem(.unprocessableEntity, "role must be one of \(choices.map(\.rawValue).joined(separator: ", ")) for \(staff ? "the provider's staff" : "a customer's person")",
                              field: "role")
            }
            change.role = role
        }
        if let tier = edit.tier {
            guard staff else { throw Problem(.unprocessableEntity, "a customer's person works in no tier", field: "tier") }
            guard (1...3).contains(tier) else { throw Problem(.unprocessableEntity, "tier must be 1, 2 or 3", field: "tier") }
            change.tier = .some(tier)
        }
        if (change.role ?? person.role) == .agent, (edit.tier ?? person.tier) == nil {
            throw Problem(.unprocessableEntity, "an agent works in a tier: 1, 2 or 3", field: "tier")
        }
        guard change.name != nil || change.email != nil || change.role != nil || change.tier != nil else {
            throw Problem(.unprocessableEntity, "nothing to change: give a name, email, role or tier", field: "name")
        }
        if person.id == caller.id, let role = change.role, role != person.role {
            throw Problem(.conflict, "change another administrator's role, not your own while signed in")
        }
        var allowance: ContactAllowance?
        if change.role == .authorizedContact, let organizationID = person.organizationID,
           let organization = try await store(request).organization(organizationID) {
            allowance = try await catalog.contactAllowance(of: organization, at: now(), feeAcknowledged: edit.acknowledgeFee ?? false, store: store(request))
        }
        return try await store(request).changePerson(person.id, to: change, allowance: allowance, by: caller.id, at: now())
    }

    /// Deactivates a person who leaves (`reason` required): they cannot sign in and their tokens
    /// are revoked; staff give up their open cases, teams and account roles.
    func deactivate(_ request: Request) async throws -> Person {
        let (caller, person) = try await manageable(request)
        guard person.id != caller.id else { throw Problem(.conflict, "deactivate another administrator, not yourself while signed in") }
        let body = try StrictBody.decode(Reason.self, from: request, allowed: ["reason"])
        guard let reason = try FreeText.optional(body.reason, "reason") else {
            throw Problem(.unprocessableEntity, "say why the person is deactivated (left the company, on leave…)", field: "reason")
        }
        let deactivated = try await store(request).deactivate(person.id, reason: reason, by: caller.id, at: now())
        request.logger.notice("person \(person.id) deactivated by \(caller.email)")
        return deactivated
    }

    /// Lets a deactivated person sign in again; they need a new token.
    func reactivate(_ request: Request) async throws -> Person {
        let (caller, person) = try await manageable(request)
        let reason = request.body.data == nil ? nil : try FreeText.optional(StrictBody.decode(Reason.self, from: request, allowed: ["reason"]).reason, "reason")
        return try await store(request).reactivate(person.id, reason: reason, by: caller.id, at: now())
    }

    /// A person's history (staff: managers and administrators).
    func history(_ request: Request) async throws -> HistoryList {
        _ = try request.requireStaff()
        let id = try uuid(request)
        guard try await store(request).person(id) != nil else { throw StoreError.notFound("person \(id)") }
        return HistoryList(items: try await store(request).history(ofPerson: id).map(HistoryView.init))
    }

    /// The person named by the path and the caller, when the caller may manage them: managers and
    /// administrators a customer's people, administrators the provider's staff.
    private func manageable(_ request: Request) async throws -> (caller: Person, person: Person) {
        let caller = try request.requireStaff()
        let id = try uuid(request)
        guard let person = try await store(request).person(id), !person.erased else { throw StoreError.notFound("person \(id)") }
        if person.organizationID == nil, caller.role != .admin {
            throw Problem(.forbidden, "only administrators manage the provider's staff")
        }
        return (caller, person)
    }

    private func uuid(_ request: Request) throws -> UUID {
        guard let text = request.parameters.get("id"), let id = UUID(uuidString: text) else { throw Problem(.notFound, "no such id") }
        return id
    }
}
