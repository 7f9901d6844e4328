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

    /// `senderConfirmed`: for a case by mail, whether the desk's mail server confirmed the sender
    /// (nil for other channels, whose requester signed in).
    func route(_ new: CaseService.NewCase, requester: Person, organization: Organization, plan: String, policy: Policy,
               senderConfirmed: Bool? = nil, at instant: Date) async throws -> Routed {
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
            let entry = rule.matchingEntry(for: requester.email, in: try await store.prioritySenders(of: organization.id))
            if let entry, senderConfirmed == false {
                reasons.append("standard queue: \(requester.email) matches \(entry) on \(organization.name)'s priority-sender list, but the desk's mail server did not confirm the sender (no aligned DMARC, DKIM or SPF pass), and a From line is easily forged")
            } else if let entry {
                inPriorityQueue = true
                reasons.append("priority queue: \(requester.email) matches \(entry) on \(organization.name)'s priority-sender list")
            } else {
                reasons.append("standard queue: \(requester.email) is not on \(organization.name)'s priority-sender list")
            }
        }
        let work = CaseWork(
            team: decision.team, tier: decision.tier, inPriorityQueue: inPriorityQueue,
            planRank: WorkQueueOrder.rank(ofTicketPriority: policy.plan(plan)?.entitlements.ticketPriority),
            priorityRank: policy.rank(ofPriority: new.priority), language: decision.language, mailbox: new.mailbox?.lowercased())
        return Routed(decision: decision, work: work, reasons: reasons)
    }

    /// Routes a waiting tier-1 case again after its priority changed to `priority`: where the
    /// policy routes that priority to other teams (plex P1 → the 24×7 P1 desk), the case moves to
    /// the team chosen now, keeping its assignee only if they work in that team. Nil when the
    /// priority does not change where the case belongs, or the case was escalated past tier 1.
    func reroute(_ supportCase: SupportCase, to priority: String?, policy: Policy, by caller: Person, at instant: Date) async throws
        -> (work: CaseWork, event: CaseEvent)? {
        guard supportCase.work.tier == 1 else { return nil }
        func decide(_ priority: String?) throws -> CaseRouter.Decision {
            let arrival = CaseRouter.Arrival(
                channel: supportCase.channel, mailbox: supportCase.work.mailbox, region: supportCase.regionID, language: supportCase.work.language,
                priority: priority, plan: supportCase.planID, englishConsent: supportCase.details.englishConsent)
            do { return try CaseRouter(policy: policy).route(arrival, at: CaseService.seconds(instant)) } catch {
                throw Problem(.unprocessableEntity, "\(policy.name) cannot route the case at priority \(priority ?? "none"): \(error)", field: "value")
            }
        }
        // Compared at the same instant, so that follow-the-sun alone never moves a case.
        let before = try decide(supportCase.priority)
        let after = try decide(priority)
        guard let team = after.team, before.team != after.team, team != supportCase.work.team else { return nil }
        var work = supportCase.work
        work.team = team
        work.tier = after.tier
        work.priorityRank = policy.rank(ofPriority: priority)
        var reasons = ["priority \(supportCase.priority ?? "none") → \(priority ?? "none")"] + after.reasons
        if let assignee = work.assigneeID {
            let members = try await store.members(of: policy.id, team: team)
            if !members.contains(where: { $0.personID == assignee }) {
                work.assigneeID = nil
                work.assignedAt = nil
                reasons.append("the assignee does not work in \(policy.team(team)?.name ?? team): the case waits unassigned in its queue")
            }
        }
        return (work, CaseEvent(sequence: 0, at: instant, actorID: caller.id, kind: "routed", value: team, body: reasons.joined(separator: "; ")))
    }
}
