public import AccordCore
import BusinessTime
public import Foundation
import FluentKit
import FluentSQL

/// An alarm the SLA monitor raised: which clock, what, when it was due and when it went out.
public struct RaisedAlarm: Sendable, Equatable, Codable {
    public let caseID: UUID
    public let metric: String
    /// `warning-75`, `warning-90`, …, or `breach`.
    public let kind: String
    /// When the alarm fell due (a warning's share of the budget used, or the breach).
    public let alarmAt: Date
    /// The clock's due instant when the alarm was raised.
    public let clockDue: Date?
    public let raisedAt: Date

    /// The outbox event it becomes: `sla.warning`, `sla.breach`, or `sla.estimate-passed` (the
    /// rectification estimate told to the customer passed with the clock still counting).
    public var event: String {
        if ClockAlarm.isBreach(kind) { return "sla.breach" }
        return kind.hasPrefix(ClockAlarm.estimatePassedPrefix) ? "sla.estimate-passed" : "sla.warning"
    }
}

/// The alarms one monitor pass raised, as their outbox entries carry them.
public struct RaisedAlarms: Sendable, Equatable {
    /// Each alarm's outbox text, in the order the database returned them.
    let texts: [String]

    public init(texts: [String] = []) {
        self.texts = texts
    }

    public var count: Int { texts.count }
    public var isEmpty: Bool { texts.isEmpty }

    /// Each alarm's outbox text (one line of JSON), oldest first: the text starts with the alarm's
    /// instant, so text order is time order.
    public var lines: [String] { texts.sorted() }

    /// The alarms read back from their text, oldest first.
    public func alarms() throws -> [RaisedAlarm] { try lines.map(RaisedAlarm.init(json:)) }
}

extension RaisedAlarm {
    /// The alarm read back from its `json`.
    public init(json: String) throws {
        self = try OutboxJSON.decode(Self.self, from: json)
    }
}

/// Who the outbox's entries go to besides the webhooks that want them.
public struct AlertRecipients: Sendable, Equatable {
    /// Addresses every staff alert (`sla.*`) is mailed to; a case's activity (`case.*`) goes to webhooks only.
    public var emails: [String]
    /// Whether the case's own people are mailed: its assignee and its team's leads get a staff
    /// alert (named with the team, whose working hours may hold a warning); its requester and the
    /// people CC'd or on its case team get a customer notice (`customer.*`), which never goes to staff.
    public var casePeople: Bool

    public init(emails: [String] = [], casePeople: Bool = false) {
        self.emails = emails
        self.casePeople = casePeople
    }

    /// No mail: only the webhooks.
    public static let webhooksOnly = AlertRecipients()
}

/// A webhook subscription: where to POST which events, signed with the secret.
public struct Webhook: Sendable, Equatable, Codable {
    public let id: UUID
    public let url: String
    public let secret: String
    /// Event names (`sla.warning`, `sla.breach`), or `*` for all.
    public let events: [String]
    public let active: Bool
    public let createdAt: Date
}

/// One message to deliver to one recipient, leased by the deliverer that claimed it.
public struct DeliveryJob: Sendable, Equatable {
    public let id: UUID
    public let channel: String
    /// A webhook id (channel `webhook`) or an email address (channel `email`).
    public let target: String
    /// Attempts made before this one.
    public let attempts: Int
    public let event: String
    public let caseID: UUID?
    /// The outbox entry's JSON.
    public let payload: String
    /// For a mail to the case's assignee or team lead: the team (`POLICY.TEAM`) whose working
    /// hours a non-urgent alert may be held to.
    public let holdTeam: String?
}

/// A delivery and where it stands.
public struct Delivery: Sendable, Equatable, Codable {
    public let id: UUID
    public let event: String
    public let caseID: UUID?
    public let channel: String
    public let target: String
    /// `pending`, `delivered` or `dead` (given up after the last try).
    public let state: String
    public let attempts: Int
    public let nextAttemptAt: Date
    public let deliveredAt: Date?
    public let lastError: String?
}

/// A mail template an admin wrote in place of the built-in one, for one policy or every one
/// (`policy` empty) and one language or every one (`language` empty).
public struct SavedTemplate: Sendable, Equatable {
    public let name: String
    public let policy: String
    public let language: String
    public let subject: String
    public let body: String
    public let updatedBy: UUID?
    public let updatedAt: Date

    /// A text for one policy and/or language, not the one for all.
    public var isVariant: Bool { !(policy.isEmpty && language.isEmpty) }
}

/// One try at a delivery, as recorded.
public struct DeliveryAttempt: Sendable, Equatable, Codable {
    public let at: Date
    /// `delivered` or `failed`.
    public let outcome: String
    public let detail: String
}

/// How to retry a failed delivery: exponential backoff, then the dead-letter state.
public struct RetryPolicy: Sendable, Equatable {
    public var maxAttempts: Int
    public var firstDelay: TimeInterval
    public var maxDelay: TimeInterval

    public init(maxAttempts: Int = 8, firstDelay: TimeInterval = 30, maxDelay: TimeInterval = 6 * 3600) {
        self.maxAttempts = maxAttempts
        self.firstDelay = firstDelay
        self.maxDelay = maxDelay
    }

    /// The wait after the `attempt`-th failure (1-based): first, twice that, four times, … up to the cap.
    public func delay(afterAttempt attempt: Int) -> TimeInterval {
        min(maxDelay, firstDelay * pow(2, Double(max(0, attempt - 1))))
    }
}

extension DeskStore {
    var sql: any SQLDatabase {
        get throws { try database.sql }
    }

    // MARK: The monitor pass

    /// One monitor pass at `now`: raises every alarm due by then and not raised yet, and writes one
    /// outbox entry for each — fanned out at once to `recipients` and the webhooks that want it —
    /// in the same transaction. Each alarm is raised exactly once, also with several servers on
    /// one PostgreSQL: one of them sweeps at a time (a transaction-scoped advisory lock; the others
    /// find it held and leave the alarms to it; SQLite serializes its writers), and a raised alarm
    /// is deleted from `clock_alarms` — its outbox entry is the record that it was raised, which
    /// `CaseRows.replaceAlarms` consults so that it is never scheduled again. Deleting the row
    /// costs PostgreSQL a twentieth of marking it raised, which rewrote the row and its indexes.
    /// After a downtime the pass catches up: everything that fell due meanwhile is raised, with its
    /// due time.
    ///
    /// The rows never leave the database: the outbox text is written by the statement itself
    /// (`alarmEntry`), and only the text comes back — a pass raising 10,000 alarms binds a handful
    /// of values, not 50,000.
    public func sweep(at now: Date, notifying recipients: AlertRecipients, limit: Int = 100_000) async throws -> RaisedAlarms {
        try await write { db in
            let sql = try db.sql
            let postgres = db.isPostgres
            let raisedAt = ISO8601.utc(Int64(now.timeIntervalSince1970.rounded(.down)))
            let deliveries = Self.deliveries(at: now, postgres: postgres)
            let entry: SQLQueryString = "SELECT \(Self.alarmEntry(raisedAt: "\(bind: raisedAt)", postgres: postgres)), \(bind: now), \(bind: now)"
            let outbox: SQLQueryString = "INSERT INTO outbox (\(Self.alarmEntryColumns), created_at, dispatched_at)"
            let rows: [any SQLRow]
            if postgres {
                let held = try await sql.raw("SELECT pg_try_advisory_xact_lock(\(bind: Self.sweepLock)) AS held").first()?.decode(column: "held", as: Bool.self)
                guard held == true else { return RaisedAlarms() }
                // One statement: the raised rows feed the outbox, the outbox the deliveries.
                rows = try await sql.raw("""
                    WITH raised AS (
                      DELETE FROM clock_alarms WHERE ctid = ANY(ARRAY(
                        SELECT ctid FROM clock_alarms WHERE at <= \(bind: now) ORDER BY at LIMIT \(bind: limit)))
                      RETURNING id, case_id, metric, kind, at),
                    batch AS (\(outbox) \(entry) FROM raised a LEFT JOIN clocks c ON c.case_id = a.case_id AND c.metric = a.metric
                      RETURNING id, kind, case_id, organization_id, payload),
                    fan AS (\(Self.fanOut(to: recipients, postgres: true))),
                    made AS (\(deliveries))
                    SELECT payload FROM batch
                    """).all()
            } else {
                // The writer holds SQLite's write lock from the first statement on, so each statement
                // picks the same alarms (ties on `at` broken by rowid, the index's own order).
                let due: SQLQueryString = "FROM clock_alarms a WHERE a.at <= \(bind: now) ORDER BY a.at, a.rowid LIMIT \(bind: limit)"
                rows = try await sql.raw("""
                    \(outbox) \(entry) FROM (SELECT a.id, a.case_id, a.metric, a.kind, a.at \(due)) a
                      LEFT JOIN clocks c ON c.case_id = a.case_id AND c.metric = a.metric
                    RETURNING payload
                    """).all()
                try await sql.raw("""
                    WITH batch AS (SELECT id, kind, case_id, organization_id FROM outbox WHERE id IN (SELECT a.id \(due))),
                    fan AS (\(Self.fanOut(to: recipients, postgres: false))) \(deliveries)
                    """).run()
                try await sql.raw("DELETE FROM clock_alarms WHERE rowid IN (SELECT a.rowid \(due))").run()
            }
            return RaisedAlarms(texts: try rows.map { try $0.decode(column: "payload", as: String.self) })
        }
    }

    /// The outbox columns `alarmEntry` gives values for.
    static let alarmEntryColumns: SQLQueryString = "id, kind, case_id, metric, alarm, payload"

    /// The values of the outbox entry that raises the `clock_alarms` row `a` (joined to its clock
    /// as `c`), in the order of `alarmEntryColumns`: the entry takes the alarm's id and records
    /// which alarm it raised; the text is `RaisedAlarm` as JSON with sorted keys and ISO 8601
    /// instants in seconds, `raisedAt` an expression giving that instant's text.
    static func alarmEntry(raisedAt: SQLQueryString, postgres: Bool) -> SQLQueryString {
        func instant(_ column: String) -> SQLQueryString {
            postgres ? "to_char(\(unsafeRaw: column) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
                : "strftime('%Y-%m-%dT%H:%M:%SZ', \(unsafeRaw: column), 'unixepoch')"
        }
        func quoted(_ column: String) -> SQLQueryString {
            postgres ? "to_json(\(unsafeRaw: column))::text" : "json_quote(\(unsafeRaw: column))"
        }
        return """
            a.id, \(alarmEvent("a.kind")), a.case_id, a.metric, a.kind,
              '{"alarmAt":"' || \(instant("a.at")) || '","caseID":' || \(quoted(postgres ? "upper(a.case_id::text)" : "a.case_id"))
              || CASE WHEN c.due IS NULL THEN '' ELSE ',"clockDue":"' || \(instant("c.due")) || '"' END
              || ',"kind":' || \(quoted("a.kind")) || ',"metric":' || \(quoted("a.metric"))
              || ',"raisedAt":"' || \(raisedAt) || '"}'
            """
    }

    /// The advisory lock a PostgreSQL server holds while it sweeps ("accord" in ASCII, then 1).
    private static let sweepLock: Int64 = 0x6163_636F_7264_0001

    /// The outbox event of an alarm kind in `column`, as `RaisedAlarm.event` names it.
    private static func alarmEvent(_ column: String) -> SQLQueryString {
        let prefix = ClockAlarm.estimatePassedPrefix
        return """
            CASE WHEN \(unsafeRaw: column) = \(bind: ClockAlarm.breach) OR substr(\(unsafeRaw: column), 1, 7) = 'breach@' THEN 'sla.breach' \
            WHEN substr(\(unsafeRaw: column), 1, \(unsafeRaw: String(prefix.count))) = \(bind: prefix) THEN 'sla.estimate-passed' ELSE 'sla.warning' END
            """
    }

    /// A new random (version 4) UUID in SQLite, as the text SQLiteNIO stores a Swift `UUID` in;
    /// `randomblob` is called anew for every row.
    private static let sqliteUUID: SQLQueryString = """
        hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' \
        || substr('89AB', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))
        """

    /// When the next alarm not yet raised falls due, if any.
    public func nextAlarm() async throws -> Date? {
        try await sql.raw("SELECT MIN(at) AS next FROM clock_alarms").first()?.decode(column: "next", as: Date?.self) ?? nil
    }

    /// The alarms raised for a case, in the order they fell due, as their outbox entries announced
    /// them (the clock's due is the one at the moment each was raised).
    public func raisedAlarms(of caseID: UUID) async throws -> [RaisedAlarm] {
        try await sql.raw("SELECT payload FROM outbox WHERE case_id = \(bind: caseID) AND alarm IS NOT NULL").all()
            .map { try RaisedAlarm(json: try $0.decode(column: "payload", as: String.self)) }
            .sorted { ($0.alarmAt, $0.kind) < ($1.alarmAt, $1.kind) }
    }

    /// The alarms still to come for a case, soonest first.
    public func pendingAlarms(of caseID: UUID) async throws -> [(metric: String, alarm: ClockAlarm)] {
        try await sql.raw("""
            SELECT metric, kind, at FROM clock_alarms WHERE case_id = \(bind: caseID) ORDER BY at, kind
            """).all().map { row in
            (try row.decode(column: "metric", as: String.self),
             ClockAlarm(kind: try row.decode(column: "kind", as: String.self), at: Int64(try row.decode(column: "at", as: Date.self).timeIntervalSince1970)))
        }
    }

    // MARK: The outbox

    /// Fans the outbox entries not yet dispatched (a case event's notices; the monitor's own alarms
    /// are fanned out as they are raised) out into one delivery per recipient and marks them
    /// dispatched, in one transaction: see `AlertRecipients` for who gets what. Returns how many
    /// entries it dispatched.
    ///
    /// The fan-out is one `INSERT … SELECT`: entries and deliveries never pass through Swift.
    public func dispatchOutbox(at now: Date, to recipients: AlertRecipients, limit: Int = 2000) async throws -> Int {
        try await write { db in
            let sql = try db.sql
            let postgres = db.isPostgres
            let fanOut = Self.fanOut(to: recipients, postgres: postgres)
            let deliveries = Self.deliveries(at: now, postgres: postgres)
            if postgres {
                // One statement: the entries taken and marked feed the deliveries' insert.
                return try await sql.raw("""
                    WITH batch AS (
                      UPDATE outbox SET dispatched_at = \(bind: now) WHERE id IN (
                        SELECT id FROM outbox WHERE dispatched_at IS NULL ORDER BY created_at LIMIT \(bind: limit) FOR UPDATE SKIP LOCKED)
                      RETURNING id, kind, case_id, organization_id),
                    fan AS (\(fanOut)),
                    made AS (\(deliveries))
                    SELECT count(*) AS n FROM batch
                    """).first()?.decode(column: "n", as: Int.self) ?? 0
            }
            // The writer holds SQLite's write lock from the first statement on, so the update marks
            // the entries the insert fanned out (ties on `created_at` broken by rowid).
            let pending: SQLQueryString = "FROM outbox WHERE dispatched_at IS NULL ORDER BY created_at, rowid LIMIT \(bind: limit)"
            try await sql.raw("WITH batch AS (SELECT id, kind, case_id, organization_id \(pending)), fan AS (\(fanOut)) \(deliveries)").run()
            try await sql.raw("UPDATE outbox SET dispatched_at = \(bind: now) WHERE rowid IN (SELECT rowid \(pending))").run()
            return try await sql.raw("SELECT changes() AS n").first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    /// The insert of the deliveries in `fan` (see `fanOut`), each pending from `now`.
    private static func deliveries(at now: Date, postgres: Bool) -> SQLQueryString {
        """
        INSERT INTO deliveries (id, outbox_id, channel, target, state, attempts, next_attempt_at, created_at, hold_team)
        SELECT \(postgres ? "gen_random_uuid()" : sqliteUUID), f.outbox_id, f.channel, f.target, 'pending', 0, \(bind: now), \(bind: now), f.hold_team FROM fan f
        """
    }

    /// The deliveries of the entries in `batch` (id, kind, case_id, organization_id) as rows of (outbox_id,
    /// channel, target, hold_team): one per active webhook that wants the entry's event, and the
    /// mails `recipients` asks for.
    private static func fanOut(to recipients: AlertRecipients, postgres: Bool) -> SQLQueryString {
        let position = postgres ? "strpos" : "instr"
        let hookID = postgres ? "upper(w.id::text)" : "w.id"
        let notice: SQLQueryString = "substr(b.kind, 1, \(unsafeRaw: String(customerEventPrefix.count))) = \(bind: customerEventPrefix)"
        // Staff are mailed SLA alerts only: a case's activity (`case.*`) is for the webhooks.
        let alert: SQLQueryString = "substr(b.kind, 1, \(unsafeRaw: String(alertEventPrefix.count))) = \(bind: alertEventPrefix)"
        var parts: [SQLQueryString] = ["""
            SELECT b.id AS outbox_id, 'webhook' AS channel, \(unsafeRaw: hookID) AS target, CAST(NULL AS TEXT) AS hold_team
              FROM batch b JOIN webhooks w ON w.active = \(bind: true)
              AND (\(unsafeRaw: position)(',' || w.events || ',', ',*,') > 0 OR \(unsafeRaw: position)(',' || w.events || ',', ',' || b.kind || ',') > 0)
            """]
        let emails = recipients.emails.map { "SELECT \(bind: $0) AS email" as SQLQueryString }.joined(separator: " UNION ALL ")
        if !recipients.emails.isEmpty {
            parts.append("SELECT b.id, 'email', r.email, NULL FROM batch b CROSS JOIN (\(emails)) r WHERE \(alert)")
        }
        if recipients.casePeople {
            // The case's assignee and its team's leads, named with the team whose hours may hold a warning.
            let others: SQLQueryString = recipients.emails.isEmpty ? "" : " WHERE t.email NOT IN (\(emails))"
            parts.append("""
                SELECT t.outbox_id, 'email', t.email, t.team FROM (
                  SELECT b.id AS outbox_id, p.email, c.policy_id || '.' || c.team_id AS team FROM batch b JOIN cases c ON c.id = b.case_id
                    JOIN people p ON p.id = c.assignee_id WHERE \(alert) AND p.erased_at IS NULL
                  UNION
                  SELECT b.id, p.email, c.policy_id || '.' || c.team_id FROM batch b JOIN cases c ON c.id = b.case_id
                    JOIN team_members m ON m.policy_id = c.policy_id AND m.team_id = c.team_id AND m.lead = \(bind: true)
                    JOIN people p ON p.id = m.person_id WHERE \(alert) AND p.erased_at IS NULL) t\(others)
                """)
            // The customer's side: requester, CC'd people and case team; erased people get nothing.
            parts.append("""
                SELECT u.outbox_id, 'email', u.email, NULL FROM (
                  SELECT b.id AS outbox_id, p.email FROM batch b JOIN cases c ON c.id = b.case_id
                    JOIN people p ON p.id = c.requester_id WHERE \(notice) AND p.erased_at IS NULL
                  UNION
                  SELECT b.id, w.email FROM batch b JOIN case_watchers w ON w.case_id = b.case_id
                    LEFT JOIN people p ON p.id = w.person_id WHERE \(notice) AND p.erased_at IS NULL) u
                """)
            // A published review: the organization's authorized contacts still able to sign in.
            parts.append("""
                SELECT b.id, 'email', p.email, NULL FROM batch b JOIN people p ON p.organization_id = b.organization_id
                  AND p.role = \(bind: Role.authorizedContact.rawValue) AND p.erased_at IS NULL AND p.deactivated_at IS NULL
                WHERE b.kind = \(bind: reviewPublished)
                """)
        }
        return parts.joined(separator: " UNION ALL ")
    }

    /// Writes outbox entries, each about a case, at `now` (in slices of 2,000 rows), inside the
    /// caller's transaction: the monitor's raised alarms and the notices a case event sends.
    static func writeOutbox(_ entries: [(caseID: UUID, entry: OutboxEntry)], at now: Date, on sql: any SQLDatabase) async throws {
        for chunk in entries.chunks(of: 2000) {
            let insert = sql.insert(into: "outbox").columns("id", "kind", "case_id", "payload", "created_at")
            for (caseID, entry) in chunk {
                insert.values([UUID.timeOrdered(), entry.event, caseID, entry.payload, now] as [any Encodable & Sendable])
            }
            try await insert.run()
        }
    }

    /// Outbox events for the customer start with this.
    public static let customerEventPrefix = "customer."
    /// Outbox events that alert staff (and are mailed to them) start with this.
    public static let alertEventPrefix = "sla."

    /// Puts a delivery off until `until` without counting an attempt (a warning held to the
    /// recipient's working hours), recording why.
    public func hold(_ job: DeliveryJob, until: Date, at now: Date, detail: String) async throws {
        try await write { db in
            let sql = try db.sql
            try await sql.insert(into: "delivery_attempts").columns("id", "delivery_id", "at", "outcome", "detail")
                .values([UUID(), job.id, now, "held", detail] as [any Encodable & Sendable]).run()
            try await sql.update("deliveries").set("next_attempt_at", to: until).set("leased_until", to: SQLLiteral.null)
                .set("hold_team", to: SQLLiteral.null).where("id", .equal, job.id).run()
        }
    }

    /// Ends a delivery without sending it: what it says is no longer true (a warning whose clock
    /// has breached or stopped since). The attempt records why; the state is `superseded`.
    public func supersede(_ job: DeliveryJob, at now: Date, detail: String) async throws {
        try await write { db in
            let sql = try db.sql
            try await sql.insert(into: "delivery_attempts").columns("id", "delivery_id", "at", "outcome", "detail")
                .values([UUID(), job.id, now, "superseded", detail] as [any Encodable & Sendable]).run()
            try await sql.update("deliveries").set("state", to: "superseded").set("leased_until", to: SQLLiteral.null)
                .set("last_error", to: SQLLiteral.null).where("id", .equal, job.id).run()
        }
    }

    /// Claims up to `limit` deliveries due at `now` for `lease` seconds; a deliverer that dies
    /// leaves them to be claimed again when the lease ends. On PostgreSQL two deliverers never
    /// claim the same row (SKIP LOCKED).
    public func claimDeliveries(at now: Date, lease: TimeInterval = 120, limit: Int = 50) async throws -> [DeliveryJob] {
        try await write { db in
            let sql = try db.sql
            let lock: SQLQueryString = db.isPostgres ? " FOR UPDATE SKIP LOCKED" : ""
            let until = now.addingTimeInterval(lease)
            let claimed = try await sql.raw("""
                UPDATE deliveries SET leased_until = \(bind: until) WHERE id IN (
                  SELECT id FROM deliveries WHERE state = 'pending' AND next_attempt_at <= \(bind: now)
                  AND (leased_until IS NULL OR leased_until <= \(bind: now)) ORDER BY next_attempt_at LIMIT \(bind: limit)\(lock))
                RETURNING id, outbox_id, channel, target, attempts, hold_team
                """).all()
            guard !claimed.isEmpty else { return [] }
            let outboxIDs = try claimed.map { try $0.decode(column: "outbox_id", as: UUID.self) }
            var entries: [UUID: (String, UUID?, String)] = [:]
            for row in try await sql.select().columns("id", "kind", "case_id", "payload").from("outbox").where("id", .in, Array(Set(outboxIDs))).all() {
                entries[try row.decode(column: "id", as: UUID.self)] = (try row.decode(column: "kind", as: String.self),
                                                                        try row.decode(column: "case_id", as: UUID?.self),
                                                                        try row.decode(column: "payload", as: String.self))
            }
            return try claimed.map { row in
                let entry = entries[try row.decode(column: "outbox_id", as: UUID.self)]
                return DeliveryJob(id: try row.decode(column: "id", as: UUID.self), channel: try row.decode(column: "channel", as: String.self),
                                   target: try row.decode(column: "target", as: String.self), attempts: try row.decode(column: "attempts", as: Int.self),
                                   event: entry?.0 ?? "", caseID: entry?.1, payload: entry?.2 ?? "{}",
                                   holdTeam: try row.decode(column: "hold_team", as: String?.self))
            }.sorted { $0.id.uuidString < $1.id.uuidString }
        }
    }

    /// Records one try at a delivery: delivered, or failed and scheduled again after the retry
    /// policy's backoff — or given up (`dead`) after its last try.
    public func recordAttempt(_ job: DeliveryJob, at now: Date, delivered: Bool, detail: String, retry: RetryPolicy) async throws {
        try await write { db in
            let sql = try db.sql
            try await sql.insert(into: "delivery_attempts").columns("id", "delivery_id", "at", "outcome", "detail")
                .values([UUID(), job.id, now, delivered ? "delivered" : "failed", detail] as [any Encodable & Sendable]).run()
            let attempts = job.attempts + 1
            let update = sql.update("deliveries").set("attempts", to: attempts).set("leased_until", to: SQLLiteral.null)
            if delivered {
                update.set("state", to: "delivered").set("delivered_at", to: now).set("last_error", to: SQLLiteral.null)
            } else if attempts >= retry.maxAttempts {
                update.set("state", to: "dead").set("last_error", to: detail)
            } else {
                update.set("next_attempt_at", to: now.addingTimeInterval(retry.delay(afterAttempt: attempts))).set("last_error", to: detail)
            }
            try await update.where("id", .equal, job.id).run()
        }
    }

    /// Deliveries, newest first, optionally only those of one case or in one state.
    public func deliveries(caseID: UUID? = nil, state: String? = nil, limit: Int = 100) async throws -> [Delivery] {
        var select = try sql.select().columns(
            SQLColumn("id", table: "d"), SQLColumn("kind", table: "o"), SQLColumn("case_id", table: "o"), SQLColumn("channel", table: "d"),
            SQLColumn("target", table: "d"), SQLColumn("state", table: "d"), SQLColumn("attempts", table: "d"),
            SQLColumn("next_attempt_at", table: "d"), SQLColumn("delivered_at", table: "d"), SQLColumn("last_error", table: "d"))
            .from(SQLAlias(SQLIdentifier("deliveries"), as: SQLIdentifier("d")))
            .join(SQLAlias(SQLIdentifier("outbox"), as: SQLIdentifier("o")), on: SQLColumn("outbox_id", table: "d"), .equal, SQLColumn("id", table: "o"))
        if let caseID { select = select.where(SQLColumn("case_id", table: "o"), .equal, SQLBind(caseID)) }
        if let state { select = select.where(SQLColumn("state", table: "d"), .equal, SQLBind(state)) }
        return try await select.orderBy(SQLColumn("created_at", table: "d"), SQLDirection.descending).limit(limit).all().map { row in
            Delivery(id: try row.decode(column: "id", as: UUID.self), event: try row.decode(column: "kind", as: String.self),
                     caseID: try row.decode(column: "case_id", as: UUID?.self), channel: try row.decode(column: "channel", as: String.self),
                     target: try row.decode(column: "target", as: String.self), state: try row.decode(column: "state", as: String.self),
                     attempts: try row.decode(column: "attempts", as: Int.self), nextAttemptAt: try row.decode(column: "next_attempt_at", as: Date.self),
                     deliveredAt: try row.decode(column: "delivered_at", as: Date?.self), lastError: try row.decode(column: "last_error", as: String?.self))
        }
    }

    public func deliveryExists(_ id: UUID) async throws -> Bool {
        try await sql.select().column("id").from("deliveries").where("id", .equal, id).first() != nil
    }

    /// Every try at a delivery, in order.
    public func attempts(of deliveryID: UUID) async throws -> [DeliveryAttempt] {
        try await sql.select().columns("at", "outcome", "detail").from("delivery_attempts").where("delivery_id", .equal, deliveryID)
            .orderBy("at").all().map { row in
                DeliveryAttempt(at: try row.decode(column: "at", as: Date.self), outcome: try row.decode(column: "outcome", as: String.self),
                                detail: try row.decode(column: "detail", as: String.self))
            }
    }

    // MARK: Webhooks and templates

    public func addWebhook(url: String, secret: String, events: [String], at now: Date) async throws -> Webhook {
        let hook = Webhook(id: UUID(), url: url, secret: secret, events: events, active: true, createdAt: now)
        try await write { db in
            let sql = try db.sql
            try await sql.insert(into: "webhooks").columns("id", "url", "secret", "events", "active", "created_at")
                .values([hook.id, url, secret, events.joined(separator: ","), true, now] as [any Encodable & Sendable]).run()
        }
        return hook
    }

    public func webhooks() async throws -> [Webhook] { try await Self.webhooks(on: sql) }

    public func removeWebhook(_ id: UUID) async throws -> Bool {
        try await write { db in
            let sql = try db.sql
            return try await sql.update("webhooks").set("active", to: false).where("id", .equal, id).where("active", .equal, true)
                .returning("id").all().count == 1
        }
    }

    private static func webhooks(on sql: any SQLDatabase) async throws -> [Webhook] {
        try await sql.select().columns("id", "url", "secret", "events", "active", "created_at").from("webhooks").orderBy("created_at").all().map { row in
            Webhook(id: try row.decode(column: "id", as: UUID.self), url: try row.decode(column: "url", as: String.self),
                    secret: try row.decode(column: "secret", as: String.self),
                    events: try row.decode(column: "events", as: String.self).split(separator: ",").map(String.init),
                    active: try row.decode(column: "active", as: Bool.self), createdAt: try row.decode(column: "created_at", as: Date.self))
        }
    }

    /// The administrator's text for `name` that fits a mail of `policy` in `language` best, or nil
    /// while the built-in text applies: for that policy and language, for that policy in every
    /// language, for every policy in that language, for every policy and language — in that order
    /// (a policy's own wording is part of its contract).
    public func template(_ name: String, policy: String?, language: String?) async throws -> SavedTemplate? {
        let policies = [policy ?? "", ""], languages = [language ?? "", ""]
        let rows = try await sql.select().columns("name", "policy", "language", "subject", "body", "updated_by", "updated_at").from("message_templates")
            .where("name", .equal, name).where("policy", .in, Array(Set(policies))).where("language", .in, Array(Set(languages))).all()
        let found = try rows.map(Self.savedTemplate)
        for policy in policies {
            for language in languages {
                if let match = found.first(where: { $0.policy == policy && $0.language == language }) { return match }
            }
        }
        return nil
    }

    /// Every text an administrator wrote, by event, policy and language.
    public func savedTemplates() async throws -> [SavedTemplate] {
        try await sql.select().columns("name", "policy", "language", "subject", "body", "updated_by", "updated_at").from("message_templates")
            .orderBy("name").orderBy("policy").orderBy("language").all().map(Self.savedTemplate)
    }

    private static func savedTemplate(_ row: any SQLRow) throws -> SavedTemplate {
        SavedTemplate(name: try row.decode(column: "name", as: String.self), policy: try row.decode(column: "policy", as: String.self),
                      language: try row.decode(column: "language", as: String.self),
                      subject: try row.decode(column: "subject", as: String.self), body: try row.decode(column: "body", as: String.self),
                      updatedBy: try row.decode(column: "updated_by", as: UUID?.self), updatedAt: try row.decode(column: "updated_at", as: Date.self))
    }

    /// Drops an administrator's text for `name` in `policy` (empty: every policy) and `language`
    /// (empty: every language); false when there was none.
    public func removeTemplate(_ name: String, policy: String = "", language: String = "") async throws -> Bool {
        try await write { db in
            try await db.sql.delete(from: "message_templates").where("name", .equal, name).where("policy", .equal, policy)
                .where("language", .equal, language).returning("name").all().count == 1
        }
    }

    /// Saves an administrator's text for `name` in `policy` (empty: every policy) and `language`
    /// (empty: every language), in place of the one there was.
    public func saveTemplate(_ name: String, policy: String = "", language: String = "", subject: String, body: String,
                             by personID: UUID, at now: Date) async throws {
        try await write { db in
            let sql = try db.sql
            try await sql.delete(from: "message_templates").where("name", .equal, name).where("policy", .equal, policy)
                .where("language", .equal, language).run()
            try await sql.insert(into: "message_templates").columns("name", "policy", "language", "subject", "body", "updated_by", "updated_at")
                .values([name, policy, language, subject, body, personID, now] as [any Encodable & Sendable]).run()
        }
    }
}
