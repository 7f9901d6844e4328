import AccordCore
import AccordStore
import BusinessTime
import Foundation

/// A customer's account over time: opening it, renaming it or moving it to another region, and
/// its subscription — renewal, extension, plan change, notice of non-renewal (and its withdrawal),
/// reactivation after a lapse — each recorded in the customer's history with who did it and why.
/// The API's `/organizations` routes and the console's customer page both come here; only managers
/// and administrators change an account.
struct Subscriptions: Sendable {
    let store: DeskStore
    let catalog: PolicyCatalog
    let now: @Sendable () -> Date

    /// A new customer's account, as the API's `POST /organizations` body and the console's form give it.
    struct NewOrganization: Sendable, Decodable {
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

    /// Opens a customer's account on a policy's plan for a first term.
    func open(_ new: NewOrganization, by caller: Person) async throws -> Organization {
        try Self.mayChange(caller)
        let policy = try await catalog.current(new.policy, store: store)
        try Self.plan(new.plan, of: policy)
        guard let region = new.region ?? policy.defaultRegion else {
            throw Problem(.unprocessableEntity, "region is required: one of \(policy.regions.map(\.id).joined(separator: ", "))", field: "region")
        }
        try Self.region(region, of: policy)
        let start = try Self.day(new.termStart, "termStart")
        let end = try Self.day(new.termEnd, "termEnd")
        guard end >= start else { throw Problem(.unprocessableEntity, "termEnd (the term's last day) must not be before termStart", field: "termEnd") }
        guard new.casePrefix.range(of: "^[A-Z][A-Z0-9]{1,9}$", options: .regularExpression) != nil else {
            throw Problem(.unprocessableEntity, "casePrefix must be 2-10 capital letters or digits, starting with a letter (e.g. PLM)", field: "casePrefix")
        }
        guard !new.name.trimmingCharacters(in: .whitespaces).isEmpty else { throw Problem(.unprocessableEntity, "name must not be empty", field: "name") }
        let subscription = Subscription(plan: new.plan, termStart: start, termEnd: end,
                                        automaticRenewal: new.automaticRenewal ?? policy.rules.renewal?.automatic ?? false)
        return try await store.createOrganization(
            name: new.name, policyID: policy.id, regionID: region, casePrefix: new.casePrefix, subscription: subscription, by: caller.id, at: now())
    }

    /// Renames an organization or moves it to another of its policy's regions (new cases then run
    /// on that region's calendars; logged cases keep theirs).
    func edit(_ organization: Organization, name: String?, region: String?, reason: String?, by caller: Person) async throws -> Organization {
        try Self.mayChange(caller)
        let policy = try await catalog.current(organization.policyID, store: store)
        let name = try FreeText.optional(name, "name")
        if let region { try Self.region(region, of: policy) }
        var changes: [String] = []
        if let name, name != organization.name { changes.append("name \(organization.name) → \(name)") }
        if let region, region != organization.regionID { changes.append("region \(organization.regionID) → \(region)") }
        guard !changes.isEmpty else { throw Problem(.unprocessableEntity, "nothing to change: give a new name or region", field: "name") }
        let reason = try FreeText.optional(reason, "reason").map { ": \($0)" } ?? ""
        return try await store.editOrganization(organization, name: name, regionID: region, event: OrganizationEvent(
            at: now(), actorID: caller.id, kind: "edited", detail: changes.joined(separator: "; ") + reason))
    }

    /// Records the customer's notice that they will not renew, given on `givenOn` (today in the
    /// policy's zone when nil). A notice dated before today can cut a renewal short: only an
    /// administrator may record one, saying why (the letter arrived on time but was filed late, say).
    func giveNotice(for organization: Organization, givenOn: String?, reason: String?, by caller: Person) async throws -> Organization {
        try Self.mayChange(caller)
        let policy = try await catalog.current(organization.policyID, store: store)
        let today = try policy.day(at: CaseService.seconds(now()))
        let givenOn = try givenOn.map { try Self.day($0, "givenOn") } ?? today
        guard givenOn <= today else { throw Problem(.unprocessableEntity, "givenOn \(givenOn) is in the future", field: "givenOn") }
        var recorded = "notice of non-renewal given on \(givenOn)"
        if givenOn < today {
            guard caller.role == .admin else {
                throw Problem(.forbidden, "only an administrator may record a notice given before today (\(today)), with the reason")
            }
            guard let reason = try FreeText.optional(reason, "reason") else {
                throw Problem(.unprocessableEntity, "say why the notice is recorded on \(today) for \(givenOn)", field: "reason")
            }
            recorded += ", recorded on \(today): \(reason)"
        }
        let changed = try organization.subscription.givingNotice(on: givenOn, noticeDays: policy.rules.renewal?.noticeDays ?? 0)
        let ends = changed.finalDay ?? organization.subscription.termEnd
        return try await store.changeSubscription(of: organization, to: changed, events: [OrganizationEvent(
            at: now(), actorID: caller.id, kind: "non-renewal-notice", effective: givenOn,
            detail: "\(recorded); the subscription ends on \(ends)")])
    }

    /// Withdraws a notice of non-renewal before it takes effect: the subscription renews again.
    func withdrawNotice(for organization: Organization, by caller: Person) async throws -> Organization {
        try Self.mayChange(caller)
        let policy = try await catalog.current(organization.policyID, store: store)
        let today = try policy.day(at: CaseService.seconds(now()))
        let given = organization.subscription.nonRenewalNotice
        let changed = try organization.subscription.withdrawingNotice(on: today)
        let renews = (changed.term(endedByNoticeOn: today)?.end ?? changed.termEnd).adding(days: 1)
        return try await store.changeSubscription(of: organization, to: changed, events: [OrganizationEvent(
            at: now(), actorID: caller.id, kind: "non-renewal-withdrawn", effective: today,
            detail: "the notice of non-renewal given on \(given.map(\.description) ?? "?") was withdrawn on \(today); the subscription renews on \(renews)")])
    }

    /// Renews the subscription for a new term after the one in force, through `termEnd` (for a
    /// subscription that does not renew by itself, or a renewal agreed for a different length).
    func renew(_ organization: Organization, through termEnd: String, reason: String?, by caller: Person) async throws -> Organization {
        try await recordTerm(organization, through: termEnd, reason: reason, kind: "renewal", by: caller) { subscription, end, today in
            let (changed, term) = try subscription.renewing(through: end, on: today)
            return (changed, term, "renewed for a term from \(term.start) to \(term.end)")
        }
    }

    /// Extends the term in force to a later last day.
    func extend(_ organization: Organization, through termEnd: String, reason: String?, by caller: Person) async throws -> Organization {
        try await recordTerm(organization, through: termEnd, reason: reason, kind: "extension", by: caller) { subscription, end, today in
            let previous = subscription.term(containing: max(today, subscription.termStart))?.end
            let (changed, term) = try subscription.extending(through: end, on: today)
            return (changed, term, "the term from \(term.start) extended from \(previous.map(\.description) ?? "?") to \(term.end)")
        }
    }

    private func recordTerm(
        _ organization: Organization, through termEnd: String, reason: String?, kind: String, by caller: Person,
        change: (Subscription, LocalDate, LocalDate) throws -> (Subscription, Subscription.Term, String)
    ) async throws -> Organization {
        try Self.mayChange(caller)
        let policy = try await catalog.current(organization.policyID, store: store)
        let today = try policy.day(at: CaseService.seconds(now()))
        let end = try Self.day(termEnd, "termEnd")
        let reason = try FreeText.optional(reason, "reason").map { ": \($0)" } ?? ""
        let (changed, term, detail) = try change(organization.subscription, end, today)
        return try await store.changeSubscription(of: organization, to: changed, events: [OrganizationEvent(
            at: now(), actorID: caller.id, kind: kind, value: term.end.description, effective: term.start, detail: detail + reason)])
    }

    /// Takes a lapsed subscription up again as the policy allows: a new plan for a new term (plex:
    /// beginning on the expiry of the previous term, only when current on all fees).
    func reactivate(_ organization: Organization, plan planID: String, through termEnd: String, feesCurrent: Bool, reason: String?,
                    by caller: Person) async throws -> Organization {
        try Self.mayChange(caller)
        let policy = try await catalog.current(organization.policyID, store: store)
        let plan = try Self.plan(planID, of: policy)
        let rule = policy.rules.renewal?.reactivation ?? Reactivation(termStartsAtExpiry: false, requiresFeesCurrent: false)
        if rule.requiresFeesCurrent, !feesCurrent {
            throw Problem(.unprocessableEntity, "\(policy.name) reactivates support only when the customer is current on all fees: confirm with feesCurrent: true",
                          field: "feesCurrent")
        }
        let today = try policy.day(at: CaseService.seconds(now()))
        let end = try Self.day(termEnd, "termEnd")
        let reason = try FreeText.optional(reason, "reason").map { ": \($0)" } ?? ""
        let (changed, term, ended) = try organization.subscription.reactivating(plan: plan.id, through: end, on: today,
                                                                                startingAtExpiry: rule.termStartsAtExpiry)
        let fees = feesCurrent ? "; current on all fees, confirmed by \(caller.email)" : ""
        return try await store.changeSubscription(of: organization, to: changed, events: [
            OrganizationEvent(at: now(), actorID: caller.id, kind: "lapse", effective: ended,
                              detail: "the subscription lapsed after \(ended)"),
            OrganizationEvent(at: now(), actorID: caller.id, kind: "reactivation", value: term.end.description, effective: term.start,
                              detail: "reactivated on \(today) with \(plan.id) for a term from \(term.start) to \(term.end)\(fees)\(reason)"),
            OrganizationEvent(at: now(), actorID: caller.id, kind: "plan-change", value: plan.id, effective: term.start,
                              detail: "plan \(plan.id) from \(term.start), on reactivation"),
        ], contacts: ContactAllowance(plan.entitlements.authorizedContacts, feeAcknowledged: true))
    }

    /// Moves the customer to another plan of its policy from `effective` on.
    func changePlan(_ organization: Organization, to planID: String, effective: String, reason: String?, by caller: Person) async throws -> Organization {
        try Self.mayChange(caller)
        let policy = try await catalog.current(organization.policyID, store: store)
        let plan = try Self.plan(planID, of: policy)
        let effective = try Self.day(effective, "effective")
        let reason = try FreeText.optional(reason, "reason").map { ": \($0)" } ?? ""
        let changed = try organization.subscription.changingPlan(to: plan.id, effective: effective)
        let from = organization.subscription.plan(on: effective)
        return try await store.changeSubscription(of: organization, to: changed, events: [OrganizationEvent(
            at: now(), actorID: caller.id, kind: "plan-change", value: plan.id, effective: effective,
            detail: "plan \(from) → \(plan.id) from \(effective)\(reason)")],
            contacts: ContactAllowance(plan.entitlements.authorizedContacts, feeAcknowledged: true))
    }

    /// Only managers and administrators change a customer's account.
    static func mayChange(_ caller: Person) throws {
        guard [Role.manager, .admin].contains(caller.role) else {
            throw Problem(.forbidden, "this needs one of the roles admin, manager; you are \(caller.role.rawValue)")
        }
    }

    @discardableResult
    private static func plan(_ id: String, of policy: Policy) throws -> Plan {
        guard let plan = policy.plan(id) else {
            throw Problem(.unprocessableEntity, "unknown plan '\(id)'; plans: \(policy.plans.map(\.id).joined(separator: ", "))", field: "plan")
        }
        return plan
    }

    private static func region(_ id: String, of policy: Policy) throws {
        guard policy.region(id) != nil else {
            throw Problem(.unprocessableEntity, "unknown region '\(id)'; regions: \(policy.regions.map(\.id).joined(separator: ", "))", field: "region")
        }
    }

    /// A day of the contract, `YYYY-MM-DD`, read in the policy's zone.
    private static func day(_ text: String, _ field: String) throws -> LocalDate {
        guard let day = LocalDate(iso: text) else { throw Problem(.unprocessableEntity, "'\(text)' is not a date (YYYY-MM-DD)", field: field) }
        return day
    }
}
