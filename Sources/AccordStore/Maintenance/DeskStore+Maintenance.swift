import FluentKit
import FluentSQL
public import Foundation

/// A maintenance window as recorded.
public struct MaintenanceWindow: Sendable, Equatable {
    public let id: UUID
    public let policyID: String
    /// Nil: every customer of the policy.
    public let organizationID: UUID?
    public let start: Date
    public let end: Date
    /// `scheduled` (held to the contract's limits) or `emergency` (recorded, not counted).
    public let kind: String
    public let note: String
    /// Why an administrator recorded a window past the contract's limits: a breach on record.
    public let overrideReason: String?
    public let recordedBy: UUID?
    public let recordedAt: Date

    public init(id: UUID? = nil, policyID: String, organizationID: UUID?, start: Date, end: Date, kind: String, note: String,
                overrideReason: String?, recordedBy: UUID?, recordedAt: Date) {
        self.id = id ?? .timeOrdered()
        self.policyID = policyID
        self.organizationID = organizationID
        self.start = start
        self.end = end
        self.kind = kind
        self.note = note
        self.overrideReason = overrideReason
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
    }
}

extension DeskStore {
    /// The windows of `policyID` overlapping `[from, to)` — one customer's and the policy-wide ones,
    /// or every one when `organizationID` is nil — by start.
    public func maintenanceWindows(policyID: String, organizationID: UUID?, from: Date, to: Date) async throws -> [MaintenanceWindow] {
        try await Self.maintenanceWindows(policyID: policyID, organizationID: organizationID, from: from, to: to, on: database)
    }

    /// Records `window` after `check` accepted the windows already recorded around it (those of
    /// its policy overlapping `[from, to)`), read in the same transaction — on PostgreSQL under a
    /// lock per policy, so two servers recording at once cannot both pass the limits.
    public func addMaintenanceWindow(_ window: MaintenanceWindow, around from: Date, _ to: Date,
                                     check: @escaping @Sendable ([MaintenanceWindow]) throws -> Void) async throws {
        try await write { db in
            if db.isPostgres {
                try await (try db.sql).raw("SELECT pg_advisory_xact_lock(hashtext(\(bind: "maintenance:" + window.policyID)))").run()
            }
            try check(try await Self.maintenanceWindows(policyID: window.policyID, organizationID: nil, from: from, to: to, on: db))
            try await (try db.sql).insert(into: "maintenance_windows")
                .columns("id", "policy_id", "organization_id", "starts_at", "ends_at", "kind", "note", "override_reason", "recorded_by", "recorded_at")
                .values([window.id, window.policyID, window.organizationID, window.start, window.end, window.kind, window.note, window.overrideReason,
                         window.recordedBy, window.recordedAt] as [any Encodable & Sendable])
                .run()
        }
    }

    private static func maintenanceWindows(policyID: String, organizationID: UUID?, from: Date, to: Date, on db: any Database) async throws -> [MaintenanceWindow] {
        var select = try db.sql.select().columns("id", "policy_id", "organization_id", "starts_at", "ends_at", "kind", "note", "override_reason",
                                                 "recorded_by", "recorded_at")
            .from("maintenance_windows").where("policy_id", .equal, policyID)
            .where("starts_at", .lessThan, to).where("ends_at", .greaterThan, from)
        if let organizationID {
            select = select.where { $0.where("organization_id", .equal, organizationID).orWhere("organization_id", .is, SQLLiteral.null) }
        }
        return try await select.orderBy("starts_at").all(decoding: Row.self).map(\.window)
    }

    private struct Row: Decodable {
        let id: UUID
        let policyID: String
        let organizationID: UUID?
        let startsAt: Date
        let endsAt: Date
        let kind: String
        let note: String
        let overrideReason: String?
        let recordedBy: UUID?
        let recordedAt: Date

        enum CodingKeys: String, CodingKey {
            case id, kind, note
            case policyID = "policy_id", organizationID = "organization_id", startsAt = "starts_at", endsAt = "ends_at"
            case overrideReason = "override_reason", recordedBy = "recorded_by", recordedAt = "recorded_at"
        }

        var window: MaintenanceWindow {
            MaintenanceWindow(id: id, policyID: policyID, organizationID: organizationID, start: startsAt, end: endsAt, kind: kind, note: note,
                              overrideReason: overrideReason, recordedBy: recordedBy, recordedAt: recordedAt)
        }
    }
}
