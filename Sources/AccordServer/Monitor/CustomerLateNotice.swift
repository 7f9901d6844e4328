import AccordStore
import Foundation

/// The outbox payload of a notice to the customer that a defect can't be rectified within its
/// period: the reason and the estimated rectification the agent entered, and the period's due.
struct CustomerLateNotice: Codable, Sendable, Equatable {
    static let event = "customer.late-notice"

    let caseID: UUID
    /// The metric's id and its name in the contract ("Defect rectification period").
    let metric: String
    let metricName: String
    let reason: String
    let estimate: Date
    /// When the period was (or is) due.
    let due: Date
    /// The policy's time zone, in which the customer reads the dates.
    let zone: String
    let givenAt: Date
    let givenBy: UUID

    var outboxEntry: OutboxEntry {
        get throws { OutboxEntry(event: Self.event, payload: try OutboxJSON.encode(self)) }
    }
}

extension CustomerLateNotice {
    init(json: String) throws {
        self = try OutboxJSON.decode(Self.self, from: json)
    }
}
