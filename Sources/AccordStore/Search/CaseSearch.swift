import FluentKit
import FluentSQL
import Foundation

/// The full-text index of cases (see `CreateCaseSearch`): writing a case's documents and finding
/// the documents that hold every word of a query, most recently written first. On SQLite a case
/// without internal notes has one document in both scopes (`public` and the organization's for
/// customers, `staff`), which the index stores once; a case with notes has the customer's and a
/// staff document with the notes.
enum CaseSearch {
    /// Who reads a document: staff read every word of a case; a customer only what they were shown.
    enum Audience: Sendable {
        case staff
        /// A customer of `organizationID`: the public documents of that organization's cases.
        case customer(organizationID: UUID)

        var stored: String {
            switch self {
            case .staff: "staff"
            case .customer: "public"
            }
        }
    }

    /// One document found: its id (the order of the index) and its case.
    struct Match: Sendable {
        let document: Int64
        let caseID: UUID
    }

    /// Timeline kinds whose text the customer was shown, and the staff-only ones.
    static let publicKinds = ["public-reply", "customer-message"]
    static let internalKinds = ["internal-note"]

    /// The token a customer document's organization is indexed under (SQLite).
    static func organizationToken(_ id: UUID) -> String { "o" + id.compactHex }

    /// Writes the documents of `caseIDs` anew from their stored text, under new, larger ids.
    static func reindex(_ caseIDs: [UUID], on db: any Database) async throws {
        guard !caseIDs.isEmpty else { return }
        try await write(words: try await words(of: caseIDs, on: db), replacing: true, on: db)
    }

    /// The documents of `caseIDs` as their stored text makes them.
    static func words(of caseIDs: [UUID], on db: any Database) async throws -> [Words] {
        let sql = try db.sql
        let cases = try await sql.select().columns("id", "number", "organization_id", "title", "description").from("cases")
            .where("id", .in, caseIDs).all()
        var texts: [UUID: (organization: UUID, visible: [String], notes: [String])] = [:]
        for row in cases {
            let id = try row.decode(column: "id", as: UUID.self)
            texts[id] = (try row.decode(column: "organization_id", as: UUID.self),
                         [try row.decode(column: "number", as: String.self), try row.decode(column: "title", as: String.self),
                          try row.decode(column: "description", as: String.self)], [])
        }
        let events = try await sql.select().columns("case_id", "kind", "body").from("case_events")
            .where("case_id", .in, caseIDs).where("kind", .in, publicKinds + internalKinds).where("body", .isNot, SQLLiteral.null)
            .orderBy("sequence").all()
        for row in events {
            let id = try row.decode(column: "case_id", as: UUID.self)
            guard let body = try row.decode(column: "body", as: String?.self) else { continue }
            if internalKinds.contains(try row.decode(column: "kind", as: String.self)) {
                texts[id]?.notes.append(body)
            } else {
                texts[id]?.visible.append(body)
            }
        }
        return caseIDs.compactMap { id in
            texts[id].map { Words(caseID: id, organizationID: $0.organization, visible: document($0.visible), notes: document($0.notes)) }
        }
    }

    /// A case's document as the words the index keeps, space-separated (`document`): what the
    /// customer was shown and the internal notes. Splitting the text is the costly part of writing
    /// a document; new cases' are split before their transaction (`NewCaseRows`).
    struct Words: Sendable {
        let caseID: UUID
        let organizationID: UUID
        var visible: String
        let notes: String

        /// What staff read: the visible words and the notes'.
        var staff: String { [visible, notes].filter { !$0.isEmpty }.joined(separator: " ") }
    }

    /// Writes `documents` (replacing what their cases had, unless they are new cases) under new ids.
    static func write(words documents: [Words], replacing: Bool, on db: any Database) async throws {
        guard !documents.isEmpty else { return }
        let sql = try db.sql
        let caseIDs = documents.map(\.caseID)
        // Stored as the words a query is split into, so that both databases find exactly the same.
        if db.isPostgres {
            if replacing { try await sql.delete(from: "case_search").where("case_id", .in, caseIDs).run() }
            for statement in postgresInserts(documents) { try await sql.raw(statement).run() }
            return
        }
        if replacing {
            try await sql.raw("""
                DELETE FROM case_search WHERE rowid IN (SELECT document_id FROM case_search_documents WHERE case_id IN (\(binds: caseIDs)))
                """).run()
            try await sql.delete(from: "case_search_documents").where("case_id", .in, caseIDs).run()
        }
        // SQLite writes one transaction at a time: the next ids are the largest plus one.
        var next = try await sql.raw("SELECT COALESCE(MAX(rowid), 0) + 1 AS next FROM case_search").first()?.decode(column: "next", as: Int64.self) ?? 1
        var rows: [(id: Int64, text: String, scope: String, caseID: UUID)] = []
        rows.reserveCapacity(documents.count * 2)
        var tokens: [UUID: String] = [:]
        for text in documents {
            let (id, organization) = (text.caseID, tokens[text.organizationID] ?? organizationToken(text.organizationID))
            tokens[text.organizationID] = organization
            if text.notes.isEmpty {
                // Without internal notes, staff read what the customer reads: one document in both
                // scopes (a case as logged, most imported ones).
                rows.append((next, text.visible, "public " + organization + " staff", id))
                next += 1
            } else {
                rows += [(next, text.visible, "public " + organization, id), (next + 1, text.staff, "staff", id)]
                next += 2
            }
        }
        let written = CaseRows.inserts("case_search", ["rowid", "document", "scope", "case_id"], rows, on: db) { document in
            [.int(Int(document.id)), .text(document.text), .text(document.scope), .uuid(document.caseID)]
        }
        let mapped = CaseRows.inserts("case_search_documents", ["case_id", "document_id"], rows, on: db) { document in
            [.uuid(document.caseID), .int(Int(document.id))]
        }
        try await CaseRows.chain(written + mapped, on: db).get()
    }

    /// PostgreSQL: the statements writing `documents` (new ids), one for each 500, binding three
    /// values for each document (four with internal notes). A document's vector holds its words
    /// as they are, without positions (`array_to_tsvector`: a seventh of `to_tsvector`'s cost,
    /// which split the words again and was most of what a mailed case cost PostgreSQL), and a
    /// query asks for them as they are (`matches`): exactly what SQLite finds. A case without
    /// internal notes: staff read what the customer reads, so its one vector is stored in both rows.
    static func postgresInserts(_ documents: [Words]) -> [SQLQueryString] {
        documents.chunks(of: 500).map { chunk in
            let values: [SQLQueryString] = chunk.map { text in
                let staff: SQLQueryString = text.notes.isEmpty ? "NULL::tsvector" : vector(text.staff)
                return "(\(bind: text.caseID)::uuid, \(bind: text.organizationID)::uuid, \(vector(text.visible)), \(staff))"
            }
            return """
                INSERT INTO case_search (case_id, organization_id, audience, document)
                SELECT d.case_id, d.organization_id, a.audience, CASE a.audience WHEN 'public' THEN d.public ELSE COALESCE(d.staff, d.public) END
                FROM (VALUES \(values.joined(separator: ", "))) AS d (case_id, organization_id, public, staff)
                CROSS JOIN (VALUES ('public'), ('staff')) AS a (audience)
                """
        }
    }

    /// PostgreSQL: the vector of `document`'s words (space-separated, none empty: `document` makes them so).
    static func vector(_ document: String) -> SQLQueryString {
        "array_to_tsvector(string_to_array(\(bind: document), ' '))"
    }

    /// The documents `audience` reads that hold every one of `words`, most recently written first,
    /// below `before` when given; at most `limit`.
    static func matches(_ words: [String], for audience: Audience, before: Int64?, limit: Int, on db: any SQLDatabase) async throws -> [Match] {
        guard !words.isEmpty else { return [] }
        let below: SQLQueryString = before.map { " AND \(db.dialect.name == "postgresql" ? "id" : "rowid") < \(bind: $0)" } ?? ""
        var rows: [any SQLRow]
        if db.dialect.name == "postgresql" {
            // The words as lexemes, not split again: each is letters and digits only, so quoting is enough.
            let query = words.map { "'\($0)'" }.joined(separator: " & ")
            let matching: SQLQueryString = "document @@ \(bind: query)::tsquery"
            var scope: SQLQueryString = "audience = \(bind: audience.stored)"
            if case .customer(let organization) = audience { scope = "organization_id = \(bind: organization) AND \(scope)" }
            // Two reads, so that no word costs a scan of the whole index. First the caller's newest
            // documents, read backwards by id: a common word fills the page from there at once.
            // Then, if the page needs more, the older ones through the GIN index alone, sorted —
            // read backwards instead, a word in one document of a thousand would mean walking a
            // hundred thousand rows to fill a page; combined with the organization's index, the
            // planner would read all of that organization's rows. The window ends at the cursor,
            // so a later page of a common word is as quick as the first.
            let window: SQLQueryString = before.map { "id < \(bind: $0)" } ?? "TRUE"
            let edge = try await db.raw("""
                SELECT id FROM case_search WHERE \(scope) AND \(window) ORDER BY id DESC OFFSET \(bind: recentWindow) LIMIT 1
                """).first()?.decode(column: "id", as: Int64.self) ?? 0
            let recent = try await db.raw("""
                SELECT id AS document, case_id FROM case_search
                WHERE \(scope) AND \(matching) AND id > \(bind: edge)\(below) ORDER BY id DESC LIMIT \(bind: limit)
                """).all()
            rows = recent
            if recent.count < limit, edge > 0 {
                rows += try await db.raw("""
                    SELECT document, case_id FROM (
                      SELECT id AS document, case_id, organization_id, audience FROM case_search
                      WHERE \(matching) AND id <= \(bind: edge) OFFSET 0) older
                    WHERE \(scope) ORDER BY document DESC LIMIT \(bind: limit - recent.count)
                    """).all()
            }
        } else {
            var terms = words.map { "document : \"\($0)\"" }
            switch audience {
            case .staff: terms.append("scope : staff")
            case .customer(let organization): terms += ["scope : public", "scope : \(organizationToken(organization))"]
            }
            rows = try await db.raw("""
                SELECT rowid AS document, case_id FROM case_search
                WHERE case_search MATCH \(bind: terms.joined(separator: " AND "))\(below) ORDER BY rowid DESC LIMIT \(bind: limit)
                """).all()
        }
        return try rows.map { Match(document: try $0.decode(column: "document", as: Int64.self), caseID: try $0.decode(column: "case_id", as: UUID.self)) }
    }

    /// How many of the caller's newest documents a PostgreSQL search reads backwards by id before it
    /// asks the GIN index for the rest.
    static let recentWindow = 20_000

    /// The longest word indexed, and the most text of one document (PostgreSQL refuses a `tsvector`
    /// over 1 MB): enough for any case a person wrote.
    static let longestWord = 100
    static let largestDocument = 400_000

    /// `texts` as a document: their words (as `words` splits them), space-separated, a word longer
    /// than `longestWord` bytes left out, ending before the word that would reach `largestDocument`.
    /// One pass over the text into one buffer, without a string for each word: a mailed case's
    /// document was a sixth of the server's CPU for it.
    static func document(_ texts: [String]) -> String {
        var document: [UInt8] = []
        document.reserveCapacity(Swift.min(texts.reduce(0) { $0 + $1.utf8.count }, largestDocument))
        var word: [UInt8] = []
        word.reserveCapacity(longestWord + 8)
        // Ends the word being read; false once the document is full.
        func endWord() -> Bool {
            defer { word.removeAll(keepingCapacity: true) }
            guard !word.isEmpty, word.count <= longestWord else { return true }
            if document.count + word.count >= largestDocument { return false }
            if !document.isEmpty { document.append(0x20) }
            document += word
            return true
        }
        for text in texts {
            for scalar in text.unicodeScalars {
                let value = scalar.value
                if value < 0x80 {
                    if (0x30...0x39).contains(value) || (0x61...0x7A).contains(value) {
                        word.append(UInt8(value))
                    } else if (0x41...0x5A).contains(value) {
                        word.append(UInt8(value | 0x20))
                    } else if !endWord() {
                        return String(decoding: document, as: UTF8.self)
                    }
                } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                    word += scalar.properties.lowercaseMapping.utf8
                } else if !endWord() {
                    return String(decoding: document, as: UTF8.self)
                }
            }
            if !endWord() { break }
        }
        return String(decoding: document, as: UTF8.self)
    }

    /// The words of a query as the index splits text: runs of Unicode letters and digits, lower-cased.
    static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        for scalar in text.unicodeScalars {
            // ASCII answered by its ranges (the same answer; the Unicode property tables cost a
            // mailed case's indexing several percent of its CPU).
            let value = scalar.value
            let isWordCharacter = value < 0x80
                ? (0x30...0x39).contains(value) || (0x61...0x7A).contains(value | 0x20)
                : scalar.properties.isAlphabetic || scalar.properties.numericType != nil
            if isWordCharacter {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                words.append(current.lowercased())
                current = ""
            }
        }
        if !current.isEmpty { words.append(current.lowercased()) }
        return words
    }
}
