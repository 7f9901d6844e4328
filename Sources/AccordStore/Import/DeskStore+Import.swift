import FluentKit
import FluentSQL
public import Foundation

extension DeskStore {
    /// Stores cases brought from another desk, each with its whole timeline, in one transaction:
    /// a case whose external id an earlier import already made is left as it is. Imported history
    /// is indexed for search but not announced to webhooks. The outcomes are in `records`' order.
    public func importCases(_ records: [NewCaseRecord]) async throws -> [ImportOutcome] {
        let ids = records.map { $0.history?.externalID ?? "" }
        guard !ids.contains(""), Set(ids).count == ids.count else {
            throw StoreError.conflict("each imported case needs an external id of its own")
        }
        return try await write { db in
            let sql = try db.sql
            var existing: [String: String] = [:]
            for slice in ids.chunks(of: 1_000) {
                let rows = try await sql.raw("""
                    SELECT i.external_id, c.number FROM case_imports i JOIN cases c ON c.id = i.case_id
                    WHERE i.external_id IN \(SQLBind.group(Array(slice)))
                    """).all()
                for row in rows { existing[try row.decode(column: "external_id", as: String.self)] = try row.decode(column: "number", as: String.self) }
            }
            let fresh = records.filter { existing[$0.history!.externalID] == nil }
            let logged = fresh.isEmpty ? [] : try await Self.insertAll(fresh, on: db).get()
            let links: [(String, UUID, Date)] = zip(fresh, logged).map { ($0.history!.externalID, $1.supportCase.id, $0.history!.importedAt) }
            for slice in links.chunks(of: 5_000) {
                let insert = sql.insert(into: "case_imports").columns("external_id", "case_id", "imported_at")
                for link in slice { insert.values([link.0, link.1, link.2] as [any Encodable & Sendable]) }
                try await insert.run()
            }
            try await CaseSearch.write(logged.map { made in
                let said = made.events.filter { ["public-reply", "customer-message"].contains($0.kind) }.compactMap(\.body)
                let notes = made.events.filter { $0.kind == "internal-note" }.compactMap(\.body)
                return CaseSearch.Document(caseID: made.supportCase.id, organizationID: made.supportCase.organizationID,
                                           visible: [made.supportCase.number, made.supportCase.title, made.supportCase.description] + said, notes: notes)
            }, replacing: false, on: db)
            var numbers: [String: String] = existing
            for (record, made) in zip(fresh, logged) { numbers[record.history!.externalID] = made.supportCase.number }
            return records.map { record in
                let id = record.history!.externalID
                return existing[id].map { .existing(number: $0) } ?? .created(number: numbers[id]!)
            }
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
