public import Foundation

/// One page of a full-text search: the cases, and where the next page starts (nil at the end).
public struct CaseSearchPage: Sendable {
    public let cases: [SupportCase]
    /// The index position after this page's last case.
    public let next: Int64?
}

extension DeskStore {
    /// The longest query, and the most words one may hold.
    public static let searchLimits = (characters: 200, words: 10)

    /// The words a query is split into, as the index splits text.
    public static func searchWords(_ query: String) -> [String] { CaseSearch.words(query) }

    /// Cases holding every one of `words` in their number, title, description or messages — and,
    /// for staff (`organizationID` nil), their internal notes — that pass `filter` (the caller's
    /// visibility and the list's conditions), the most recently written first, after `cursor`.
    /// A customer searches their organization's cases: what they were shown, never internal notes.
    public func search(_ words: [String], organizationID: UUID?, filter: CaseFilter, after cursor: Int64?, limit: Int) async throws -> CaseSearchPage {
        let audience: CaseSearch.Audience = organizationID.map { .customer(organizationID: $0) } ?? .staff
        let batch = max((limit + 1) * 4, 100)
        var found: [(caseID: UUID, document: Int64)] = []
        var seen: Set<UUID> = []
        var before = cursor
        // Only the page's cases are read whole; candidates are checked by id. Matches the caller may
        // not see, or that fail the other conditions, are skipped; a page stops after twenty batches
        // of them and says where to go on.
        for _ in 0..<20 {
            let matches = try await CaseSearch.matches(words, for: audience, before: before, limit: batch, on: sql)
            guard let last = matches.last else { return try await page(found, filter: filter, limit: limit, next: nil) }
            let fresh = matches.filter { seen.insert($0.caseID).inserted && (filter.caseIDs?.contains($0.caseID) ?? true) }
            var candidates = filter
            candidates.caseIDs = fresh.map(\.caseID)
            let passing = fresh.isEmpty ? [] : try await caseIDs(candidates)
            for match in fresh where passing.contains(match.caseID) {
                found.append((match.caseID, match.document))
                if found.count > limit { return try await page(found, filter: filter, limit: limit, next: found[limit - 1].document) }
            }
            if matches.count < batch { return try await page(found, filter: filter, limit: limit, next: nil) }
            before = last.document
        }
        return try await page(found, filter: filter, limit: limit, next: before)
    }

    /// The first `limit` of `found` read whole, in the order found.
    private func page(_ found: [(caseID: UUID, document: Int64)], filter: CaseFilter, limit: Int, next: Int64?) async throws -> CaseSearchPage {
        let shown = found.prefix(limit).map(\.caseID)
        guard !shown.isEmpty else { return CaseSearchPage(cases: [], next: nil) }
        var read = filter
        read.caseIDs = shown
        let byID = Dictionary(try await cases(read, after: nil, limit: shown.count, ordered: false).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return CaseSearchPage(cases: shown.compactMap { byID[$0] }, next: next)
    }
}
