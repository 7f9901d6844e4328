import FluentKit
import FluentSQL
public import Foundation

/// The packed days of attainment reports (`CreateReportFacts`): a day is a UTC day number,
/// `seconds since 1970 / 86,400` rounded down, of when its cases were logged.
///
/// Two ways to know a day changed since it was packed, one per database, so that packing never
/// holds up the desk's writes:
/// - **SQLite** (one writer at a time): each day's note counts its changes (`report_changes.n`, never
///   reset) and a packed day keeps the count it was packed at (`report_facts.built`). A day is packed
///   by reading it like any report, outside any transaction, then keeping the facts in a short write
///   — unless facts packed at a later count were kept meanwhile. The writer is held for the write
///   alone, never for the reading (which took a second for a day of 40,000 cases).
/// - **PostgreSQL** (writers side by side): each change inserts a note row of its own, so that
///   writers of the same day never wait on one row; packing takes the day's notes and keeps the facts
///   in one transaction, the day locked, which other writers do not wait for.
extension DeskStore {
    /// The days in `days` a case changed on since they were last packed in form `version` (or never were).
    public func changedReportDays(_ days: ClosedRange<Int64>, version: Int) async throws -> [Int64] {
        try await changedReportDays(where: "c.day >= \(bind: days.lowerBound) AND c.day <= \(bind: days.upperBound)", version: version, limit: nil)
    }

    /// Up to `limit` days a case changed on since they were last packed, oldest first, but for `except` (today, busy).
    public func changedReportDays(limit: Int, except: Int64, version: Int) async throws -> [Int64] {
        try await changedReportDays(where: "c.day <> \(bind: except)", version: version, limit: limit)
    }

    private func changedReportDays(where condition: SQLQueryString, version: Int, limit: Int?) async throws -> [Int64] {
        let limited: SQLQueryString = limit.map { " LIMIT \(bind: $0)" } ?? ""
        let query: SQLQueryString = database.isPostgres
            ? """
              SELECT day FROM (SELECT DISTINCT c.day FROM report_changes c WHERE \(condition)
                UNION SELECT c.day FROM report_facts c WHERE \(condition) AND c.version <> \(bind: version)) d ORDER BY day\(limited)
              """
            : """
              SELECT c.day FROM report_changes c LEFT JOIN report_facts f ON f.day = c.day
              WHERE \(condition) AND (f.day IS NULL OR f.built < c.n OR f.version <> \(bind: version)) ORDER BY c.day\(limited)
              """
        return try await sql.raw(query).all().map { try $0.decode(column: "day", as: Int64.self) }
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

    /// Packs `day` again in form `version` — `pack` reads the day's cases through the store it is
    /// given — and keeps the facts; returns them. (How each database makes sure no change is
    /// missed and a slower packer never overwrites a newer packing: see above.)
    public func packReportDay(_ day: Int64, version: Int, _ pack: @escaping @Sendable (DeskStore) async throws -> [UInt8]) async throws -> [UInt8] {
        if database.isPostgres {
            return try await write { db in
                let sql = try db.sql
                try await sql.raw("SELECT pg_advisory_xact_lock(hashtext(\(bind: "report-day:\(day)")))").run()
                let taken = try await sql.raw("DELETE FROM report_changes WHERE day = \(bind: day) RETURNING day").all().count
                if taken == 0, let kept = try await sql.raw("SELECT facts FROM report_facts WHERE day = \(bind: day) AND version = \(bind: version)").first() {
                    return [UInt8](try kept.decode(column: "facts", as: Data.self))
                }
                let facts = try await pack(DeskStore(database: db))
                try await sql.raw("""
                    INSERT INTO report_facts (day, version, facts, built) VALUES (\(bind: day), \(bind: version), \(bind: Data(facts)), 0)
                    ON CONFLICT (day) DO UPDATE SET version = excluded.version, facts = excluded.facts
                    """).run()
                return facts
            }
        }
        // The count first, the cases after: a change counted is one the reading sees.
        let count = try await sql.raw("SELECT n FROM report_changes WHERE day = \(bind: day)").first()?.decode(column: "n", as: Int64.self) ?? 0
        let facts = try await pack(DeskStore(database: database))
        try await write { db in
            try await (try db.sql).raw("""
                INSERT INTO report_facts (day, version, facts, built) VALUES (\(bind: day), \(bind: version), \(bind: Data(facts)), \(bind: count))
                ON CONFLICT (day) DO UPDATE SET version = excluded.version, facts = excluded.facts, built = excluded.built
                WHERE report_facts.built < excluded.built OR report_facts.version <> excluded.version
                """).run()
        }
        return facts
    }
}
