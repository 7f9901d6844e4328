import AccordCore
import AccordStore
import BusinessTime
import Foundation
import Vapor

/// `/api/v1/organizations`, their people, and tokens.
struct DirectoryRoutes: RouteCollection {
    let store: @Sendable (Request) -> DeskStore
    let catalog: PolicyCatalog
    let files: AttachmentFiles

    let now: @Sendable () -> Date

    struct NewPerson: Content {
        var name: String
        var email: String
        var role: String
        /// Accepts the fee for an authorized contact beyond the plan's allowance.
        var acknowledgeFee: Bool?
    }

    struct NewToken: Content {
        var label: String?
    }

    struct NonRenewal: Content {
        /// The day the notice arrived; today in the policy's zone when left out.
        var givenOn: String?
        /// Why a notice is recorded for an earlier day than today; required then, and only an
        /// administrator may back-date.
        var reason: String?
    }

    /// A renewal (a new term after the current one) or an extension (the current term ends later).
    struct NewTerm: Content {
        var termEnd: String
        var reason: String?
    }

    struct NewReactivation: Content {
        var plan: String
        var termEnd: String
        /// Staff confirm the customer is current on all fees, where the policy requires it.
        var feesCurrent: Bool?
        var reason: String?
    }

    struct OrganizationEdit: Content {
        var name: String?
        var region: String?
        var reason: String?
    }

    struct NewPlanChange: Content {
        var plan: String
        var effective: String
        var reason: String?
    }

    struct TokenResponse: Content {
        /// The secret, shown this once.
        let token: String
        let person: UUID
        /// What the token is listed and revoked by.
        let id: UUID
    }

    struct TokenView: Content {
        let id: UUID
        let label: String
        let createdAt: String

        init(_ token: TokenInfo) {
            id = token.id
            label = token.label
            createdAt = ISO8601.utc(CaseService.seconds(token.createdAt))
        }
    }

    struct TokenList: Content {
        let items: [TokenView]
    }

    struct PersonList: Content {
        let items: [Person]
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.post("organizations", use: createOrganization)
        routes.get("organizations", use: listOrganizations)
        routes.get("organizations", ":id", use: showOrganization)
        routes.patch("organizations", ":id", use: editOrganization)
        routes.post("organizations", ":id", "renewals", use: renew)
        routes.post("organizations", ":id", "extensions", use: extend)
        routes.post("organizations", ":id", "reactivations", use: reactivate)
        routes.post("organizations", ":id", "non-renewal", use: giveNotice)
        routes.delete("organizations", ":id", "non-renewal", use: withdrawNotice)
        routes.post("organizations", ":id", "plan-changes", use: changePlan)
        routes.get("organizations", ":id", "history", use: history)
        routes.get("organizations", ":id", "plan", use: plan)
        routes.post("organizations", ":id", "people", use: createPerson)
        routes.get("organizations", ":id", "people", use: listPeople)
        routes.post("staff", use: createStaff)
        routes.get("staff", use: listStaff)
        routes.post("people", ":id", "tokens", use: createToken)
        routes.get("people", ":id", "tokens", use: listTokens)
        routes.delete("people", ":id", "tokens", ":tokenID", use: revokeToken)
        routes.post("people", ":id", "erasure", use: erase)
        routes.post("erasures", use: eraseAddress)
        routes.get("me", use: me)
    }

    func createOrganization(_ request: Request) async throws -> Response {
        let caller = try request.requireStaff()
        let new = try StrictBody.decode(Subscriptions.NewOrganization.self, from: request, allowed: Subscriptions.NewOrganization.fields)
        let organization = try await subscriptions(request).open(new, by: caller)
        return try await respond(organization, request: request, status: .created)
    }

    func listOrganizations(_ request: Request) async throws -> [OrganizationResponse] {
        _ = try request.requireStaff(Role.staff)
        var result: [OrganizationResponse] = []
        for organization in try await store(request).organizations() {
            result.append(try await response(organization, request: request))
        }
        return result
    }

    func showOrganization(_ request: Request) async throws -> Response {
        try await respond(try await visibleOrganization(request), request: request, status: .ok)
    }

    /// What the organization's plan in force today promises, for its people to read (`PlanSummary`).
    func plan(_ request: Request) async throws -> PlanView {
        let organization = try await visibleOrganization(request)
        let policy = try await catalog.current(organization.policyID, store: store(request))
        let state = try OrganizationResponse(organization, policy: policy, people: [], at: now())
        guard let planID = state.subscription.plan else {
            throw Problem(.conflict, "\(organization.name)'s subscription has ended and \(policy.name) gives no support after a lapse")
        }
        guard let summary = PlanSummary(policy: policy, planID: planID, regionID: organization.regionID) else {
            throw Problem(.conflict, "\(policy.name) no longer has the plan \(planID) or the region \(organization.regionID)")
        }
        return PlanView(summary, status: state.subscription.status)
    }

    func giveNotice(_ request: Request) async throws -> Response {
        let caller = try request.requireStaff()
        let organization = try await visibleOrganization(request)
        let notice = request.body.data == nil ? NonRenewal() : try StrictBody.decode(NonRenewal.self, from: request, allowed: ["givenOn", "reason"])
        let updated = try await subscriptions(request).giveNotice(for: organization, givenOn: notice.givenOn, reason: notice.reason, by: caller)
        return try await respond(updated, request: request, status: .created)
    }

    /// Withdraws a notice of non-renewal before it takes effect: the subscription renews again.
    func withdrawNotice(_ request: Request) async throws -> Response {
        let caller = try request.requireStaff()
        let updated = try await subscriptions(request).withdrawNotice(for: try await visibleOrganization(request), by: caller)
        return try await respond(updated, request: request, status: .ok)
    }

    /// Renews the subscription for a new term after the one in force.
    func renew(_ request: Request) async throws -> Response {
        let caller = try request.requireStaff()
        let organization = try await visibleOrganization(request)
        let body = try StrictBody.decode(NewTerm.self, from: request, allowed: ["termEnd", "reason"])
        let updated = try await subscriptions(request).renew(organization, through: body.termEnd, reason: body.reason, by: caller)
        return try await respond(updated, request: request, status: .created)
    }

    /// Extends the term in force to a later last day.
    func extend(_ request: Request) async throws -> Response {
        let caller = try request.requireStaff()
        let organization = try await visibleOrganization(request)
        let body = try StrictBody.decode(NewTerm.self, from: request, allowed: ["termEnd", "reason"])
        let updated = try await subscriptions(request).extend(organization, through: body.termEnd, reason: body.reason, by: caller)
        return try await respond(updated, request: request, status: .created)
    }

    /// Takes a lapsed subscription up again as the policy allows.
    func reactivate(_ request: Request) async throws -> Response {
        let caller = try request.requireStaff()
        let organization = try await visibleOrganization(request)
        let body = try StrictBody.decode(NewReactivation.self, from: request, allowed: ["plan", "termEnd", "feesCurrent", "reason"])
        let updated = try await subscriptions(request).reactivate(organization, plan: body.plan, through: body.termEnd, feesCurrent: body.feesCurrent == true,
                                                                  reason: body.reason, by: caller)
        return try await respond(updated, request: request, status: .created)
    }

    /// Renames an organization or moves it to another of its policy's regions.
    func editOrganization(_ request: Request) async throws -> Response {
        let caller = try request.requireStaff()
        let organization = try await visibleOrganization(request)
        let edit = try StrictBody.decode(OrganizationEdit.self, from: request, allowed: ["name", "region", "reason"])
        let updated = try await subscriptions(request).edit(organization, name: edit.name, region: edit.region, reason: edit.reason, by: caller)
        return try await respond(updated, request: request, status: .ok)
    }

    func changePlan(_ request: Request) async throws -> Response {
        let caller = try request.requireStaff()
        let organization = try await visibleOrganization(request)
        let change = try StrictBody.decode(NewPlanChange.self, from: request, allowed: ["plan", "effective", "reason"])
        let updated = try await subscriptions(request).changePlan(organization, to: change.plan, effective: change.effective, reason: change.reason, by: caller)
        return try await respond(updated, request: request, status: .created)
    }

    func history(_ request: Request) async throws -> [HistoryEntry] {
        let caller = try request.caller
        let organization = try await visibleOrganization(request)
        guard caller.role.isStaff || caller.role == .authorizedContact else { throw StoreError.notFound("organization \(organization.id)") }
        return try await store(request).history(of: organization.id).map(HistoryEntry.init)
    }

    func createPerson(_ request: Request) async throws -> Response {
        let caller = try request.caller
        let organizationID = try uuid(request)
        let new = try StrictBody.decode(NewPerson.self, from: request, allowed: ["name", "email", "role", "acknowledgeFee"])
        let person = try await CustomerPeople(store: store(request), catalog: catalog, now: now).add(
            .init(name: new.name, email: new.email, role: new.role, acknowledgeFee: new.acknowledgeFee ?? false), to: organizationID, by: caller)
        let response = Response(status: .created)
        try response.content.encode(person)
        return response
    }

    func createStaff(_ request: Request) async throws -> Response {
        let caller = try request.requireStaff([.admin])
        let new = try StrictBody.decode(PersonChanges.NewStaff.self, from: request, allowed: PersonChanges.NewStaff.fields)
        let person = try await PersonChanges(store: store(request), catalog: catalog, now: now).addStaff(new, by: caller)
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
        let personID = try tokenHolder(request)
        guard let person = try await store(request).person(personID), !person.erased else { throw StoreError.notFound("person \(personID)") }
        let label = request.body.data == nil ? nil : try StrictBody.decode(NewToken.self, from: request, allowed: ["label"]).label
        let (token, tokenID) = try await store(request).issueTokenWithID(for: personID, label: label ?? "api")
        let response = Response(status: .created)
        try response.content.encode(TokenResponse(token: token, person: personID, id: tokenID))
        return response
    }

    /// The person whose tokens the request is about: anyone's for an admin, one's own for everyone.
    private func tokenHolder(_ request: Request) throws -> UUID {
        let caller = try request.caller
        let personID = try uuid(request)
        guard caller.role == .admin || personID == caller.id else {
            throw Problem(.forbidden, "people manage their own tokens; an administrator manages anyone's")
        }
        return personID
    }

    /// A person's tokens, with what each is for and when it was made; never a secret.
    func listTokens(_ request: Request) async throws -> TokenList {
        let personID = try tokenHolder(request)
        guard try await store(request).person(personID) != nil else { throw StoreError.notFound("person \(personID)") }
        return TokenList(items: try await store(request).tokens(of: personID).map(TokenView.init))
    }

    /// Revokes a token: it stops working at once on this server (on others within their read-cache time).
    func revokeToken(_ request: Request) async throws -> HTTPStatus {
        let personID = try tokenHolder(request)
        guard let text = request.parameters.get("tokenID"), let tokenID = UUID(uuidString: text),
              try await store(request).revokeToken(tokenID, of: personID) else {
            throw Problem(.notFound, "the person has no token with that id")
        }
        let caller = try request.caller
        request.logger.notice("token \(tokenID) of person \(personID) revoked by \(caller.email)")
        return .noContent
    }

    /// Provider staff (agents, TAMs, managers, admins), by email; for staff only.
    func listStaff(_ request: Request) async throws -> PersonList {
        _ = try request.requireStaff(Role.staff)
        return PersonList(items: try await store(request).staff(roles: Role.staff))
    }

    /// GDPR erasure of a person's personal data; the SLA facts of their cases stay. A staff member
    /// erased leaves the provider (see `DeskStore.erase`). The bytes of their uploads that no other
    /// attachment needs are deleted once the erasure is committed.
    func erase(_ request: Request) async throws -> Person {
        let caller = try request.requireStaff()
        let personID = try uuid(request)
        guard personID != caller.id else { throw Problem(.conflict, "erase another administrator's data, not your own while signed in") }
        if let target = try await store(request).person(personID), target.role == .admin, caller.role != .admin {
            throw Problem(.forbidden, "only administrators manage administrators")
        }
        let erasure = try await store(request).erase(personID, by: caller.id, at: now())
        try await deleteFiles(erasure, request)
        guard let person = erasure.person else { throw StoreError.notFound("person \(personID)") }
        return person
    }

    struct AddressErasure: Content {
        var email: String
    }

    struct AddressErased: Content {
        let email: String
        /// How many CC entries and timeline entries named the address.
        let entries: Int
    }

    /// GDPR erasure of an address that is no person of the desk (someone CC'd on cases): every CC
    /// and timeline entry naming it is anonymized.
    func eraseAddress(_ request: Request) async throws -> Response {
        _ = try request.requireStaff()
        let body = try StrictBody.decode(AddressErasure.self, from: request, allowed: ["email"])
        guard CaseService.isEmail(body.email) else { throw Problem(.unprocessableEntity, "'\(body.email)' is not an email address", field: "email") }
        let erasure = try await store(request).eraseAddress(body.email, at: now())
        let response = Response(status: .ok)
        try response.content.encode(AddressErased(email: body.email.lowercased(), entries: erasure.addressesReplaced))
        return response
    }

    private func deleteFiles(_ erasure: Erasure, _ request: Request) async throws {
        let files = self.files
        for sha in erasure.orphanedFiles {
            do {
                try await request.application.threadPool.runIfActive { try files.remove(sha) }
            } catch {
                // The rows already say erased and the file is never served; an operator can delete it by hand.
                request.logger.error("erasure: could not delete the stored file \(files.path(of: sha)): \(error)")
            }
        }
    }

    func me(_ request: Request) async throws -> Person { try request.caller }

    private func uuid(_ request: Request) throws -> UUID {
        guard let text = request.parameters.get("id"), let id = UUID(uuidString: text) else { throw Problem(.notFound, "no such id") }
        return id
    }

    private func subscriptions(_ request: Request) -> Subscriptions {
        Subscriptions(store: store(request), catalog: catalog, now: now)
    }

    /// The organization named by the path, if the caller may see it (staff, or its own people).
    private func visibleOrganization(_ request: Request) async throws -> Organization {
        let caller = try request.caller
        let id = try uuid(request)
        guard caller.role.isStaff || caller.organizationID == id, let organization = try await store(request).organization(id) else {
            throw StoreError.notFound("organization \(id)")
        }
        return organization
    }

    private func response(_ organization: Organization, request: Request) async throws -> OrganizationResponse {
        let policy = try await catalog.current(organization.policyID, store: store(request))
        let people = try await store(request).people(in: organization.id)
        return try OrganizationResponse(organization, policy: policy, people: people, at: now())
    }

    private func respond(_ organization: Organization, request: Request, status: HTTPResponseStatus) async throws -> Response {
        let response = Response(status: status)
        try response.content.encode(try await self.response(organization, request: request))
        return response
    }
}
