import AccordCore
public import AccordStore
import BusinessTime
import Foundation
public import Vapor

/// The JSON shapes the API returns.
struct CaseResponse: Content {
    struct Clock: Content {
        let metric: String
        let target: String?
        let state: String
        let clockStart: String?
        let due: String?
        let elapsedSeconds: Int64?
        let remainingSeconds: Int64?
        let percentElapsed: Double?
        let note: String?
    }

    struct Event: Content {
        let sequence: Int
        let at: String
        let actor: UUID?
        let kind: String
        let value: String?
        let body: String?
    }

    let id: UUID
    let number: String
    let title: String
    let description: String
    let priority: String?
    let channel: String
    let status: String
    let policy: String
    let policyVersion: String
    let plan: String
    let region: String
    let organization: UUID
    let requester: UUID
    let loggedAt: String
    let version: Int
    let clocks: [Clock]
    let events: [Event]?

    init(_ c: SupportCase, clocks: [CaseClocks.Clock], events: [CaseEvent]?) {
        id = c.id
        number = c.number
        title = c.title
        description = c.description
        priority = c.priority
        channel = c.channel
        status = c.status
        policy = c.policyID
        policyVersion = c.policyVersion
        plan = c.planID
        region = c.regionID
        organization = c.organizationID
        requester = c.requesterID
        loggedAt = ISO8601.utc(CaseService.seconds(c.loggedAt))
        version = c.version
        self.clocks = clocks.map { clock in
            Clock(
                metric: clock.metric, target: clock.target,
                state: clock.state,
                clockStart: clock.status.map { ISO8601.utc($0.clockStart) }, due: clock.status.map { ISO8601.utc($0.due) },
                elapsedSeconds: clock.status?.elapsed, remainingSeconds: clock.status?.remaining,
                percentElapsed: clock.status.map { ($0.percentElapsed * 10).rounded() / 10 }, note: clock.note
            )
        }
        self.events = events?.map {
            Event(sequence: $0.sequence, at: ISO8601.utc(CaseService.seconds($0.at)), actor: $0.actorID, kind: $0.kind, value: $0.value, body: $0.body)
        }
    }
}

struct CasePage: Content {
    let items: [CaseResponse]
    /// Pass as `cursor` to get the next page; absent on the last page.
    let nextCursor: String?
}

extension Person: Content {}
