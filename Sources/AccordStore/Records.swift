public import Foundation

/// A customer organization and its subscription to a policy's plan.
public struct Organization: Sendable, Codable, Equatable {
    public let id: UUID
    public let name: String
    public let policyID: String
    public let planID: String
    public let regionID: String
    public let termStart: Date
    public let termEnd: Date
    /// Prefix of readable case numbers, e.g. `PLM` in `PLM-2026-000123`.
    public let casePrefix: String
}

/// What a person is to the desk.
public enum Role: String, Sendable, Codable, CaseIterable {
    case user
    case authorizedContact = "authorized-contact"
    case agent
    case manager
    case admin

    public var isStaff: Bool { self == .agent || self == .manager || self == .admin }
}

public struct Person: Sendable, Codable, Equatable {
    public let id: UUID
    public let organizationID: UUID?
    public let name: String
    public let email: String
    public let role: Role
}

/// A support case as stored.
public struct SupportCase: Sendable, Codable, Equatable {
    public let id: UUID
    public let number: String
    public let organizationID: UUID
    public let requesterID: UUID
    public let title: String
    public let description: String
    public let priority: String?
    public let channel: String
    public let status: String
    public let policyID: String
    public let policyVersion: String
    public let planID: String
    public let regionID: String
    public let loggedAt: Date
    /// Incremented by every change; the API's ETag.
    public let version: Int
}

/// One entry of a case's timeline.
public struct CaseEvent: Sendable, Codable, Equatable {
    public let sequence: Int
    public let at: Date
    public let actorID: UUID?
    /// `logged`, `public-reply`, `internal-note`, `customer-message`, `status-change`, `priority-change`,
    /// `defect-confirmed`, `patch-available`.
    public let kind: String
    public let value: String?
    public let body: String?

    public init(sequence: Int, at: Date, actorID: UUID?, kind: String, value: String? = nil, body: String? = nil) {
        self.sequence = sequence
        self.at = at
        self.actorID = actorID
        self.kind = kind
        self.value = value
        self.body = body
    }
}

/// A clock as last derived, kept for indexed "what breaches next" queries.
public struct StoredClock: Sendable, Codable, Equatable {
    public let metric: String
    public let target: String?
    public let due: Date?
    public let state: String

    public init(metric: String, target: String?, due: Date?, state: String) {
        self.metric = metric
        self.target = target
        self.due = due
        self.state = state
    }
}

/// Why the store refused a write.
public enum StoreError: Error, Equatable, Sendable {
    case notFound(String)
    case conflict(String)
    case staleVersion(expected: Int, actual: Int)
}
