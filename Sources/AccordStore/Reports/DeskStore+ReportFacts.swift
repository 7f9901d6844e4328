import FluentKit
import FluentSQL
public import Foundation

/// The packed days of attainment reports (`CreateReportFacts`): a day is a UTC day number,
/// `seconds since 1970 / 86,400` rounded down, of when its cases were logged.
extension DeskStore {
    /// The days in `days` a case changed on since they were last packed.
    public func changedReportDays(_ days: ClosedRange<Int64>) async throws -> [Int64] {
        try await sql.raw("""
            SELECT DISTINCT day FROM report_changes WHERE day >= \(bind: days.lowerBound) AND day <= \(bind: days.upperBound) ORDER BY day
            """).all().map { try $0.decode(column: "day", as: Int64.self) }
    }

    /// The days in `days` packed in a form other than `version` (by an older release).
    public func outdatedReportDays(_ days: ClosedRange<Int64>, version: Int) async throws -> [Int64] {
        try await sql.raw("""
            SELECT day FROM report_facts WHERE day >= \(bind: days.lowerBound) AND day <= \(bind: days.upperBound) AND version <> \(bind: version)
            """).all().map { try $0.decode(column: "day", as: Int64.self) }
    }

    /// Up to `limit` days a case changed on since they were last packed, oldest first.
    public func changedReportDays(limit: Int) async throws -> [Int64] {
        try await sql.raw("SELECT DISTINCT day FROM report_changes ORDER BY day LIMIT \(bind: limit)").all()
            .map { try $0.decode(column: "day", as: Int64.self) }
    }

    /// The packed days in `days` of form `version`, in day order. Read after `changedReportDays`:
    /// a day packed in between was packed from data at least as new as the changes then noted.
    public func reportFacts(_ days: ClosedRange<Int64>, version: Int) async throws -> [(day: Int64, facts: [UInt8])] {
        try await sql.raw("""
            SELECT day, facts FROM report_facts WHERE day >= \(bind: days.lowerBound) AND day <= \(bind: days.upperBound) AND version = \(bind: version) ORDER BY day
            """).all().map { row in
            (try row.decode(column: "day", as: Int64.self), [UInt8](try row.decode(column: "facts", as: Data.self)))
        }
    }

    /// Packs `day` again, unless nothing changed since it was packed in form `version`: in one
    /// transaction, the day's change notes are taken, `pack` reads the day's cases through the
    /// store it is given (the transaction's, so it sees every change whose note it took) and its
    /// facts are kept. On PostgreSQL the day is locked first, so that of two servers packing it
    /// the later one reads what the earlier one read, or newer, and writes after it. Returns the facts.
    public func packReportDay(_ day: Int64, version: Int, _ pack: @escaping @Sendable (DeskStore) async throws -> [UInt8]) async throws -> [UInt8] {
        try await write { db in
            let sql = try db.sql
            if db.isPostgres { try await sql.raw("SELECT pg_advisory_xact_lock(hashtext(\(bind: "report-day:\(day)")))").run() }
            let taken = try await sql.raw("DELETE FROM report_changes WHERE day = \(bind: day) RETURNING day").all().count
            if taken == 0, let kept = try await sql.raw("SELECT facts FROM report_facts WHERE day = \(bind: day) AND version = \(bind: version)").first() {
                return [UInt8](try kept.decode(column: "facts", as: Data.self))
            }
            let facts = try await pack(DeskStore(database: db))
            try await sql.raw("""
                INSERT INTO report_facts (day, version, facts) VALUES (\(bind: day), \(bind: version), \(bind: Data(facts)))
                ON CONFLICT (day) DO UPDATE SET version = excluded.version, facts = excluded.facts
                """).run()
            return facts
        }
    }
}
