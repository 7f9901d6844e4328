import FluentKit
import FluentSQL
import FluentSQLiteDriver
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

    /// A value of a row these inserts write, typed, so that each database binds it as it stores
    /// it: SQLite takes it as its own value at once (text for ids, seconds since 1970 for dates, as
    /// SQLiteKit's encoder writes them), instead of through SQLKit's encoder, which casts every value
    /// dynamically and encodes each optional through an encoder object of its own — on SQLite a
    /// quarter of the CPU of writing a block of imported cases.
    enum Value: Sendable {
        case uuid(UUID?)
        case text(String?)
        case int(Int?)
        case double(Double?)
        case bool(Bool?)
        case date(Date?)

        var sqlite: SQLiteData {
            switch self {
            case .uuid(let value): value.map { .text($0.text) } ?? .null
            case .text(let value): value.map { .text($0) } ?? .null
            case .int(let value): value.map { .integer($0) } ?? .null
            case .double(let value): value.map { .float($0) } ?? .null
            case .bool(let value): value.map { .integer($0 ? 1 : 0) } ?? .null
            case .date(let value): value.map { .float($0.timeIntervalSince1970) } ?? .null
            }
        }

        var encodable: any Encodable & Sendable {
            switch self {
            case .uuid(let value): value
            case .text(let value): value
            case .int(let value): value
            case .double(let value): value
            case .bool(let value): value
            case .date(let value): value
            }
        }
    }

    /// One multi-row `INSERT` of `rows` into `table` per slice that keeps within `bindLimit`, run
    /// one after the other.
    private static func inserts<Row>(_ table: String, _ columns: [String], _ rows: [Row], on db: any Database,
                                     _ values: (Row) -> [Value]) -> [@Sendable () -> EventLoopFuture<Void>] {
        let slices = rows.chunks(of: max(1, bindLimit / columns.count))
        if let sqlite = db as? any SQLiteDatabase, !db.isPostgres {
            let head = "INSERT INTO \"\(table)\" (" + columns.map { "\"\($0)\"" }.joined(separator: ", ") + ") VALUES "
            let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
            return slices.map { slice in
                var binds: [SQLiteData] = []
                binds.reserveCapacity(slice.count * columns.count)
                for row in slice { binds += values(row).map(\.sqlite) }
                let text = head + Array(repeating: tuple, count: slice.count).joined(separator: ", ")
                let (logger, bound) = (db.logger, binds)
                return { sqlite.query(text, bound, logger: logger) { _ in } }
            }
        }
        guard let sql = db as? any SQLDatabase else {
            return [{ db.eventLoop.makeFailedFuture(StoreError.conflict("the database does not speak SQL")) }]
        }
        return slices.map { slice in
            let insert = sql.insert(into: table).columns(columns)
            for row in slice { insert.values(values(row).map(\.encodable)) }
            let statement = insert.insert
            return { sql.execute(sql: statement) { _ in } }
        }
    }

    static func insert(cases: [NewCase], events: [Child<CaseEvent>], watchers: [Child<CaseWatcher>], clocks: [Child<StoredClock>],
                       alarms: [Alarm], on db: any Database) -> EventLoopFuture<Void> {
        var statements = inserts(CaseModel.schema, caseColumns, cases, on: db) { row -> [Value] in
            let c = row.supportCase, details = c.details, work = c.work
            return [
                .uuid(c.id), .text(c.number), .uuid(c.organizationID), .uuid(c.requesterID), .text(c.title), .text(c.description), .text(c.priority),
                .text(c.channel), .text(c.status), .text(c.policyID), .text(c.policyVersion), .text(c.planID), .text(c.regionID), .date(c.loggedAt),
                .text(details.product), .text(details.version), .text(details.servicePack), .text(details.stepsToReproduce), .bool(details.englishConsent),
                .bool(details.nda), .double(details.cvss), .text(details.contactName), .text(details.contactPhone), .text(details.contactEmail),
                .text(details.apps), .bool(c.unsupportedVersion), .text(c.outOfScope), .date(row.nextDue), .bool(row.breached), .int(c.version),
                .text(work.team), .int(work.tier), .int(work.queueRank), .int(work.planRank), .int(work.priorityRank), .text(work.language),
                .text(work.mailbox), .date(queueDue(row.nextDue)), .uuid(work.assigneeID), .date(work.assignedAt), .uuid(work.advocateID),
            ]
        }
        statements += inserts(CaseEventModel.schema, ["id", "case_id", "sequence", "at", "actor_id", "kind", "value", "body"], events, on: db) { row in
            let event = row.value
            return [.uuid(row.id), .uuid(row.caseID), .int(event.sequence), .date(event.at), .uuid(event.actorID), .text(event.kind), .text(event.value),
                    .text(event.body)]
        }
        statements += inserts(CaseWatcherModel.schema, ["id", "case_id", "person_id", "email", "kind", "added_by", "added_at"], watchers, on: db) { row in
            let watcher = row.value
            return [.uuid(row.id), .uuid(row.caseID), .uuid(watcher.personID), .text(watcher.email), .text(watcher.kind.rawValue), .uuid(watcher.addedBy),
                    .date(watcher.addedAt)]
        }
        statements += inserts(ClockModel.schema, ["id", "case_id", "metric", "target", "due", "state", "used", "measure"], clocks, on: db) { row in
            let clock = row.value
            return [.uuid(row.id), .uuid(row.caseID), .text(clock.metric), .text(clock.target), .date(clock.due), .text(clock.state),
                    .int(clock.used.map(Int.init)), .text(clock.measure)]
        }
        statements += inserts("clock_alarms", ["id", "case_id", "metric", "kind", "at"], alarms, on: db) { alarm in
            [.uuid(UUID.timeOrdered()), .uuid(alarm.caseID), .text(alarm.metric), .text(alarm.kind), .date(alarm.at)]
        }
        var done = db.eventLoop.makeSucceededVoidFuture()
        for statement in statements { done = done.flatMap { statement() } }
        return done
    }
}
