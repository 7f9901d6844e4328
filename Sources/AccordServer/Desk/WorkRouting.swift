import AccordCore
import AccordStore
import BusinessTime
import Foundation
import Vapor

/// Routes a case as it is logged: the policy's `CaseRouter` decides region and team from the facts the
/// store supplies (the customer's priority senders, the teams' backlogs), and the case records the
/// place-deciding facts its queue sorts by.
struct WorkRouting: Sendable {
    let store: DeskStore

    struct Routed {
        let decision: CaseRouter.Decision
        let work: CaseWork
        let reasons: [String]
    }

    func route(_ new: CaseService.NewCase, requester: Person, organization: Organization, plan: String, policy: Policy, at instant: Date) async throws -> Routed {
        let arrival = CaseRouter.Arrival(
            channel: new.channel, mailbox: new.mailbox, region: organization.regionID, language: new.language, priority: new.priority,
            plan: plan, englishConsent: new.englishConsent)
        let backlog = policy.routing.englishOverflow != nil && new.englishConsent == true ? try await store.backlog(of: policy.id) : [:]
        let decision: CaseRouter.Decision
        do {
            decision = try CaseRouter(policy: policy).route(arrival, at: CaseService.seconds(instant), backlog: { backlog[$0] ?? 0 })
        } catch .unknownMailbox(let message) {
            throw Problem(.unprocessableEntity, message, field: "mailbox")
        } catch {
            throw Problem(.unprocessableEntity, "\(policy.name) cannot route the case: \(error)")
        }
        var reasons = decision.reasons
        var inPriorityQueue = false
        if let rule = policy.rules.priorityQueue, policy.plan(plan)?.entitlements.priorityQueue == true {
            if let entry = rule.matchingEntry(for: requester.email, in: try await store.prioritySenders(of: organization.id)) {
                inPriorityQueue = true
                reasons.append("priority queue: \(requester.email) matches \(entry) on \(organization.name)'s priority-sender list")
            } else {
                reasons.append("standard queue: \(requester.email) is not on \(organization.name)'s priority-sender list")
            }
        }
        let work = CaseWork(
            team: decision.team, tier: decision.tier, inPriorityQueue: inPriorityQueue,
            planRank: WorkQueueOrder.rank(ofTicketPriority: policy.plan(plan)?.entitlements.ticketPriority),
            priorityRank: Self.priorityRank(new.priority, policy), language: decision.language, mailbox: new.mailbox?.lowercased())
        return Routed(decision: decision, work: work, reasons: reasons)
    }

    /// A priority's place in the policy's list, 0 most urgent; cases without one rank last.
    static func priorityRank(_ priority: String?, _ policy: Policy) -> Int {
        priority.flatMap { id in policy.priorities.firstIndex { $0.id == id } } ?? policy.priorities.count
    }
}
