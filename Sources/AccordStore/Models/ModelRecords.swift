import AccordCore
import BusinessTime
import FluentKit
import Foundation

extension OrganizationModel {
    func record(_ facts: SubscriptionFacts) throws -> Organization {
        try Organization.stored(id: try requireID(), name: name, policyID: policyID, planID: planID, regionID: regionID, termStart: termStart,
                                termEnd: termEnd, automaticRenewal: automaticRenewal, nonRenewalNotice: nonRenewalNotice,
                                casePrefix: casePrefix, facts: facts)
    }
}

extension Organization {
    /// An organization from its stored columns, whether read through Fluent or as plain SQL.
    static func stored(id: UUID, name: String, policyID: String, planID: String, regionID: String, termStart: String, termEnd: String,
                       automaticRenewal: Bool, nonRenewalNotice: String?, casePrefix: String,
                       facts: SubscriptionFacts) throws -> Organization {
        guard let start = LocalDate(iso: termStart), let end = LocalDate(iso: termEnd) else {
            throw StoreError.conflict("organization \(name) has unreadable term dates \(termStart)…\(termEnd)")
        }
        let subscription = Subscription(
            plan: planID, termStart: start, termEnd: end, automaticRenewal: automaticRenewal,
            nonRenewalNotice: nonRenewalNotice.flatMap { LocalDate(iso: $0) }, planChanges: facts.planChanges,
            recordedTerms: facts.terms, lapses: facts.lapses)
        return Organization(id: id, name: name, policyID: policyID, regionID: regionID, casePrefix: casePrefix, subscription: subscription)
    }
}

extension OrganizationEventModel {
    func record() -> OrganizationEvent {
        OrganizationEvent(at: at, actorID: $actor.id, kind: kind, value: value, effective: effective.flatMap { LocalDate(iso: $0) }, detail: detail)
    }
}

extension PersonModel {
    func record() throws -> Person {
        Person.stored(id: try requireID(), organizationID: $organization.id, name: name, email: email, role: role, tier: tier,
                      billableOverage: billableOverage, erasedAt: erasedAt, deactivatedAt: deactivatedAt)
    }
}

extension Person {
    /// A person from their stored columns, whether read through Fluent or as plain SQL.
    static func stored(id: UUID, organizationID: UUID?, name: String, email: String, role: String, tier: Int?, billableOverage: Bool,
                       erasedAt: Date?, deactivatedAt: Date?) -> Person {
        Person(id: id, organizationID: organizationID, name: name, email: email, role: Role(rawValue: role) ?? .user,
               tier: tier, billableOverage: billableOverage, erased: erasedAt != nil, deactivated: deactivatedAt != nil)
    }
}

extension CaseWork {
    /// The stored `queue_rank`: 0 in the priority queue, 1 in the standard queue.
    var queueRank: Int { inPriorityQueue ? 0 : 1 }

    /// A case's work facts from their stored columns (NULL in rows written before routing existed),
    /// whether read through Fluent or as plain SQL.
    static func stored(teamID: String?, tier: Int?, queueRank: Int?, planRank: Int?, priorityRank: Int?, language: String?, mailbox: String?,
                       assigneeID: UUID?, assignedAt: Date?, advocateID: UUID?) -> CaseWork {
        CaseWork(team: teamID, tier: tier ?? 1, inPriorityQueue: queueRank == 0, planRank: planRank ?? 2, priorityRank: priorityRank ?? 0,
                 language: language, mailbox: mailbox, assigneeID: assigneeID, assignedAt: assignedAt, advocateID: advocateID)
    }
}

extension CaseModel {
    var details: CaseDetails {
        CaseDetails(product: product, version: productVersion, servicePack: servicePack, stepsToReproduce: stepsToReproduce,
                    englishConsent: englishConsent, nda: nda, cvss: cvss, contactName: contactName, contactPhone: contactPhone,
                    contactEmail: contactEmail, apps: apps)
    }

    func record() throws -> SupportCase {
        SupportCase(
            id: try requireID(), number: number, organizationID: $organization.id, requesterID: $requester.id, title: title,
            description: description, priority: priority, channel: channel, status: status, policyID: policyID,
            policyVersion: policyVersion, planID: planID, regionID: regionID, loggedAt: loggedAt, details: details,
            unsupportedVersion: unsupportedVersion, outOfScope: outOfScope, version: version, work: work
        )
    }

    var work: CaseWork {
        get {
            CaseWork.stored(teamID: teamID, tier: tier, queueRank: queueRank, planRank: planRank, priorityRank: priorityRank, language: language,
                            mailbox: mailbox, assigneeID: assigneeID, assignedAt: assignedAt, advocateID: advocateID)
        }
        set {
            teamID = newValue.team
            tier = newValue.tier
            queueRank = newValue.queueRank
            planRank = newValue.planRank
            priorityRank = newValue.priorityRank
            language = newValue.language
            mailbox = newValue.mailbox
            assigneeID = newValue.assigneeID
            assignedAt = newValue.assignedAt
            advocateID = newValue.advocateID
        }
    }
}

extension ClockModel {
    func record() -> StoredClock {
        StoredClock(metric: metric, target: target, due: due, state: state, used: used, measure: measure)
    }
}

extension PolicyModel {
    func record() -> StoredPolicy {
        StoredPolicy(policyID: policyID, version: version, yaml: yaml, uploadedBy: $uploadedBy.id, uploadedAt: uploadedAt, publishedAt: publishedAt, current: current)
    }
}
