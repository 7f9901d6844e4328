import AccordStore
import Foundation

/// Inviting a person to set their password: who may invite whom (managers and administrators a
/// customer's people, administrators the provider's staff), and the one-time link. The API's
/// `POST /people/{id}/invitations` and the console's invite button both come here.
struct Invitations: Sendable {
    let store: DeskStore
    let settings: WebSettings
    let now: @Sendable () -> Date

    /// A link made for a person: its path (and whole URL when the desk knows its address) and until when it works.
    struct Link: Sendable {
        let person: Person
        let path: String
        let url: String?
        let expires: Date
    }

    func invite(_ personID: UUID, by caller: Person) async throws -> Link {
        guard [Role.manager, .admin].contains(caller.role) else {
            throw Problem(.forbidden, "this needs one of the roles admin, manager; you are \(caller.role.rawValue)")
        }
        guard let person = try await store.person(personID), !person.erased else { throw StoreError.notFound("person \(personID)") }
        if person.organizationID == nil, caller.role != .admin {
            throw Problem(.forbidden, "only administrators manage the provider's staff")
        }
        guard !person.deactivated else { throw Problem(.conflict, "\(person.email) is deactivated: reactivate them before inviting them") }
        let expires = now().addingTimeInterval(settings.invitationLifetime)
        let secret = try await store.invite(person.id, by: caller.id, expires: expires, at: now())
        let path = "/invitations/\(secret)"
        return Link(person: person, path: path, url: settings.publicURL.map { $0 + path }, expires: expires)
    }
}
