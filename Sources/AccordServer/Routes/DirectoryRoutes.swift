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

    struct NewOrganization: Content {
        var name: String
        var policy: String
        var plan: String
        var region: String?
        var termStart: String
        var termEnd: String
        var automaticRenewal: Bool?
        var casePrefix: String

        static let fields: Set<String> = ["name", "policy", "plan", "region", "termStart", "termEnd", "automaticRenewal", "casePrefix"]
    }

    struct NewPerson: Content {
        var name: String
        var email: String
        var role: String
        /// Accepts the fee for an authorized contact beyond the plan's allowance.
        var acknowledgeFee: Bool?
    }

    struct NewStaff: Content {
        var name: String
        var email: String
        var role: String
        var tier: Int?
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
        let new = try StrictBody.decode(NewOrganization.self, from: request, allowed: NewOrganization.fields)
        let policy = try await catalog.current(new.policy, store: store(request))
        guard policy.plan(new.plan) != nil else {
            throw Problem(.unprocessableEntity, "unknown plan '\(new.plan)'; plans: \(policy.plans.map(\.id).joined(separator: ", "))", field: "plan")
        }
        guard let region = new.region ?? policy.defaultRegion else {
            throw Problem(.unprocessableEntity, "region is required: one of \(policy.regions.map(\.id).joined(separator: ", "))", field: "region")
        }
        guard policy.region(region) != nil else {
            throw Problem(.unprocessableEntity, "unknown region '\(region)'; regions: \(policy.regions.map(\.id).joined(separator: ", "))", field: "region")
        }
        let start = try day(new.termStart, "termStart")
        let end = try day(new.termEnd, "termEnd")
        guard end >= start else { throw Problem(.unprocessableEntity, "termEnd (the term's last day) must not be before termStart", field: "termEnd") }
        guard new.casePrefix.range(of: "^[A-Z][A-Z0-9]{1,9}$", options: .regularExpression) != nil else {
            throw Problem(.unprocessableEntity, "casePrefix must be 2-10 capital letters or digits, starting with a letter (e.g. PLM)", field: "casePrefix")
        }
        guard !new.name.trimmingCharacters(in: .whitespaces).isEmpty else { throw Problem(.unprocessableEntity, "name must not be empty", field: "name") }
        let subscription = Subscription(plan: new.plan, termStart: start, termEnd: end,
                                        automaticRenewal: new.automaticRenewal ?? policy.rules.renewal?.automatic ?? false)
        let organization = try await store(request).createOrganization(
            name: new.name, policyID: policy.id, regionID: region, casePrefix: new.casePrefix, subscription: subscription, by: caller.id, at: now())
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
        let policy = try await catalog.current(organization.policyID, store: store(request))
        let today = try policy.day(at: CaseService.seconds(now()))
        let givenOn = try notice.givenOn.map { try day($0, "givenOn") } ?? today
        guard givenOn <= today else { throw Problem(.unprocessableEntity, "givenOn \(givenOn) is in the future", field: "givenOn") }
        var recorded = "notice of non-renewal given on \(givenOn)"
        // A notice dated before it is recorded can cut a renewal short: only an administrator may
        // record one, saying why (the letter arrived on time but was filed late, say).
        if givenOn < today {
            guard caller.role == .admin else {
                throw Problem(.forbidden, "only an administrator may record a notice given before today (\(today)), with the reason")
            }
            let reason = try required(notice.reason, "reason", "say why the notice is recorded on \(today) for \(givenOn)")
            recorded += ", recorded on \(today): \(reason)"
        }
        let changed = try organization.subscription.givingNotice(on: givenOn, noticeDays: policy.rules.renewal?.noticeDays ?? 0)
        let ends = changed.finalDay ?? organization.subscription.termEnd
        let updated = try await store(request).changeSubscription(of: organization, to: changed, events: [OrganizationEvent(
            at: now(), actorID: caller.id, kind: "non-renewal-notice", effective: givenOn,
            detail: "\(recorded); the subscription ends on \(ends)")])
        return try await respond(updated, request: request, status: .created)
    }

    /// Withdraws a notice of non-renewal before it takes effect: the subscription renews again.
    func withdrawNotice(_ request: Request) async throws -> Response {
        let caller = try request.requireStaff()
        let organization = try await visibleOrganization(request)
        let policy = try await catalog.current(organization.policyID, store: store(request))
        let today = try policy.day(at: CaseService.seconds(now()))
        let given = organization.subscription.nonRenewalNotice
        let changed = try organization.subscription.withdrawingNotice(on: today)
        let renews = (changed.term(endedByNoticeOn: today)?.end ?? changed.termEnd).adding(days: 1)
        let updated = try await store(request).changeSubscription(of: organization, to: changed, events: [OrganizationEvent(
            at: now(), actorID: caller.id, kind: "non-renewal-withdrawn", effective: today,
            detail: "the notice of non-renewal given on \(given.map(\.description) ?? "?") was withdrawn on \(today); the subscription renews on \(renews)")])
        return try await respond(updated, request: request, status: .ok)
    }

    /// Renews the subscription for a new term after the one in force (for a subscription that does
    /// not renew by itself, or a renewal agreed in advance for a different length).
    func renew(_ request: Request) async throws -> Response {
        try await recordTerm(request, kind: "renewal") { subscription, end, today in
            let (changed, term) = try subscription.renewing(through: end, on: today)
            return (changed, term, "renewed for a term from \(term.start) to \(term.end)")
        }
    }

    /// Extends the term in force to a later last day.
    func extend(_ request: Request) async throws -> Response {
        try await recordTerm(request, kind: "extension") { subscription, end, today in
            let previous = subscription.term(containing: max(today, subscription.termStart))?.end
            let (changed, term) = try subscription.extending(through: end, on: today)
            return (changed, term, "the term from \(term.start) extended from \(previous.map(\.description) ?? "?") to \(term.end)")
        }
    }

    private func recordTerm(
        _ request: Request, kind: String,
        change: (Subscription, LocalDate, LocalDate) throws -> (Subscription, Subscription.Term, String)
    ) async throws -> Response {
        let caller = try request.requireStaff()
        let organization = try await visibleOrganization(request)
        let body = try StrictBody.decode(NewTerm.self, from: request, allowed: ["termEnd", "reason"])
        let policy = try await catalog.current(organization.policyID, store: store(request))
        let today = try policy.day(at: CaseService.seconds(now()))
        let end = try day(body.termEnd, "termEnd")
        let reason = try FreeText.optional(body.reason, "reason").map { ": \($0)" } ?? ""
        let (changed, term, detail) = try change(organization.subscription, end, today)
        let updated = try await store(request).changeSubscription(of: organization, to: changed, events: [OrganizationEvent(
            at: now(), actorID: caller.id, kind: kind, value: term.end.description, effective: term.start, detail: detail + reason)])
        return try await respond(updated, request: request, status: .created)
    }

    /// Takes a lapsed subscription up again as the policy allows: a new plan for a new term (plex:
    /// beginning on the expiry of the previous term, only when current on all fees).
    func reactivate(_ request: Request) async throws -> Response {
        let caller = try request.requireStaff()
        let organization = try await visibleOrganization(request)
        let body = try StrictBody.decode(NewReactivation.self, from: request, allowed: ["plan", "termEnd", "feesCurrent", "reason"])
        let policy = try await catalog.current(organization.policyID, store: store(request))
        guard let plan = policy.plan(body.plan) else {
            throw Problem(.unprocessableEntity, "unknown plan '\(body.plan)'; plans: \(policy.plans.map(\.id).joined(separator: ", "))", field: "plan")
        }
        let rule = policy.rules.renewal?.reactivation ?? Reactivation(termStartsAtExpiry: false, requiresFeesCurrent: false)
        if rule.requiresFeesCurrent, body.feesCurrent != true {
            throw Problem(.unprocessableEntity, "\(policy.name) reactivates support only when the customer is current on all fees: confirm with feesCurrent: true",
                          field: "feesCurrent")
        }
        let today = try policy.day(at: CaseService.seconds(now()))
        let end = try day(body.termEnd, "termEnd")
        let reason = try FreeText.optional(body.reason, "reason").map { ": \($0)" } ?? ""
        let (changed, term, ended) = try organization.subscription.reactivating(plan: plan.id, through: end, on: today,
                                                                                startingAtExpiry: rule.termStartsAtExpiry)
        let fees = body.feesCurrent == true ? "; current on all fees, confirmed by \(caller.email)" : ""
        let updated = try await store(request).changeSubscription(of: organization, to: changed, events: [
            OrganizationEvent(at: now(), actorID: caller.id, kind: "lapse", effective: ended,
                              detail: "the subscription lapsed after \(ended)"),
            OrganizationEvent(at: now(), actorID: caller.id, kind: "reactivation", value: term.end.description, effective: term.start,
                              detail: "reactivated on \(today) with \(plan.id) for a term from \(term.start) to \(term.end)\(fees)\(reason)"),
            OrganizationEvent(at: now(), actorID: caller.id, kind: "plan-change", value: plan.id, effective: term.start,
                              detail: "plan \(plan.id) from \(term.start), on reactivation"),
        ], contacts: ContactAllowance(plan.entitlements.authorizedContacts, feeAcknowledged: true))
        return try await respond(updated, request: request, status: .created)
    }

    /// Renames an organization or moves it to another of its policy's regions (new cases then run
    /// on that region's calendars; logged cases keep theirs).
    func editOrganization(_ request: Request) async throws -> Response {
        let caller = try request.requireStaff()
        let organization = try await visibleOrganization(request)
        let edit = try StrictBody.decode(OrganizationEdit.self, from: request, allowed: ["name", "region", "reason"])
        let policy = try await catalog.current(organization.policyID, store: store(request))
        let name = try FreeText.optional(edit.name, "name")
        if let region = edit.region, policy.region(region) == nil {
            throw Problem(.unprocessableEntity, "unknown region '\(region)'; regions: \(policy.regions.map(\.id).joined(separator: ", "))", field: "region")
        }
        var changes: [String] = []
        if let name, name != organization.name { changes.append("name \(organization.name) → \(name)") }
        if let region = edit.region, region != organization.regionID { changes.append("region \(organization.regionID) → \(region)") }
        guard !changes.isEmpty else { throw Problem(.unprocessableEntity, "nothing to change: give a new name or region", field: "name") }
        let reason = try FreeText.optional(edit.reason, "reason").map { ": \($0)" } ?? ""
        let updated = try await store(request).editOrganization(organization, name: name, regionID: edit.region, event: OrganizationEvent(
            at: now(), actorID: caller.id, kind: "edited", detail: changes.joined(separator: "; ") + reason))
        return try await respond(updated, request: request, status: .ok)
    }

    func changePlan(_ request: Request) async throws -> Response {
        let caller = try request.requireStaff()
        let organization = try await visibleOrganization(request)
        let change = try StrictBody.decode(NewPlanChange.self, from: request, allowed: ["plan", "effective", "reason"])
        let policy = try await catalog.current(organization.policyID, store: store(request))
        guard policy.plan(change.plan) != nil else {
            throw Problem(.unprocessableEntity, "unknown plan '\(change.plan)'; plans: \(policy.plans.map(\.id).joined(separator: ", "))", field: "plan")
        }
        let effective = try day(change.effective, "effective")
        let changed = try organization.subscription.changingPlan(to: change.plan, effective: effective)
        let from = organization.subscription.plan(on: effective)
        let reason = change.reason.map { ": \($0)" } ?? ""
        let contacts = ContactAllowance(policy.plan(change.plan)?.entitlements.authorizedContacts, feeAcknowledged: true)
        let updated = try await store(request).changeSubscription(of: organization, to: changed, events: [OrganizationEvent(
            at: now(), actorID: caller.id, kind: "plan-change", value: change.plan, effective: effective,
            detail: "plan \(from) → \(change.plan) from \(effective)\(reason)")], contacts: contacts)
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
        _ = try request.requireStaff([.admin])
        let new = try StrictBody.decode(NewStaff.self, from: request, allowed: ["name", "email", "role", "tier"])
        guard let role = Role(rawValue: new.role), role.isStaff else {
            throw Problem(.unprocessableEntity, "role must be one of \(Role.staff.map(\.rawValue).sorted().joined(separator: ", "))", field: "role")
        }
        if let tier = new.tier, !(1...3).contains(tier) { throw Problem(.unprocessableEntity, "tier must be 1, 2 or 3", field: "tier") }
        if role == .agent, new.tier == nil { throw Problem(.unprocessableEntity, "an agent works in a tier: 1, 2 or 3", field: "tier") }
        try CustomerPeople.check(name: new.name, email: new.email)
        let person = try await store(request).createPerson(organizationID: nil, name: new.name, email: new.email, role: role, tier: new.tier, at: now())
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

    private func required(_ text: String?, _ field: String, _ why: String) throws -> String {
        guard let value = try FreeText.optional(text, field) else { throw Problem(.unprocessableEntity, why, field: field) }
        return value
    }

    /// A day of the contract, `YYYY-MM-DD`, read in the policy's zone.
    private func day(_ text: String, _ field: String) throws -> LocalDate {
        guard let day = LocalDate(iso: text) else { throw Problem(.unprocessableEntity, "'\(text)' is not a date (YYYY-MM-DD)", field: field) }
        return day
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
