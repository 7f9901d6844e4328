import AccordCore
import AccordStore
import BusinessTime
import Foundation
import Vapor

/// The case desk's rules on top of the store: intake, lifecycle, clocks and visibility, all read
/// from the policy. The server reads the clock here and hands `now` to the pure layers.
struct CaseService: Sendable {
    let store: DeskStore
    let catalog: PolicyCatalog
    let now: @Sendable () -> Date

    // MARK: Visibility

    /// Whether `person` may see `supportCase`.
    func canSee(_ supportCase: SupportCase, _ person: Person) throws -> Bool {
        if person.role.isStaff { return true }
        if supportCase.requesterID == person.id { return true }
        guard person.organizationID == supportCase.organizationID else { return false }
        switch try catalog.policy(supportCase.policyID).rules.visibility {
        case .organization: return true
        case .authorizedContactsOversee: return person.role == .authorizedContact
        case .requesterOnly: return false
        }
    }

    /// The case if it exists and `person` may see it; otherwise 404 (existence is not revealed).
    func visibleCase(_ id: UUID, for person: Person) async throws -> SupportCase {
        guard let supportCase = try await store.supportCase(id), try canSee(supportCase, person) else {
            throw StoreError.notFound("case \(id)")
        }
        return supportCase
    }

    /// The list filter that limits `person` to what they may see.
    func visibilityFilter(for person: Person) throws -> CaseFilter {
        var filter = CaseFilter()
        if person.role.isStaff { return filter }
        guard let organizationID = person.organizationID else {
            filter.requesterIDs = [person.id]
            return filter
        }
        filter.organizationIDs = [organizationID]
        // Whole-organization visibility only where the policy grants it; otherwise own cases.
        var policies: [String] = []
        for (id, policy) in catalog.policies {
            switch policy.rules.visibility {
            case .organization: policies.append(id)
            case .authorizedContactsOversee where person.role == .authorizedContact: policies.append(id)
            default: break
            }
        }
        filter.ownOrPolicies = (personID: person.id, policyIDs: policies)
        return filter
    }

    // MARK: Intake

    struct NewCase: Content {
        var title: String
        var description: String
        var priority: String?
        var channel: String
        /// Staff logging on a customer's behalf name the requester.
        var requester: UUID?
    }

    func log(_ new: NewCase, by caller: Person) async throws -> SupportCase {
        var errors: [Problem.FieldProblem] = []
        if new.title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { errors.append(.init(field: "title", detail: "must not be empty")) }
        if new.description.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { errors.append(.init(field: "description", detail: "must not be empty")) }
        let channels = ["web", "email", "phone", "chat"]
        if !channels.contains(new.channel) { errors.append(.init(field: "channel", detail: "unknown channel '\(new.channel)'; channels: \(channels.joined(separator: ", "))")) }
        if new.title.count > 500 { errors.append(.init(field: "title", detail: "at most 500 characters")) }
        guard errors.isEmpty else { throw Problem(.unprocessableEntity, "the case has invalid fields", errors: errors) }

        let requester: Person
        if caller.role.isStaff {
            guard let id = new.requester, let person = try await store.person(id) else {
                throw Problem(.unprocessableEntity, "staff logging a case must name an existing requester", field: "requester")
            }
            requester = person
        } else {
            if new.requester != nil && new.requester != caller.id {
                throw Problem(.forbidden, "customers log cases for themselves; leave 'requester' out", field: "requester")
            }
            requester = caller
        }
        guard let organizationID = requester.organizationID, let organization = try await store.organization(organizationID) else {
            throw Problem(.unprocessableEntity, "the requester belongs to no customer organization", field: "requester")
        }
        let policy = try catalog.policy(organization.policyID)
        let loggedAt = now()
        let plan = try effectivePlan(organization, policy, at: loggedAt)
        try checkPriority(new.priority, policy)
        try checkIntake(policy, priority: new.priority, requester: requester, channel: new.channel)
        let timeline = CaseTimeline(loggedAt: Self.seconds(loggedAt), priority: new.priority)
        let clocks = try storedClocks(policy, plan: plan, region: organization.regionID, timeline: timeline, at: loggedAt)
        return try await store.createCase(
            organization: organization, planID: plan, requesterID: requester.id, title: new.title, description: new.description,
            priority: new.priority, channel: new.channel, policyVersion: policy.version, loggedAt: loggedAt, clocks: clocks
        )
    }

    /// The plan in force: after the term ends, the policy's fallback plan or no support at all.
    func effectivePlan(_ organization: Organization, _ policy: Policy, at instant: Date) throws -> String {
        guard instant >= organization.termEnd else { return organization.planID }
        let lapse = policy.rules.renewal?.afterLapse ?? "no-support"
        if lapse == "no-support" {
            throw Problem(.forbidden, "the support plan of \(organization.name) ended on \(ISO8601.utc(Self.seconds(organization.termEnd))) and was not renewed: \(policy.name) gives no support after a lapse")
        }
        return lapse
    }

    func checkPriority(_ priority: String?, _ policy: Policy) throws {
        if policy.priorities.isEmpty {
            if let priority { throw Problem(.unprocessableEntity, "policy '\(policy.id)' has no priorities; leave out '\(priority)'", field: "priority") }
            return
        }
        guard let priority else {
            throw Problem(.unprocessableEntity, "priority is required: one of \(policy.priorities.map(\.id).joined(separator: ", "))", field: "priority")
        }
        if policy.priority(priority) == nil {
            throw Problem(.unprocessableEntity, "unknown priority '\(priority)'; priorities: \(policy.priorities.map(\.id).joined(separator: ", "))", field: "priority")
        }
    }

    /// Who may log which priority through which channel, from the policy's intake rules.
    func checkIntake(_ policy: Policy, priority: String?, requester: Person, channel: String) throws {
        let rules = policy.rules.intake.filter { $0.priorities.isEmpty || priority.map($0.priorities.contains) == true }
        guard !rules.isEmpty else { return }
        let roles: [String] = requester.role == .authorizedContact ? ["authorized-contact", "user"] : [requester.role.rawValue]
        let byWho = rules.filter { rule in rule.who.contains { roles.contains($0) } }
        let label = priority.map { "\($0.uppercased()) cases" } ?? "cases"
        guard !byWho.isEmpty else {
            let who = Set(rules.flatMap(\.who)).sorted().joined(separator: " or ")
            throw Problem(.forbidden, "\(policy.name): \(label) may be logged only by \(who); \(requester.email) is a \(requester.role.rawValue)")
        }
        guard byWho.contains(where: { $0.channels.contains(channel) }) else {
            let via = Set(byWho.flatMap(\.channels)).sorted().joined(separator: " or ")
            throw Problem(.forbidden, "\(policy.name): \(label) may be logged only via \(via), not \(channel)", field: "channel")
        }
    }

    // MARK: Timeline

    struct NewEvent: Content {
        var kind: String
        var value: String?
        var body: String?
    }

    static let staffKinds: Set<String> = ["public-reply", "internal-note", "priority-change", "defect-confirmed", "patch-available"]
    static let kinds = ["public-reply", "internal-note", "customer-message", "status-change", "priority-change", "defect-confirmed", "patch-available"]

    func add(_ new: NewEvent, to caseID: UUID, by caller: Person, ifMatch: Int?) async throws -> SupportCase {
        let supportCase = try await visibleCase(caseID, for: caller)
        guard Self.kinds.contains(new.kind) else {
            throw Problem(.unprocessableEntity, "unknown kind '\(new.kind)'; kinds: \(Self.kinds.joined(separator: ", "))", field: "kind")
        }
        if Self.staffKinds.contains(new.kind) && !caller.role.isStaff {
            throw Problem(.forbidden, "only provider staff may add a \(new.kind)")
        }
        if new.kind == "customer-message" && caller.role.isStaff {
            throw Problem(.unprocessableEntity, "staff answer with a public-reply; customer-message is the customer's", field: "kind")
        }
        let policy = try catalog.policy(supportCase.policyID)
        var status: String?
        var priority: String??
        switch new.kind {
        case "status-change":
            guard ifMatch != nil else { throw Problem(.preconditionRequired, "a status change needs If-Match with the case's ETag") }
            guard let value = new.value, let next = CaseStatus(rawValue: value) else {
                throw Problem(.unprocessableEntity, "value must be a status: \(CaseStatus.allCases.map(\.rawValue).joined(separator: ", "))", field: "value")
            }
            let current = CaseStatus(rawValue: supportCase.status) ?? .new
            guard current.canMove(to: next) else {
                throw Problem(.conflict, "a \(current.rawValue) case cannot become \(next.rawValue); it can become \(current.successors.map(\.rawValue).joined(separator: ", "))")
            }
            status = next.rawValue
        case "priority-change":
            guard ifMatch != nil else { throw Problem(.preconditionRequired, "a priority change needs If-Match with the case's ETag") }
            try checkPriority(new.value, policy)
            priority = .some(new.value)
        case "public-reply", "internal-note", "customer-message":
            guard let body = new.body, !body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw Problem(.unprocessableEntity, "a \(new.kind) needs a body", field: "body")
            }
            if new.kind == "public-reply", supportCase.status == CaseStatus.new.rawValue { status = CaseStatus.open.rawValue }
        default:
            break
        }
        let at = now()
        let event = CaseEvent(sequence: 0, at: at, actorID: caller.id, kind: new.kind, value: new.value, body: new.body)
        var timeline = try await timeline(of: supportCase)
        if let mapped = Self.timelineEvent(event) { timeline.append(mapped) }
        if let status, new.kind == "public-reply", let s = CaseStatus(rawValue: status) { timeline.append(.statusChange(to: s, at: Self.seconds(at))) }
        let clocks = try storedClocks(policy, plan: supportCase.planID, region: supportCase.regionID, timeline: timeline, at: at)
        return try await store.append(event, to: caseID, expectedVersion: ifMatch, status: status, priority: priority, clocks: clocks)
    }

    func timeline(of supportCase: SupportCase) async throws -> CaseTimeline {
        Self.timeline(of: supportCase, events: try await store.events(of: supportCase.id))
    }

    static func timeline(of supportCase: SupportCase, events: [CaseEvent]) -> CaseTimeline {
        let logged = events.first { $0.kind == "logged" }
        return CaseTimeline(loggedAt: seconds(supportCase.loggedAt), priority: logged?.value, events: events.compactMap(timelineEvent))
    }

    static func timelineEvent(_ event: CaseEvent) -> CaseTimeline.Event? {
        let at = seconds(event.at)
        switch event.kind {
        case "public-reply": return .providerReply(at: at)
        case "customer-message": return .customerMessage(at: at)
        case "status-change": return event.value.flatMap(CaseStatus.init(rawValue:)).map { .statusChange(to: $0, at: at) }
        case "priority-change": return .priorityChange(to: event.value, at: at)
        case "defect-confirmed": return .defectConfirmed(at: at)
        case "patch-available": return .patchAvailable(at: at)
        default: return nil
        }
    }

    // MARK: Clocks

    /// The case's clocks at `instant`, derived from its timeline `events` (already read by the caller).
    func clocks(of supportCase: SupportCase, events: [CaseEvent], at instant: Date) throws -> [CaseClocks.Clock] {
        let policy = try catalog.policy(supportCase.policyID)
        return try CaseClocks(policy: policy, plan: supportCase.planID, region: supportCase.regionID)
            .clocks(for: Self.timeline(of: supportCase, events: events), at: Self.seconds(instant))
    }

    func storedClocks(_ policy: Policy, plan: String, region: String, timeline: CaseTimeline, at instant: Date) throws -> [StoredClock] {
        try CaseClocks(policy: policy, plan: plan, region: region).clocks(for: timeline, at: Self.seconds(instant)).map { clock in
            StoredClock(
                metric: clock.metric, target: clock.target,
                due: clock.status.map { Date(timeIntervalSince1970: TimeInterval($0.due)) },
                state: clock.state
            )
        }
    }

    static func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }
}
