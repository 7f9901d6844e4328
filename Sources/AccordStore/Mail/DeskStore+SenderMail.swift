import FluentKit
import FluentSQL
public import Foundation

/// A mail to the sender of a message the desk took in (a refusal, a message too large), written
/// with the message's outcome: one delivery to one address, never fanned out to a case's people.
public struct SenderNotice: Sendable, Equatable {
    public let address: String
    public let entry: OutboxEntry

    public init(address: String, entry: OutboxEntry) {
        self.address = address
        self.entry = entry
    }
}

/// An address a bounce said mail to it fails.
public struct FailingAddress: Sendable, Equatable, Codable {
    public let address: String
    /// The first bounce since mail last worked.
    public let since: Date
    public let lastBounce: Date
    public let bounces: Int
    /// The bounce report, and the case it told of.
    public let mailID: UUID?
    public let caseID: UUID?
    public let reason: String?
}

extension DeskStore {
    /// Writes `notice` as an outbox entry with its one delivery, inside the caller's transaction.
    static func writeSenderNotice(_ notice: SenderNotice, at instant: Date, on sql: any SQLDatabase) async throws {
        let outboxID = UUID.timeOrdered(at: instant)
        try await sql.insert(into: "outbox").columns("id", "kind", "case_id", "payload", "created_at", "dispatched_at")
            .values([outboxID, notice.entry.event, nil as UUID?, notice.entry.payload, instant, instant] as [any Encodable & Sendable]).run()
        try await sql.insert(into: "deliveries").columns("id", "outbox_id", "channel", "target", "state", "attempts", "next_attempt_at", "created_at")
            .values([UUID(), outboxID, "email", String(notice.address.prefix(320)), "pending", 0, instant, instant] as [any Encodable & Sendable]).run()
    }

    /// How many mails of `events` were delivered to `address` since `since` (automatic replies,
    /// counted to keep a mail loop or a flood from being answered without end).
    public func deliveredMails(to address: String, events: [String], since: Date) async throws -> Int {
        guard !events.isEmpty else { return 0 }
        return try await database.sql.raw("""
            SELECT count(*) AS n FROM deliveries d JOIN outbox o ON o.id = d.outbox_id
            WHERE d.target = \(bind: address) AND d.created_at >= \(bind: since) AND d.channel = 'email' AND d.state = 'delivered'
              AND o.kind IN (\(binds: events))
            """).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Marks `addresses` failing after a bounce report (`mailID`, about `caseID`).
    public func markFailing(_ addresses: [String], mailID: UUID, caseID: UUID?, reason: String, at instant: Date) async throws {
        guard !addresses.isEmpty else { return }
        let now = instant.timeIntervalSince1970
        try await write { db in
            for address in Set(addresses.map { String($0.lowercased().prefix(320)) }) {
                try await db.sql.raw("""
                    INSERT INTO failing_addresses (address, since, last_bounce, bounces, mail_id, case_id, reason)
                    VALUES (\(bind: address), \(bind: now), \(bind: now), 1, \(bind: mailID), \(bind: caseID), \(bind: String(reason.prefix(2000))))
                    ON CONFLICT (address) DO UPDATE SET last_bounce = excluded.last_bounce, bounces = failing_addresses.bounces + 1,
                        mail_id = excluded.mail_id, case_id = excluded.case_id, reason = excluded.reason
                    """).run()
            }
        }
    }

    /// Clears the mark of an address mail came from again: it works.
    public func clearFailing(_ address: String) async throws {
        try await write { db in
            try await db.sql.raw("DELETE FROM failing_addresses WHERE address = \(bind: address.lowercased())").run()
        }
    }

    /// Addresses marked failing, most recently bounced first (at most `limit`).
    public func failingAddresses(limit: Int = 100) async throws -> [FailingAddress] {
        try await database.sql.raw("""
            SELECT address, since, last_bounce, bounces, mail_id, case_id, reason FROM failing_addresses ORDER BY last_bounce DESC LIMIT \(bind: limit)
            """).all().map { row in
            FailingAddress(address: try row.decode(column: "address", as: String.self),
                           since: Date(timeIntervalSince1970: try row.decode(column: "since", as: Double.self)),
                           lastBounce: Date(timeIntervalSince1970: try row.decode(column: "last_bounce", as: Double.self)),
                           bounces: try row.decode(column: "bounces", as: Int.self), mailID: try row.decode(column: "mail_id", as: UUID?.self),
                           caseID: try row.decode(column: "case_id", as: UUID?.self), reason: try row.decode(column: "reason", as: String?.self))
        }
    }

    /// Whether a bounce said mail to `address` fails (and it has not written since).
    public func isFailing(_ address: String) async throws -> Bool {
        try await database.sql.raw("SELECT 1 AS x FROM failing_addresses WHERE address = \(bind: address.lowercased())").first() != nil
    }
}
