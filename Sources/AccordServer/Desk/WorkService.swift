import AccordCore
import AccordStore
import BusinessTime
import Foundation
import Vapor

/// The work desk: queues in their order with reasons, "take next", escalation between tiers with
/// advocates, team membership and the internal targets (OLAs) of a case. Rules come from the
/// case's policy; the store does the atomic parts.
struct WorkService: Sendable {
    let cases: CaseService
    var store: DeskStore { cases.store }
    var catalog: PolicyCatalog { cases.catalog }

    /// A queue is a team of a policy; its id is `policy.team` (team ids are unique per policy only).
    struct QueueID: Hashable {
        let policy: String
        let team: String

        init(policy: String, team: String) {
            self.policy = policy
            self.team = team
        }

        /// A queue id from a path (`field` nil: an unknown one is a 404) or a query parameter (a 400 naming it).
        init(_ text: String, field: String? = nil) throws {
            let parts = text.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2 else {
                let detail = "no queue '\(text)': queue ids are POLICY.TEAM, such as pro-plus.tier-1"
                throw field.map { Problem(.badRequest, detail, field: $0) } ?? Problem(.notFound, detail)
            }
            (policy, team) = (parts[0], parts[1])
        }

        var text: String { "\(policy).\(team)" }
    }

    /// The policy and team of a queue id, 404 when either is unknown.
    func queue(_ id: QueueID) async throws -> (Policy, Team) {
        guard let policy = try await catalog.currentPolicies(store: store)[id.policy] else { throw Problem(.notFound, "no policy '\(id.policy)'") }
        guard let team = policy.team(id.team) else {
            throw Problem(.notFound, "\(policy.name) has no team '\(id.team)'; teams: \(policy.teams.map(\.id).joined(separator: ", "))")
        }
        return (policy, team)
    }

    // MARK: Queues

    /// A team's queue now: whether its calendar is open and how many cases wait in it.
    struct QueueState: Sendable {
        let id: QueueID
        let policy: Policy
        let team: Team
        let openNow: Bool
        let waiting: Int
    }

    /// Every queue of the policies in force, by policy then in the policy's order of teams.
    func queues() async throws -> [QueueState] {
        var result: [QueueState] = []
        let now = CaseService.seconds(cases.now())
        for (id, policy) in try await catalog.currentPolicies(store: store).sorted(by: { $0.key < $1.key }) {
            let backlog = try await store.backlog(of: id)
            for team in policy.teams {
                let open = try policy.calendar(of: team, at: now).isOpen(at: now)
                result.append(QueueState(id: QueueID(policy: id, team: team.id), policy: policy, team: team, openNow: open, waiting: backlog[team.id] ?? 0))
            }
        }
        return result
    }

    /// The first `limit` waiting cases of a queue in its order, each with the reason for its place.
    func ordered(_ id: QueueID, limit: Int) async throws -> (team: Team, policy: Policy, positions: [(WaitingCase, String)]) {
        let (policy, team) = try await queue(id)
        let waiting = try await store.waiting(in: team.id, of: policy.id, tier: team.tier, order: policy.routing.queueOrder, limit: limit)
        let byNumber = Dictionary(uniqueKeysWithValues: waiting.map { ($0.supportCase.number, $0) })
        let positions = WorkQueueOrder(policy: policy).ordered(waiting.map(Self.item)).map { (byNumber[$0.item.id]!, $0.reason) }
        return (team, policy, positions)
    }

    static func item(_ waiting: WaitingCase) -> WorkQueueOrder.Item {
        let c = waiting.supportCase
        return WorkQueueOrder.Item(
            id: c.number, inPriorityQueue: c.work.inPriorityQueue, planRank: WorkQueueOrder.ticketPriority(rank: c.work.planRank),
            priority: c.priority, due: waiting.due.map(CaseService.seconds), arrival: CaseService.seconds(c.loggedAt))
    }

    /// Gives the caller the next case it may work: from `queue` or, without one, from each of its
    /// teams in the order it joined them. Nil when nothing waits for it.
    func takeNext(by agent: Person, from queue: QueueID?) async throws -> SupportCase? {
        var memberships = try await store.memberships(of: agent.id)
        if let queue {
            _ = try await self.queue(queue)
            memberships = memberships.filter { $0.policyID == queue.policy && $0.teamID == queue.team }
            guard !memberships.isEmpty else { throw Problem(.forbidden, "\(agent.email) is not a member of \(queue.text)") }
        }
        guard !memberships.isEmpty else { throw Problem(.conflict, "\(agent.email) belongs to no team; a manager adds agents to teams first") }
        let policies = try await catalog.currentPolicies(store: store)
        for membership in memberships {
            guard let policy = policies[membership.policyID], let team = policy.team(membership.teamID) else { continue }
            let request = TakeRequest(agentID: agent.id, policyID: policy.id, teamID: team.id, tier: team.tier, languages: membership.languages,
                                      order: policy.routing.queueOrder, instant: cases.now())
            if let taken = try await store.takeNext(request) {
                return taken
            }
        }
        return nil
    }

    // MARK: The customer's side of routing

    /// Adds a member of the provider's staff to a queue's team (managers and administrators): an
    /// agent of the team's tier; a lead also gets the team's warnings; `languages` narrows the
    /// cases they are given to those languages.
    func addMember(_ personID: UUID, to id: QueueID, lead: Bool, languages: [String], by caller: Person) async throws -> TeamMember {
        try Self.mayManageTeams(caller)
        let (policy, team) = try await queue(id)
        guard let person = try await store.person(personID) else { throw Problem(.notFound, "no person has that id") }
        guard person.role.isStaff, !person.erased, !person.deactivated else {
            throw Problem(.unprocessableEntity, "team members are the provider's active staff; \(person.email) is \(person.deactivated ? "deactivated" : "a \(person.role.rawValue)")",
                          field: "person")
        }
        if let tier = person.tier, tier != team.tier {
            throw Problem(.unprocessableEntity, "\(person.email) works tier \(tier); \(team.name) is tier \(team.tier)", field: "person")
        }
        for (index, language) in languages.enumerated() where !CaseService.isLanguageCode(language) {
            throw Problem(.unprocessableEntity, "'\(language)' is not a language code such as en, de or no", field: "languages[\(index)]")
        }
        return try await store.addMember(person.id, to: team.id, of: policy.id, lead: lead, languages: languages, at: cases.now())
    }

    /// Takes a member off a queue's team (managers and administrators).
    func removeMember(_ personID: UUID, from id: QueueID, by caller: Person) async throws {
        try Self.mayManageTeams(caller)
        let (policy, team) = try await queue(id)
        guard try await store.removeMember(personID, from: team.id, of: policy.id) else {
            throw Problem(.notFound, "that person is not a member of \(team.name)")
        }
    }

    static func mayManageTeams(_ caller: Person) throws {
        guard [Role.manager, .admin].contains(caller.role) else {
            throw Problem(.forbidden, "this needs one of the roles admin, manager; you are \(caller.role.rawValue)")
        }
    }

    /// Replaces the priority-sender list; the policy says who maintains it (Pro Plus: the
    /// customer's primary contact), and provider managers and admins may too. Each entry is an
    /// address or a domain, as the policy matches by. The change is audited on the customer.
    func replacePrioritySenders(of organization: Organization, policy: Policy, with entries: [String], by caller: Person) async throws -> [String] {
        guard let rule = policy.rules.priorityQueue else {
            throw Problem(.conflict, "\(policy.name) has no priority queue")
        }
        if ![Role.manager, .admin].contains(caller.role) {
            let allowed: Bool
            switch rule.maintainedBy {
            case "primary-contact": allowed = try await store.accountRole(.primaryContact, of: organization.id) == caller.id
            case "authorized-contact": allowed = caller.role == .authorizedContact && caller.organizationID == organization.id
            default: allowed = !caller.role.isStaff && caller.organizationID == organization.id
            }
            guard allowed else { throw Problem(.forbidden, "\(policy.name): the \(rule.maintainedBy) of \(organization.name) maintains the priority-sender list") }
        }
        var errors: [Problem.FieldProblem] = []
        for (index, entry) in entries.enumerated() {
            let isAddress = CaseService.isEmail(entry)
            let isDomain = entry.range(of: "^[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+$", options: .regularExpression) != nil
            if isAddress && !rule.matchBy.contains("sender-address") || isDomain && !rule.matchBy.contains("sender-domain") || !isAddress && !isDomain {
                errors.append(.init(field: "entries[\(index)]", detail: "'\(entry)' is not \(rule.matchBy.map { $0 == "sender-address" ? "an email address" : "a domain" }.joined(separator: " or "))"))
            }
        }
        if entries.count > 1000 { errors.append(.init(field: "entries", detail: "at most 1000 entries")) }
        guard errors.isEmpty else { throw Problem(.unprocessableEntity, "the priority-sender list has invalid entries", errors: errors) }
        return try await store.replacePrioritySenders(of: organization.id, with: entries, by: caller.id, at: cases.now())
    }

    // MARK: Assignment

    /// Gives a case to `assignee` (a staff member of the case's team), or takes it from whoever
    /// has it (`assignee` nil). Managers and admins assign anyone of the team; an agent takes a case
    /// for themselves or gives up their own. The timeline says who moved it, from whom to whom.
    func assign(_ caseID: UUID, to assignee: UUID?, by caller: Person, ifMatch: Int?) async throws -> SupportCase {
        guard caller.role.isStaff else { throw Problem(.forbidden, "only provider staff assign cases") }
        let supportCase = try await cases.visibleCase(caseID, for: caller)
        guard supportCase.status != CaseStatus.closed.rawValue else {
            throw Problem(.conflict, "a closed case is not assigned; a new case is logged instead")
        }
        guard let team = supportCase.work.team else { throw Problem(.conflict, "the case is in no team's queue, so nobody is assigned to it") }
        let queue = QueueID(policy: supportCase.policyID, team: team).text
        let managing = [Role.manager, .admin].contains(caller.role)
        let current = supportCase.work.assigneeID
        var from: String?
        if let current { from = try await store.person(current)?.email ?? current.uuidString }
        let at = cases.now()
        var work = supportCase.work
        let event: CaseEvent
        if let assignee {
            guard managing || assignee == caller.id else {
                throw Problem(.forbidden, "agents assign cases to themselves only; a manager assigns them to others")
            }
            guard let person = try await store.person(assignee), person.role.isStaff, !person.erased else {
                throw Problem(.unprocessableEntity, "no active provider staff member has that id", field: "person")
            }
            guard current != assignee else { throw Problem(.conflict, "the case is already assigned to \(person.email)") }
            let members = try await store.memberships(of: assignee)
            guard members.contains(where: { $0.policyID == supportCase.policyID && $0.teamID == team }) else {
                throw Problem(.unprocessableEntity, "\(person.email) is not a member of \(queue), the case's team; a manager adds them to it first",
                              field: "person")
            }
            work.assigneeID = assignee
            work.assignedAt = at
            event = CaseEvent(sequence: 0, at: at, actorID: caller.id, kind: "assigned", value: assignee.uuidString,
                              body: "assigned to \(person.email)" + (from.map { " (was \($0))" } ?? "") + " by \(caller.email)")
        } else {
            guard let current, let from else { throw Problem(.conflict, "the case is assigned to nobody") }
            guard managing || current == caller.id else {
                throw Problem(.forbidden, "agents give up their own cases only; a manager takes cases from others")
            }
            work.assigneeID = nil
            work.assignedAt = nil
            event = CaseEvent(sequence: 0, at: at, actorID: caller.id, kind: "unassigned", value: current.uuidString,
                              body: "taken from \(from) by \(caller.email); the case waits in \(queue)")
        }
        // If-Match, when given, is the version the write expects: a stale one is the store's 412.
        return try await store.append([event], to: caseID, expectedVersion: ifMatch ?? supportCase.version, change: CaseChange(work: work), clocks: nil)
    }

    // MARK: Escalation

    struct Escalation: Content {
        var tier: Int
        var reason: String
        /// The internal advocate, for plans that grant one; without it the least busy manager.
        var advocate: UUID?

        static let fields: Set<String> = ["tier", "reason", "advocate"]
    }

    /// Moves a case to a higher tier's team with a reason. The case waits in that team's queue,
    /// unassigned, and is scheduled inside the team's window; plans that grant an internal advocate
    /// get one. The timeline records the hand-over.
    func escalate(_ caseID: UUID, _ escalation: Escalation, by caller: Person) async throws -> SupportCase {
        guard caller.role.isStaff else { throw Problem(.forbidden, "only provider staff escalate cases") }
        let supportCase = try await cases.visibleCase(caseID, for: caller)
        let reason = escalation.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw Problem(.unprocessableEntity, "say why the case is escalated", field: "reason") }
        guard ["new", "open"].contains(supportCase.status) else {
            throw Problem(.conflict, "a \(supportCase.status) case is not escalated; reopen it first")
        }
        guard escalation.tier > supportCase.work.tier else {
            throw Problem(.unprocessableEntity, "the case is at tier \(supportCase.work.tier); it escalates to a higher tier", field: "tier")
        }
        let policy = try await catalog.policy(supportCase.policyID, version: supportCase.policyVersion, store: store)
        let at = cases.now()
        let (team, reasons): (Team, [String])
        do {
            (team, reasons) = try CaseRouter(policy: policy).escalate(language: supportCase.work.language, to: escalation.tier, at: CaseService.seconds(at))
        } catch {
            throw Problem(.unprocessableEntity, error.description, field: "tier")
        }
        let opens = try policy.calendar(of: team, at: CaseService.seconds(at)).firstOpenInstant(atOrAfter: CaseService.seconds(at))
        var work = supportCase.work
        work.team = team.id
        work.tier = team.tier
        work.assigneeID = nil
        work.assignedAt = nil
        var events = [CaseEvent(sequence: 0, at: at, actorID: caller.id, kind: "escalated", value: team.id,
                                body: "tier \(supportCase.work.tier) → tier \(team.tier), \(team.name), scheduled from \(ISO8601.utc(opens)): \(reason) (\(reasons.joined(separator: "; ")))")]
        if work.advocateID == nil, policy.plan(supportCase.planID)?.entitlements.escalationAdvocate == true {
            let advocate = try await self.advocate(escalation.advocate)
            work.advocateID = advocate?.id
            events.append(CaseEvent(sequence: 0, at: at, actorID: caller.id, kind: "advocate-assigned", value: advocate?.id.uuidString,
                                    body: advocate.map { "\($0.name) advocates for the customer on this escalated case" }
                                        ?? "the plan grants an internal advocate, but the desk has no manager to assign"))
        } else if escalation.advocate != nil {
            throw Problem(.unprocessableEntity, "the \(supportCase.planID) plan grants no internal advocate, or the case has one", field: "advocate")
        }
        return try await store.append(events, to: caseID, expectedVersion: supportCase.version, change: CaseChange(work: work), clocks: nil)
    }

    /// The named advocate (a manager), or the manager advocating for the fewest unfinished cases.
    private func advocate(_ named: UUID?) async throws -> Person? {
        if let named {
            guard let person = try await store.person(named), person.role == .manager || person.role == .tam else {
                throw Problem(.unprocessableEntity, "the advocate must be a manager or TAM of the provider", field: "advocate")
            }
            return person
        }
        let managers = try await store.staff(roles: [.manager])
        let load = try await store.advocateLoad(of: managers.map(\.id))
        return managers.min { (load[$0.id] ?? 0, $0.email) < (load[$1.id] ?? 0, $1.email) }
    }

    // MARK: A case's work view

    /// The OLA clocks of a case from its timeline: each stay with a team, from reaching it to the
    /// first assignment after.
    func olas(of supportCase: SupportCase, events: [CaseEvent], at instant: Date) async throws -> [OperationalClocks.Clock] {
        let policy = try await catalog.policy(supportCase.policyID, version: supportCase.policyVersion, store: store)
        guard !policy.routing.olas.isEmpty else { return [] }
        let stints = OperationalClocks(policy: policy).stints(Self.routingSteps(events))
        do {
            return try OperationalClocks(policy: policy).clocks(for: stints, at: CaseService.seconds(instant))
        } catch {
            throw Problem(.unprocessableEntity, error.description)
        }
    }

    /// The steps of a case's routing in its timeline: each routing or escalation to a team, each assignment.
    static func routingSteps(_ events: [CaseEvent]) -> [OperationalClocks.Step] {
        routingSteps(events.map { RoutingEvent(kind: $0.kind, value: $0.value, at: $0.at) })
    }

    static func routingSteps(_ events: [RoutingEvent]) -> [OperationalClocks.Step] {
        events.compactMap { event in
            switch event.kind {
            case "routed", "escalated": event.value.map { .reached(team: $0, at: CaseService.seconds(event.at)) }
            case "assigned": .assigned(at: CaseService.seconds(event.at))
            default: nil
            }
        }
    }

    /// The customer's technical account manager as the plan grants one: the kind, and who it is.
    func tam(of supportCase: SupportCase) async throws -> (kind: String, person: UUID?)? {
        guard let kind = try await tamKind(of: supportCase) else { return nil }
        return (kind, try await store.accountRole(.tam, of: supportCase.organizationID))
    }

    /// The kind of technical account manager the case's plan grants (`reactive`, `named`), or nil.
    func tamKind(of supportCase: SupportCase) async throws -> String? {
        let policy = try await catalog.policy(supportCase.policyID, version: supportCase.policyVersion, store: store)
        return policy.plan(supportCase.planID)?.entitlements.grantedTechnicalAccountManager
    }
}
