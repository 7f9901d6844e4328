import FluentKit
import FluentSQL
public import Foundation

extension DeskStore {
    /// Stores cases brought from another desk, each with its whole timeline, in one transaction:
    /// a case whose external id an earlier import already made is left as it is. Imported history
    /// is indexed for search but not announced to webhooks. The outcomes are in `records`' order.
    public func importCases(_ records: [NewCaseRecord]) async throws -> [ImportOutcome] {
        try await importCases(prepare(records))
    }

    /// `importCases` for rows prepared ahead (an import's blocks are made into rows on the cores
    /// the writer does not use).
    public func importCases(_ rows: NewCaseRows) async throws -> [ImportOutcome] {
        let imports = rows.imports
        let ids = imports.map { $0?.externalID ?? "" }
        guard !ids.contains(""), Set(ids).count == ids.count else {
            throw StoreError.conflict("each imported case needs an external id of its own")
        }
        // SQLite's check of each row's foreign keys is spared (a twentieth of a large import's
        // time): every row refers to an organization or person read from the desk, which are
        // never deleted, only deactivated, or to a case made in the same transaction.
        return try await write(checkingReferences: false) { db in
            let sql = try db.sql
            var existing: [String: String] = [:]
            for slice in ids.chunks(of: 1_000) {
                let found = try await sql.raw("""
                    SELECT i.external_id, c.number FROM case_imports i JOIN cases c ON c.id = i.case_id
                    WHERE i.external_id IN \(SQLBind.group(Array(slice)))
                    """).all()
                for row in found { existing[try row.decode(column: "external_id", as: String.self)] = try row.decode(column: "number", as: String.self) }
            }
            // Rows made for a case already imported are made again without it.
            let fresh = existing.isEmpty ? rows : prepare(rows.records.filter { existing[$0.history!.externalID] == nil })
            let numbers = fresh.count == 0 ? [] : try await fresh.write(on: db)
            let links = Array(zip(fresh.imports, fresh.caseIDs))
            try await CaseRows.chain(CaseRows.inserts("case_imports", ["external_id", "case_id", "imported_at"], links, on: db) { link in
                [.text(link.0!.externalID), .uuid(link.1), .date(link.0!.at)]
            }, on: db).get()
            var created = existing
            for (link, number) in zip(links, numbers) { created[link.0!.externalID] = number }
            return ids.map { id in existing[id].map { .existing(number: $0) } ?? .created(number: created[id]!) }
        }
    }
}

extension DeskStore {
    /// Up to `limit` cases after the case number `after`, in number order (a prefix's cases in the
    /// order they were numbered), of one organization or all: what an export reads page by page.
    public func casesInNumberOrder(after: String?, organizationID: UUID?, limit: Int) async throws -> [SupportCase] {
        var filter = CaseFilter()
        if let organizationID { filter.organizationIDs = [organizationID] }
        return try await CaseReads.ascending(filter, after: after, limit: limit, on: database)
    }

    /// The external ids imported cases came with, by case.
    public func externalIDs(of caseIDs: [UUID]) async throws -> [UUID: String] {
        var result: [UUID: String] = [:]
        for slice in caseIDs.chunks(of: 1_000) {
            let rows = try await database.sql.select().columns("external_id", "case_id").from("case_imports")
                .where("case_id", .in, Array(slice)).all()
            for row in rows { result[try row.decode(column: "case_id", as: UUID.self)] = try row.decode(column: "external_id", as: String.self) }
        }
        return result
    }
}
