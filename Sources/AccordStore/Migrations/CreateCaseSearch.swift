import FluentKit
import Foundation
import FluentSQL

/// The full-text index of cases: per case two documents, one for customers (number, title,
/// description, public replies and customer messages) and one for staff (the same and the internal
/// notes). A document is written anew whenever its case's text changes, under a new, larger id, so
/// the index in id order is "most recently written first". SQLite keeps the documents in an FTS5
/// table (words as Unicode letters and digits, case folded) with `case_search_documents` mapping a
/// case's document to its row; PostgreSQL in a table with a `tsvector` (no stemming or stop words,
/// the same for every language a desk works in; since `StoreSearchWordsAsWritten`, the words
/// themselves) under a GIN index.
/// Existing cases are indexed here on PostgreSQL, and by `CompactCaseSearch` on SQLite.
struct CreateCaseSearch: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = try database.sql
        if database.isPostgres {
            try await sql.raw("""
                CREATE TABLE case_search (
                  id BIGSERIAL PRIMARY KEY, case_id UUID NOT NULL REFERENCES cases(id), organization_id UUID NOT NULL,
                  audience TEXT NOT NULL, document TSVECTOR NOT NULL)
                """).run()
            try await sql.raw("CREATE UNIQUE INDEX case_search_by_case ON case_search (case_id, audience)").run()
            try await sql.raw("CREATE INDEX case_search_words ON case_search USING GIN (document)").run()
            try await sql.raw("CREATE INDEX case_search_by_organization ON case_search (organization_id, audience, id)").run()
        } else {
            try await sql.raw("""
                CREATE VIRTUAL TABLE case_search USING fts5(document, scope, case_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 0')
                """).run()
            try await sql.raw("""
                CREATE TABLE case_search_documents (
                  case_id TEXT NOT NULL REFERENCES cases(id), audience TEXT NOT NULL, document_id INTEGER NOT NULL,
                  PRIMARY KEY (case_id, audience))
                """).run()
        }
        // Existing cases, a slice at a time, written by today's `CaseSearch`: on SQLite its layout
        // is the one `CompactCaseSearch` made, which indexes them there.
        guard database.isPostgres else { return }
        try await CaseSlices.each(2_000, on: sql) { ids in try await CaseSearch.reindex(ids, on: database) }
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sql
        try await sql.raw("DROP TABLE IF EXISTS case_search_documents").run()
        try await sql.raw("DROP TABLE IF EXISTS case_search").run()
    }
}
