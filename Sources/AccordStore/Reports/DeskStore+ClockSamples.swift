import FluentKit
import FluentSQL
public import Foundation

/// One stored clock of a case logged in a report's period, with where the case stands on every
/// cut: what an attainment report counts, read without replaying the case's timeline.
public struct ClockSample: Sendable, Equatable {
    public let caseID: UUID
    public let number: String
    public let organizationID: UUID
    public let requesterID: UUID
    public let policyID: String
    public let policyVersion: String
    public let planID: String
    public let regionID: String
    public let priority: String?
    public let channel: String
    public let teamID: String?
    public let tier: Int?
    public let assigneeID: UUID?
    public let loggedAt: Date
    public let metric: String
    /// As `StoredClock.state` keeps it: a clock counting past its due is `running`.
    public let state: String
    public let due: Date?
    public let used: Int64?
    public let measure: String?
}

extension DeskStore {
    /// The clocks of the cases logged in `[from, to)` that pass `filter` (the caller's visibility
    /// included), ordered by case number and metric.
    public func clockSamples(loggedFrom from: Date, to: Date, _ filter: CaseFilter) async throws -> [ClockSample] {
        let period: (SQLSelectBuilder) -> SQLSelectBuilder = {
            $0.where("logged_at", .greaterThanOrEqual, from).where("logged_at", .lessThan, to)
        }
        guard let viewer = filter.visibleTo else {
            return try await Self.samples(filter, on: database, period)
        }
        // A customer's view is a union of parts (see `parts(of:)`); a case in two parts counts once.
        var seen = Set<UUID>()
        var merged: [ClockSample] = []
        for part in try await parts(of: viewer) {
            let samples = try await Self.samples(filter, on: database) { part(period($0)) }
            let fresh = Set(samples.map(\.caseID)).subtracting(seen)
            merged += samples.filter { fresh.contains($0.caseID) }
            seen.formUnion(fresh)
        }
        return merged.sorted { ($0.number, $0.metric) < ($1.number, $1.metric) }
    }

    private static let caseColumns = ["id", "number", "organization_id", "requester_id", "policy_id", "policy_version", "plan_id", "region_id",
                                      "priority", "channel", "team_id", "tier", "assignee_id", "logged_at"]

    private static func samples(_ filter: CaseFilter, on db: any Database, _ part: (SQLSelectBuilder) -> SQLSelectBuilder) async throws -> [ClockSample] {
        let cases = try CaseReads.selecting(caseColumns, filter, after: nil, on: db, part)
        let clock = { (name: String) in SQLColumn(name, table: ClockModel.schema) }
        return try await db.sql.select()
            .columns(caseColumns.map { SQLColumn($0, table: "c") })
            .columns(clock("metric"), clock("state"), clock("due"), clock("used"), clock("measure"))
            .from(SQLAlias(SQLGroupExpression(cases.select), as: SQLIdentifier("c")))
            .join(SQLIdentifier(ClockModel.schema), on: clock("case_id"), .equal, SQLColumn("id", table: "c"))
            .orderBy(SQLColumn("number", table: "c")).orderBy(clock("metric"))
            .all(decoding: Row.self).map(\.sample)
    }

    private struct Row: Decodable {
        let id: UUID
        let number: String
        let organizationID: UUID
        let requesterID: UUID
        let policyID: String
        let policyVersion: String
        let planID: String
        let regionID: String
        let priority: String?
        let channel: String
        let teamID: String?
        let tier: Int?
        let assigneeID: UUID?
        let loggedAt: Date
        let metric: String
        let state: String
        let due: Date?
        let used: Int64?
        let measure: String?

        enum CodingKeys: String, CodingKey {
            case id, number, priority, channel, tier, metric, state, due, used, measure
            case organizationID = "organization_id", requesterID = "requester_id", policyID = "policy_id", policyVersion = "policy_version"
            case planID = "plan_id", regionID = "region_id", teamID = "team_id", assigneeID = "assignee_id", loggedAt = "logged_at"
        }

        var sample: ClockSample {
            ClockSample(caseID: id, number: number, organizationID: organizationID, requesterID: requesterID, policyID: policyID,
                        policyVersion: policyVersion, planID: planID, regionID: regionID, priority: priority, channel: channel, teamID: teamID,
                        tier: tier, assigneeID: assigneeID, loggedAt: loggedAt, metric: metric, state: state, due: due, used: used, measure: measure)
        }
    }
}

/// A step of a case's routing: routed or escalated to a team (`value`), or assigned.
public struct RoutingEvent: Sendable, Equatable {
    public let kind: String
    public let value: String?
    public let at: Date

    public init(kind: String, value: String?, at: Date) {
        self.kind = kind
        self.value = value
        self.at = at
    }
}

extension DeskStore {
    /// The routing of every case logged in `[from, to)` — its `routed`, `escalated` and `assigned`
    /// events in order, by case — from which reports derive the OLA clocks.
    public func routingEvents(loggedFrom from: Date, to: Date) async throws -> [UUID: [RoutingEvent]] {
        let rows = try await database.sql.raw("""
            SELECT e.case_id, e.sequence, e.kind, e.value, e.at FROM \(ident: CaseEventModel.schema) e JOIN \(ident: CaseModel.schema) c ON c.id = e.case_id
            WHERE c.logged_at >= \(bind: from) AND c.logged_at < \(bind: to) AND e.kind IN ('routed', 'escalated', 'assigned')
            """).all()
        var steps: [UUID: [(Int, RoutingEvent)]] = [:]
        for row in rows {
            let event = RoutingEvent(kind: try row.decode(column: "kind", as: String.self), value: try row.decode(column: "value", as: String?.self),
                                     at: try row.decode(column: "at", as: Date.self))
            steps[try row.decode(column: "case_id", as: UUID.self), default: []].append((try row.decode(column: "sequence", as: Int.self), event))
        }
        return steps.mapValues { $0.sorted { $0.0 < $1.0 }.map(\.1) }
    }
}

extension DeskStore {
    /// Up to `limit` cases after `after` (by id) with a decided clock (met or breached) whose time
    /// used is not recorded: clocks decided before the desk kept it.
    public func casesWithUnmeasuredClocks(after: UUID?, limit: Int) async throws -> [UUID] {
        // The condition as the partial index states it, so that the index answers (`IndexUnmeasuredClocks`).
        var select = try database.sql.select().distinct().column("case_id").from(ClockModel.schema)
            .where(SQLRaw(IndexUnmeasuredClocks.condition))
        if let after { select = select.where("case_id", .greaterThan, after) }
        return try await select.orderBy("case_id").limit(limit).all().map { try $0.decode(column: "case_id", as: UUID.self) }
    }

    /// Records the time used of decided clocks that lack it; a clock changed meanwhile (no longer
    /// decided, or measured already) is left as it is.
    public func recordTimeUsed(_ clocks: [(caseID: UUID, clock: StoredClock)]) async throws {
        let measured = clocks.filter { $0.clock.used != nil && $0.clock.measure != nil }
        guard !measured.isEmpty else { return }
        try await write { db in
            let sql = try db.sql
            for (caseID, clock) in measured {
                try await sql.update(ClockModel.schema).set("used", to: clock.used).set("measure", to: clock.measure)
                    .where("case_id", .equal, caseID).where("metric", .equal, clock.metric).where("state", .equal, clock.state)
                    .where("used", .is, SQLLiteral.null).run()
            }
        }
    }
}

extension DeskStore {
    /// The ids of cases with a CVSS score (vulnerabilities), or with an event of `kind` (a confirmed
    /// defect): the candidates of a ledger, before the caller's visibility.
    public func ledgerCandidates(cvss: Bool, eventKind: String?) async throws -> [UUID] {
        let sql = try database.sql
        if cvss {
            return try await sql.select().column("id").from(CaseModel.schema).where("cvss", .isNot, SQLLiteral.null).all()
                .map { try $0.decode(column: "id", as: UUID.self) }
        }
        return try await sql.select().distinct().column("case_id").from(CaseEventModel.schema).where("kind", .equal, eventKind ?? "").all()
            .map { try $0.decode(column: "case_id", as: UUID.self) }
    }
}
