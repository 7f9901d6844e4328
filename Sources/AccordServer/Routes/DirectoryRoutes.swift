import AccordCore
import AccordStore
import BusinessTime
import Foundation
import Vapor

/// `/api/v1/organizations`, their people, and tokens.
struct DirectoryRoutes: RouteCollection {
    let store: @Sendable (Request) -> DeskStore
    let catalog: PolicyCatalog

    struct NewOrganization: Content {
        var name: String
        var policy: String
        var plan: String
        var region: String?
        var termStart: String
        var termEnd: String
        var casePrefix: String
    }

    struct NewPerson: Content {
        var name: String
        var email: String
        var role: String
    }

    struct NewToken: Content {
        var label: String?
    }

    struct TokenResponse: Content {
        let token: String
        let person: UUID
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.post("organizations", use: createOrganization)
        routes.get("organizations", ":id", use: showOrganization)
        routes.post("organizations", ":id", "people", use: createPerson)
        routes.get("organizations", ":id", "people", use: listPeople)
        routes.post("people", ":id", "tokens", use: createToken)
        routes.get("me", use: me)
    }

    func createOrganization(_ request: Request) async throws -> Response {
        _ = try request.requireStaff()
        let new = try StrictBody.decode(NewOrganization.self, from: request, allowed: ["name", "policy", "plan", "region", "termStart", "termEnd", "casePrefix"])
        let policy = try catalog.policy(new.policy)
        guard policy.plan(new.plan) != nil else {
            throw Problem(.unprocessableEntity, "unknown plan '\(new.plan)'; plans: \(policy.plans.map(\.id).joined(separator: ", "))", field: "plan")
        }
        guard let region = new.region ?? policy.defaultRegion else {
            throw Problem(.unprocessableEntity, "region is required: one of \(policy.regions.map(\.id).joined(separator: ", "))", field: "region")
        }
        guard policy.region(region) != nil else {
            throw Problem(.unprocessableEntity, "unknown region '\(region)'; regions: \(policy.regions.map(\.id).joined(separator: ", "))", field: "region")
        }
        let start = try date(new.termStart, "termStart")
        let end = try date(new.termEnd, "termEnd")
        guard end > start else { throw Problem(.unprocessableEntity, "termEnd must be after termStart", field: "termEnd") }
        guard new.casePrefix.range(of: "^[A-Z][A-Z0-9]{1,9}$", options: .regularExpression) != nil else {
            throw Problem(.unprocessableEntity, "casePrefix must be 2-10 capital letters or digits, starting with a letter (e.g. PLM)", field: "casePrefix")
        }
        guard !new.name.trimmingCharacters(in: .whitespaces).isEmpty else { throw Problem(.unprocessableEntity, "name must not be empty", field: "name") }
        let organization = try await store(request).createOrganization(
            name: new.name, policyID: policy.id, planID: new.plan, regionID: region, termStart: start, termEnd: end, casePrefix: new.casePrefix)
        let response = Response(status: .created)
        try response.content.encode(organization, using: Self.encoder)
        return response
    }

    func showOrganization(_ request: Request) async throws -> Response {
        let caller = try request.caller
        let id = try uuid(request)
        guard caller.role.isStaff || caller.organizationID == id, let organization = try await store(request).organization(id) else {
            throw StoreError.notFound("organization \(id)")
        }
        let response = Response(status: .ok)
        try response.content.encode(organization, using: Self.encoder)
        return response
    }

    func createPerson(_ request: Request) async throws -> Response {
        _ = try request.requireStaff()
        let organizationID = try uuid(request)
        let new = try StrictBody.decode(NewPerson.self, from: request, allowed: ["name", "email", "role"])
        guard try await store(request).organization(organizationID) != nil else { throw StoreError.notFound("organization \(organizationID)") }
        guard let role = Role(rawValue: new.role), !role.isStaff else {
            throw Problem(.unprocessableEntity, "role must be user or authorized-contact for customer people", field: "role")
        }
        guard new.email.range(of: "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", options: .regularExpression) != nil else {
            throw Problem(.unprocessableEntity, "'\(new.email)' is not an email address", field: "email")
        }
        let person = try await store(request).createPerson(organizationID: organizationID, name: new.name, email: new.email, role: role)
        let response = Response(status: .created)
        try response.content.encode(person)
        return response
    }

    func listPeople(_ request: Request) async throws -> [Person] {
        let caller = try request.caller
        let id = try uuid(request)
        guard caller.role.isStaff || (caller.organizationID == id && caller.role == .authorizedContact) else {
            throw StoreError.notFound("organization \(id)")
        }
        return try await store(request).people(in: id)
    }

    func createToken(_ request: Request) async throws -> Response {
        _ = try request.requireStaff([.admin])
        let personID = try uuid(request)
        guard try await store(request).person(personID) != nil else { throw StoreError.notFound("person \(personID)") }
        let label = request.body.data == nil ? nil : try StrictBody.decode(NewToken.self, from: request, allowed: ["label"]).label
        let token = try await store(request).issueToken(for: personID, label: label ?? "api")
        let response = Response(status: .created)
        try response.content.encode(TokenResponse(token: token, person: personID))
        return response
    }

    func me(_ request: Request) async throws -> Person { try request.caller }

    private func uuid(_ request: Request) throws -> UUID {
        guard let text = request.parameters.get("id"), let id = UUID(uuidString: text) else { throw Problem(.notFound, "no such id") }
        return id
    }

    private func date(_ text: String, _ field: String) throws -> Date {
        switch ISO8601.parse(text) {
        case .instant(let t)?: return Date(timeIntervalSince1970: TimeInterval(t))
        case .local(let date, let second)?: return Date(timeIntervalSince1970: TimeInterval(date.dayNumber * 86_400 + second))
        case nil:
            if let day = LocalDate(iso: text) { return Date(timeIntervalSince1970: TimeInterval(day.dayNumber * 86_400)) }
            throw Problem(.unprocessableEntity, "'\(text)' is not a date (YYYY-MM-DD) or ISO 8601 time", field: field)
        }
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()
}
