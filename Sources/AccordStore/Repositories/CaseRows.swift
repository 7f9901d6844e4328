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

    /// Rows for one table with their values bound as the database takes them, made before the
    /// statements run (ahead of a transaction, on another thread, if need be): one multi-row
    /// `INSERT` per slice of rows that keeps within `bindLimit`.
    struct Table: Sendable {
        let name: String
        let columns: [String]
        /// Each statement's values, row after row, `columns.count` values a row: SQLite's own, or
        /// portable values for PostgreSQL (one of the two is empty).
        private(set) var sqliteSlices: [[SQLiteData]] = []
        private(set) var portableSlices: [[Value]] = []
        /// Rows a statement takes (the last may take fewer).
        let rowsPerStatement: Int

        init<Row>(_ name: String, _ columns: [String], _ rows: [Row], sqlite: Bool, _ values: (Row) -> [Value]) {
            self.name = name
            self.columns = columns
            let perStatement = max(1, bindLimit / columns.count)
            rowsPerStatement = perStatement
            for start in stride(from: 0, to: rows.count, by: perStatement) {
                let slice = rows[start..<Swift.min(start + perStatement, rows.count)]
                if sqlite {
                    var binds: [SQLiteData] = []
                    binds.reserveCapacity(slice.count * columns.count)
                    for row in slice { for value in values(row) { binds.append(value.sqlite) } }
                    sqliteSlices.append(binds)
                } else {
                    var binds: [Value] = []
                    binds.reserveCapacity(slice.count * columns.count)
                    for row in slice { binds += values(row) }
                    portableSlices.append(binds)
                }
            }
        }

        /// Sets one value, once the row's transaction knows it (a case's number).
        mutating func set(row: Int, column: Int, to value: Value) {
            let (slice, index) = (row / rowsPerStatement, (row % rowsPerStatement) * columns.count + column)
            if sqliteSlices.isEmpty { portableSlices[slice][index] = value } else { sqliteSlices[slice][index] = value.sqlite }
        }

        /// The statements, each to be run after the one before (`chain`).
        func statements(on db: any Database) -> [@Sendable () -> EventLoopFuture<Void>] {
            let width = columns.count
            if !sqliteSlices.isEmpty {
                guard let sqlite = db as? any SQLiteDatabase else { return [{ db.eventLoop.makeFailedFuture(StoreError.conflict("not a SQLite database")) }] }
                let head = "INSERT INTO \"\(name)\" (" + columns.map { "\"\($0)\"" }.joined(separator: ", ") + ") VALUES "
                let tuple = "(" + Array(repeating: "?", count: width).joined(separator: ", ") + ")"
                let logger = db.logger
                return sqliteSlices.map { values in
                    let text = head + Array(repeating: tuple, count: values.count / width).joined(separator: ", ")
                    return { sqlite.query(text, values, logger: logger) { _ in } }
                }
            }
            guard let sql = db as? any SQLDatabase else {
                return [{ db.eventLoop.makeFailedFuture(StoreError.conflict("the database does not speak SQL")) }]
            }
            return inserts(on: sql).map { statement in { sql.execute(sql: statement) { _ in } } }
        }

        /// The values bound by the statements of a table prepared for PostgreSQL.
        var binds: Int { portableSlices.reduce(0) { $0 + $1.count } }

        /// The `INSERT`s of a table prepared for PostgreSQL, one a slice.
        func inserts(on sql: any SQLDatabase) -> [SQLInsert] {
            portableSlices.map { values in
                let insert = sql.insert(into: name).columns(columns)
                for start in stride(from: 0, to: values.count, by: columns.count) {
                    insert.values(values[start..<(start + columns.count)].map(\.encodable))
                }
                return insert.insert
            }
        }
    }

    /// PostgreSQL: `statements` (each an `INSERT`, `UPDATE` or `DELETE`) as one, each a common
    /// table expression of a `WITH`: one round trip to the database instead of one each. The
    /// foreign keys are checked at the end of the whole statement, so a row may refer to one
    /// inserted beside it; no two of `statements` may change the same row.
    static func together(_ statements: [SQLQueryString]) -> SQLQueryString {
        let parts = statements.enumerated().map { index, statement -> SQLQueryString in "w\(unsafeRaw: String(index)) AS (\(statement))" }
        return "WITH \(parts.joined(separator: ", ")) SELECT 1 AS written"
    }

    /// The statements that insert `rows` into `table` (see `Table`).
    static func inserts<Row>(_ table: String, _ columns: [String], _ rows: [Row], on db: any Database,
                             _ values: (Row) -> [Value]) -> [@Sendable () -> EventLoopFuture<Void>] {
        Table(table, columns, rows, sqlite: !db.isPostgres, values).statements(on: db)
    }

    /// The tables new cases and what they bring are written to, their values bound for the
    /// database (`sqlite`, or portable values for PostgreSQL). The cases' numbers are left empty
    /// (`numberColumn`) until their transaction draws them.
    static func tables(cases: [NewCase], events: [Child<CaseEvent>], watchers: [Child<CaseWatcher>], clocks: [Child<StoredClock>],
                       alarms: [Alarm], attachments: [Attachment], sqlite: Bool) -> (cases: Table, children: [Table]) {
        let caseTable = Table(CaseModel.schema, caseColumns, cases, sqlite: sqlite) { row -> [Value] in
            let c = row.supportCase, details = c.details, work = c.work
            return [
                .uuid(c.id), .text(nil), .uuid(c.organizationID), .uuid(c.requesterID), .text(c.title), .text(c.description), .text(c.priority),
                .text(c.channel), .text(c.status), .text(c.policyID), .text(c.policyVersion), .text(c.planID), .text(c.regionID), .date(c.loggedAt),
                .text(details.product), .text(details.version), .text(details.servicePack), .text(details.stepsToReproduce), .bool(details.englishConsent),
                .bool(details.nda), .double(details.cvss), .text(details.contactName), .text(details.contactPhone), .text(details.contactEmail),
                .text(details.apps), .bool(c.unsupportedVersion), .text(c.outOfScope), .date(row.nextDue), .bool(row.breached), .int(c.version),
                .text(work.team), .int(work.tier), .int(work.queueRank), .int(work.planRank), .int(work.priorityRank), .text(work.language),
                .text(work.mailbox), .date(queueDue(row.nextDue)), .uuid(work.assigneeID), .date(work.assignedAt), .uuid(work.advocateID),
            ]
        }
        var children = [Table(CaseEventModel.schema, ["id", "case_id", "sequence", "at", "actor_id", "kind", "value", "body"], events, sqlite: sqlite) { row in
            let event = row.value
            return [.uuid(row.id), .uuid(row.caseID), .int(event.sequence), .date(event.at), .uuid(event.actorID), .text(event.kind), .text(event.value),
                    .text(event.body)]
        }]
        children.append(Table(CaseWatcherModel.schema, ["id", "case_id", "person_id", "email", "kind", "added_by", "added_at"], watchers, sqlite: sqlite) { row in
            let watcher = row.value
            return [.uuid(row.id), .uuid(row.caseID), .uuid(watcher.personID), .text(watcher.email), .text(watcher.kind.rawValue), .uuid(watcher.addedBy),
                    .date(watcher.addedAt)]
        })
        children.append(Table(ClockModel.schema, ["id", "case_id", "metric", "target", "due", "state", "used", "measure"], clocks, sqlite: sqlite) { row in
            let clock = row.value
            return [.uuid(row.id), .uuid(row.caseID), .text(clock.metric), .text(clock.target), .date(clock.due), .text(clock.state),
                    .int(clock.used.map(Int.init)), .text(clock.measure)]
        })
        children.append(Table("clock_alarms", ["id", "case_id", "metric", "kind", "at"], alarms, sqlite: sqlite) { alarm in
            [.uuid(UUID.timeOrdered()), .uuid(alarm.caseID), .text(alarm.metric), .text(alarm.kind), .date(alarm.at)]
        })
        children.append(Self.attachments(attachments, sqlite: sqlite))
        return (caseTable, children)
    }

    /// The rows of `files` in the attachment table.
    static func attachments(_ files: [Attachment], sqlite: Bool) -> Table {
        Table("attachments", ["id", "case_id", "filename", "content_type", "size", "sha256", "uploaded_by", "uploaded_at", "erased_at", "internal"],
              files, sqlite: sqlite) { file in
            [.uuid(file.id), .uuid(file.caseID), .text(file.filename), .text(file.contentType), .int(file.size), .text(file.sha256),
             .uuid(file.uploadedBy), .date(file.uploadedAt), .date(file.erasedAt), .bool(file.isInternal)]
        }
    }

    /// Where `tables` leaves each case's number to be set.
    static let numberColumn = 1

    /// Runs `statements` one after the other, each started when the one before has finished.
    static func chain(_ statements: [@Sendable () -> EventLoopFuture<Void>], on db: any Database) -> EventLoopFuture<Void> {
        var done = db.eventLoop.makeSucceededVoidFuture()
        for statement in statements { done = done.flatMap { statement() } }
        return done
    }
}
