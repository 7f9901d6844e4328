public import Foundation

/// What a webhook hears of a case's life, beside the SLA alarms: `case.created` when it is logged,
/// `case.message` when a public reply or a customer's message is added, `case.updated` for every
/// other change (status, priority, assignment, escalation, classification…). The payload carries
/// ids and facts, never the text people wrote — an integration reads that through the API with a
/// token scoped as its owner's, so a webhook never leaks what the caller could not see, and an
/// erasure leaves nothing behind in the outbox.
public struct CaseActivity: Sendable, Codable, Equatable {
    public static let created = "case.created"
    public static let updated = "case.updated"
    public static let message = "case.message"
    public static let events = [created, updated, message]

    /// Timeline kinds that are messages between the provider and the customer.
    static let messageKinds: Set<String> = ["public-reply", "customer-message"]

    /// One timeline entry the activity added.
    public struct Change: Sendable, Codable, Equatable {
        public let sequence: Int
        public let kind: String
        /// The kind's value: the new status or priority, the assignee's id, the team (never text).
        public let value: String?
        public let actor: UUID?
        public let at: Date
    }

    public let caseID: UUID
    public let number: String
    public let organization: UUID
    public let status: String
    public let priority: String?
    /// The case's version after the change (its ETag).
    public let version: Int
    public let changes: [Change]

    /// The outbox event this activity is.
    public var event: String {
        if changes.contains(where: { $0.kind == "logged" }) { return Self.created }
        return changes.allSatisfy { Self.messageKinds.contains($0.kind) } ? Self.message : Self.updated
    }

    /// The activities of a write that added `events` to `supportCase` (as it stands after the
    /// write): the messages apart from the other changes, each its own entry.
    static func of(_ supportCase: SupportCase, events: [CaseEvent]) -> [CaseActivity] {
        let changes = events.map { Change(sequence: $0.sequence, kind: $0.kind, value: Self.value(of: $0), actor: $0.actorID, at: $0.at) }
        let logged = changes.contains { $0.kind == "logged" }
        let groups = logged ? [changes] : [changes.filter { messageKinds.contains($0.kind) }, changes.filter { !messageKinds.contains($0.kind) }]
        return groups.filter { !$0.isEmpty }.map {
            CaseActivity(caseID: supportCase.id, number: supportCase.number, organization: supportCase.organizationID, status: supportCase.status,
                         priority: supportCase.priority, version: supportCase.version, changes: $0)
        }
    }

    /// An event's value as a webhook may carry it: a status, priority, person or case id, team or
    /// instant — never an email address (`cc-added`, `team-added`), which is personal data.
    private static func value(of event: CaseEvent) -> String? {
        switch event.kind {
        case "cc-added", "team-added": nil
        default: event.value
        }
    }

    enum CodingKeys: String, CodingKey {
        case caseID = "case", number, organization, status, priority, version, changes
    }
}
