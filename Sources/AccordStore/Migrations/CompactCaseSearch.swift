import FluentKit
import FluentSQL
import Foundation

/// SQLite's search index made smaller and quicker to write, finding exactly what it found: the
/// full-text table keeps no copy of its documents' text, only their words (`content=''`), still
/// deletes a document by its id (`contentless_delete`) and keeps each document's case beside it
/// (`contentless_unindexed`); the map from a case to its documents has one row per document, in a
/// table without row ids (before: a row per audience, a document shared by both audiences twice,
/// and each row in two trees). Importing 1,000,000 cases writes about 300 MB less. Existing
/// documents keep their ids. PostgreSQL's index is left as it is.
struct CompactCaseSearch: AsyncMigration {
    static let tokenizer = "tokenize = 'unicode61 remove_diacritics 0'"

    func prepare(on database: any Database) async throws {
        guard !database.isPostgres else { return }
        let sql = try database.sql
        for statement in [
            "CREATE TABLE case_search_copy AS SELECT rowid AS document_id, document, scope, case_id FROM case_search",
            "DROP TABLE case_search",
            """
            CREATE VIRTUAL TABLE case_search USING fts5(document, scope, case_id UNINDEXED, \(Self.tokenizer),
              content = '', contentless_delete = 1, contentless_unindexed = 1)
            """,
            "INSERT INTO case_search (rowid, document, scope, case_id) SELECT document_id, document, scope, case_id FROM case_search_copy ORDER BY document_id",
            "DROP TABLE case_search_copy",
            """
            CREATE TABLE case_search_map (
              case_id TEXT NOT NULL REFERENCES cases(id), document_id INTEGER NOT NULL,
              PRIMARY KEY (case_id, document_id)) WITHOUT ROWID
            """,
            "INSERT INTO case_search_map (case_id, document_id) SELECT DISTINCT case_id, document_id FROM case_search_documents",
            "DROP TABLE case_search_documents",
            "ALTER TABLE case_search_map RENAME TO case_search_documents",
        ] {
            try await sql.raw(SQLQueryString(statement)).run()
        }
        // Cases stored before the search existed (`CreateCaseSearch` leaves them to this layout),
        // a slice at a time. A later change of the layout takes this over.
        while true {
            let ids = try await sql.raw("""
                SELECT id FROM cases c WHERE NOT EXISTS (SELECT 1 FROM case_search_documents d WHERE d.case_id = c.id) ORDER BY id LIMIT 2000
                """).all().map { try $0.decode(column: "id", as: UUID.self) }
            guard !ids.isEmpty else { break }
            try await CaseSearch.reindex(ids, on: database)
        }
    }

    /// Back to the earlier layout, its documents written anew from the cases (the compact index
    /// keeps no text to copy back).
    func revert(on database: any Database) async throws {
        guard !database.isPostgres else { return }
        let sql = try database.sql
        try await sql.raw("DROP TABLE case_search").run()
        // SQLite (3.54) drops a contentless_unindexed table's other shadow tables, not this one.
        try await sql.raw("DROP TABLE IF EXISTS case_search_content").run()
        try await sql.raw("DROP TABLE case_search_documents").run()
        try await sql.raw("CREATE VIRTUAL TABLE case_search USING fts5(document, scope, case_id UNINDEXED, \(unsafeRaw: Self.tokenizer))").run()
        try await sql.raw("""
            CREATE TABLE case_search_documents (
              case_id TEXT NOT NULL REFERENCES cases(id), audience TEXT NOT NULL, document_id INTEGER NOT NULL,
              PRIMARY KEY (case_id, audience))
            """).run()
        var next: Int64 = 1
        try await CaseSlices.each(2_000, on: sql) { ids in
            for words in try await CaseSearch.words(of: ids, on: database) {
                let organization = CaseSearch.organizationToken(words.organizationID)
                for (audience, scope, text) in [("public", "public " + organization, words.visible), ("staff", "staff", words.visible + " " + words.notes)] {
                    try await sql.raw("INSERT INTO case_search (rowid, document, scope, case_id) VALUES (\(bind: next), \(bind: text), \(bind: scope), \(bind: words.caseID))").run()
                    try await sql.raw("INSERT INTO case_search_documents (case_id, audience, document_id) VALUES (\(bind: words.caseID), \(bind: audience), \(bind: next))").run()
                    next += 1
                }
            }
        }
    }
}
