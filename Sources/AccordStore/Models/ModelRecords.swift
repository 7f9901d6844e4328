import FluentKit
import Foundation

extension OrganizationModel {
    func record() throws -> Organization {
        Organization(id: try requireID(), name: name, policyID: policyID, planID: planID, regionID: regionID,
                     termStart: termStart, termEnd: termEnd, casePrefix: casePrefix)
    }
}

extension PersonModel {
    func record() throws -> Person {
        Person(id: try requireID(), organizationID: $organization.id, name: name, email: email, role: Role(rawValue: role) ?? .user)
    }
}

extension CaseModel {
    func record() throws -> SupportCase {
        SupportCase(
            id: try requireID(), number: number, organizationID: $organization.id, requesterID: $requester.id, title: title,
            description: description, priority: priority, channel: channel, status: status, policyID: policyID,
            policyVersion: policyVersion, planID: planID, regionID: regionID, loggedAt: loggedAt, version: version
        )
    }
}

extension CaseEventModel {
    func record() -> CaseEvent {
        CaseEvent(sequence: sequence, at: at, actorID: $actor.id, kind: kind, value: value, body: body)
    }
}

extension ClockModel {
    func record() -> StoredClock {
        StoredClock(metric: metric, target: target, due: due, state: state)
    }
}
