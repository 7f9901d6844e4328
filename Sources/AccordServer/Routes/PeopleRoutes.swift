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

    /// Renames a person, changes their email, role or tier (`PersonChanges.edit`).
    func edit(_ request: Request) async throws -> Person {
        let caller = try request.requireStaff()
        let edit = try StrictBody.decode(PersonEdit.self, from: request, allowed: PersonEdit.fields)
        return try await changes(request).edit(try uuid(request), .init(name: edit.name, email: edit.email, role: edit.role, tier: edit.tier,
                                                                       acknowledgeFee: edit.acknowledgeFee ?? false), by: caller)
    }

    /// Deactivates a person who leaves (`reason` required).
    func deactivate(_ request: Request) async throws -> Person {
        let caller = try request.requireStaff()
        let body = try StrictBody.decode(Reason.self, from: request, allowed: ["reason"])
        let deactivated = try await changes(request).deactivate(try uuid(request), reason: body.reason, by: caller)
        request.logger.notice("person \(deactivated.id) deactivated by \(caller.email)")
        return deactivated
    }

    /// Lets a deactivated person sign in again; they need a new token.
    func reactivate(_ request: Request) async throws -> Person {
        let caller = try request.requireStaff()
        let reason = request.body.data == nil ? nil : try StrictBody.decode(Reason.self, from: request, allowed: ["reason"]).reason
        return try await changes(request).reactivate(try uuid(request), reason: reason, by: caller)
    }

    /// A person's history (staff: managers and administrators).
    func history(_ request: Request) async throws -> HistoryList {
        _ = try request.requireStaff()
        let id = try uuid(request)
        guard try await store(request).person(id) != nil else { throw StoreError.notFound("person \(id)") }
        return HistoryList(items: try await store(request).history(ofPerson: id).map(HistoryView.init))
    }

    private func changes(_ request: Request) -> PersonChanges {
        PersonChanges(store: store(request), catalog: catalog, now: now)
    }

    private func uuid(_ request: Request) throws -> UUID {
        guard let text = request.parameters.get("id"), let id = UUID(uuidString: text) else { throw Problem(.notFound, "no such id") }
        return id
    }
}
