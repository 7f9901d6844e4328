import FluentKit
import FluentSQL
import Foundation

/// PostgreSQL's search documents rewritten as the words themselves (`CaseSearch.vector`), under
/// the ids they have, so that the order of the index (most recently written first) stays: before,
/// PostgreSQL split the words again with its own text parser, which drops some that Unicode counts
/// as digits or letters (`½`, the `²` of `x²`) and so found less than SQLite. Queries now ask for
/// the words as written; the documents written before are made so here, a slice of cases at a
/// time. SQLite's index is left as it is.
struct StoreSearchWordsAsWritten: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await rewrite(on: database) { CaseSearch.vector($0) }
    }

    func revert(on database: any Database) async throws {
        try await rewrite(on: database) { "to_tsvector('simple', \(bind: $0))" }
    }

    private func rewrite(on database: any Database, as vector: (String) -> SQLQueryString) async throws {
        guard database.isPostgres else { return }
        let sql = try database.sql
        try await CaseSlices.each(1_000, on: sql) { ids in
            let rows: [SQLQueryString] = try await CaseSearch.words(of: ids, on: database).flatMap { text -> [SQLQueryString] in
                ["(\(bind: text.caseID)::uuid, 'public', \(vector(text.visible)))", "(\(bind: text.caseID)::uuid, 'staff', \(vector(text.staff)))"]
            }
            if !rows.isEmpty {
                try await sql.raw("""
                    UPDATE case_search AS s SET document = v.document
                    FROM (VALUES \(rows.joined(separator: ", "))) AS v (case_id, audience, document)
                    WHERE s.case_id = v.case_id AND s.audience = v.audience
                    """).run()
            }
        }
    }
}
