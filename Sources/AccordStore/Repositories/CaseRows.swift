import FluentKit
import FluentSQL
import Foundation

/// The rows of newly logged cases written with one multi-row `INSERT` per table. Fluent's
/// `create` on a collection collects each model's fields by reflection, which dominated the cost of
/// a busy intake; the columns are named here once, beside the models they mirror, and the store
/// tests read every field back through Fluent.
enum CaseRows {
    /// Every column of the case table, in the order the inserts give their values.
    static let caseColumns = [
        "id", "number", "organization_id", "requester_id", "title", "description", "priority", "channel", "status",
        "policy_id", "policy_version", "plan_id", "region_id", "logged_at", "product", "product_version", "service_pack",
        "steps_to_reproduce", "english_consent", "nda", "cvss", "contact_name", "contact_phone", "contact_email", "apps",
        "unsupported_version", "out_of_scope", "next_due", "breached", "version", "team_id", "tier", "queue_rank", "plan_rank",
        "priority_rank", "language", "mailbox", "queue_due", "assignee_id", "assigned_at", "advocate_id",
    ]

    /// What `queue_due` holds for a case with no running clock: queues sort it after every due one.
    static let noDue = Date(timeIntervalSince1970: 253_402_300_799)

    /// The `queue_due` of a case whose earliest running due is `nextDue`.
    static func queueDue(_ nextDue: Date?) -> Date {
        nextDue ?? noDue
    }

    /// One instant the SLA monitor is to raise for a case's clock.
    struct Alarm: Sendable {
        let caseID: UUID
        let metric: String
        let kind: String
        let at: Date
    }

    static func alarms(of clocks: [StoredClock], caseID: UUID) -> [Alarm] {
        clocks.flatMap { clock in
            clock.alarms.map { Alarm(caseID: caseID, metric: clock.metric, kind: $0.kind, at: Date(timeIntervalSince1970: TimeInterval($0.at))) }
        }
    }

    /// Replaces the case's alarms not yet raised; one already raised (same clock, same kind: its
    /// outbox entry says so) is never scheduled again, so a re-derived clock cannot warn twice.
    static func replaceAlarms(_ alarms: [Alarm], caseID: UUID, on db: any Database) async throws {
        let sql = try db.sql
        try await sql.delete(from: "clock_alarms").where("case_id", .equal, caseID).run()
        guard !alarms.isEmpty else { return }
        let raised = Set(try await sql.raw("SELECT metric, alarm FROM outbox WHERE case_id = \(bind: caseID) AND alarm IS NOT NULL").all()
            .map { [try $0.decode(column: "metric", as: String.self), try $0.decode(column: "alarm", as: String.self)] })
        let pending = alarms.filter { !raised.contains([$0.metric, $0.kind]) }
        guard !pending.isEmpty else { return }
        try await sql.execute(sql: alarmInsert(pending, on: sql).ignoringConflicts(with: ["case_id", "metric", "kind"]).insert) { _ in }
    }

    private static func alarmInsert(_ alarms: [Alarm], on sql: any SQLDatabase) -> SQLInsertBuilder {
        let insert = sql.insert(into: "clock_alarms").columns("id", "case_id", "metric", "kind", "at")
        for alarm in alarms {
            insert.values([UUID.timeOrdered(), alarm.caseID, alarm.metric, alarm.kind, alarm.at] as [any Encodable & Sendable])
        }
        return insert
    }

    /// A new case with what its clocks make of it: the earliest running due, and whether one is breached.
    struct NewCase: Sendable {
        let supportCase: SupportCase
        let nextDue: Date?
        let breached: Bool
    }

    /// A new row belonging to a case, with the id it is stored under.
    struct Child<Value: Sendable>: Sendable {
        let id = UUID.timeOrdered()
        let caseID: UUID
        let value: Value
    }

    /// The most values one statement binds: under SQLite's limit (32,766) and PostgreSQL's (65,535).
    static let bindLimit = 30_000

    /// One multi-row `INSERT` of `rows` into `table` per slice that keeps within `bindLimit`.
    private static func inserts<Row>(_ table: String, _ columns: [String], _ rows: [Row], on sql: any SQLDatabase,
                                     _ values: (Row) -> [any Encodable & Sendable]) -> [SQLInsert] {
        rows.chunks(of: max(1, bindLimit / columns.count)).map { slice in
            let insert = sql.insert(into: table).columns(columns)
            for row in slice { insert.values(values(row)) }
            return insert.insert
        }
    }

    static func insert(cases: [NewCase], events: [Child<CaseEvent>], watchers: [Child<CaseWatcher>], clocks: [Child<StoredClock>],
                       alarms: [Alarm], on db: any Database) -> EventLoopFuture<Void> {
        guard let sql = db as? any SQLDatabase else { return db.eventLoop.makeFailedFuture(StoreError.conflict("the database does not speak SQL")) }
        var statements = inserts(CaseModel.schema, caseColumns, cases, on: sql) { row in
            let c = row.supportCase, details = c.details, work = c.work
            return [
                c.id, c.number, c.organizationID, c.requesterID, c.title, c.description, c.priority, c.channel, c.status, c.policyID,
                c.policyVersion, c.planID, c.regionID, c.loggedAt, details.product, details.version, details.servicePack,
                details.stepsToReproduce, details.englishConsent, details.nda, details.cvss, details.contactName, details.contactPhone,
                details.contactEmail, details.apps, c.unsupportedVersion, c.outOfScope, row.nextDue, row.breached, c.version, work.team,
                work.tier, work.queueRank, work.planRank, work.priorityRank, work.language, work.mailbox,
                queueDue(row.nextDue), work.assigneeID, work.assignedAt, work.advocateID,
            ]
        }
        statements += inserts(CaseEventModel.schema, ["id", "case_id", "sequence", "at", "actor_id", "kind", "value", "body"], events, on: sql) { row in
            let event = row.value
            return [row.id, row.caseID, event.sequence, event.at, event.actorID, event.kind, event.value, event.body]
        }
        statements += inserts(CaseWatcherModel.schema, ["id", "case_id", "person_id", "email", "kind", "added_by", "added_at"], watchers, on: sql) { row in
            let watcher = row.value
            return [row.id, row.caseID, watcher.personID, watcher.email, watcher.kind.rawValue, watcher.addedBy, watcher.addedAt]
        }
        statements += inserts(ClockModel.schema, ["id", "case_id", "metric", "target", "due", "state", "used", "measure"], clocks, on: sql) { row in
            let clock = row.value
            return [row.id, row.caseID, clock.metric, clock.target, clock.due, clock.state, clock.used, clock.measure]
        }
        statements += inserts("clock_alarms", ["id", "case_id", "metric", "kind", "at"], alarms, on: sql) { alarm in
            [UUID.timeOrdered(), alarm.caseID, alarm.metric, alarm.kind, alarm.at]
        }
        var done = db.eventLoop.makeSucceededVoidFuture()
        for statement in statements { done = done.flatMap { sql.execute(sql: statement) { _ in } } }
        return done
    }
}
