import AccordCore
import AccordStore
import Foundation

/// Adding a person to a customer: a user or an authorized contact, the latter counted against the
/// plan's allowance (beyond it, refused, or billed as an overage once the fee is acknowledged). The
/// API's `POST /organizations/{id}/people` and the console's form both come here.
struct CustomerPeople: Sendable {
    let store: DeskStore
    let catalog: PolicyCatalog
    let now: @Sendable () -> Date

    struct NewPerson: Sendable {
        var name: String
        var email: String
        var role: String
        var acknowledgeFee: Bool
    }

    func add(_ new: NewPerson, to organizationID: UUID, by caller: Person) async throws -> Person {
        guard [Role.manager, .admin].contains(caller.role) else {
            throw Problem(.forbidden, "this needs one of the roles admin, manager; you are \(caller.role.rawValue)")
        }
        guard let organization = try await store.organization(organizationID) else { throw StoreError.notFound("organization \(organizationID)") }
        guard let role = Role(rawValue: new.role), !role.isStaff else {
            throw Problem(.unprocessableEntity, "role must be user or authorized-contact for customer people", field: "role")
        }
        try Self.check(name: new.name, email: new.email)
        let allowance = try await catalog.contactAllowance(of: organization, at: now(), feeAcknowledged: new.acknowledgeFee, store: store)
        return try await store.createPerson(organizationID: organizationID, name: new.name, email: new.email, role: role, allowance: allowance,
                                            by: caller.id, at: now())
    }

    /// A person's name is not empty and their email is an address.
    static func check(name: String, email: String) throws {
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw Problem(.unprocessableEntity, "name must not be empty", field: "name") }
        guard CaseService.isEmail(email) else { throw Problem(.unprocessableEntity, "'\(email)' is not an email address", field: "email") }
    }
}
