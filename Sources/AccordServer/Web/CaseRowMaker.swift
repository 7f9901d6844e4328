import AccordCore
import AccordStore
import Foundation

/// A list's rows: each case with its priority's name, its status, and the clock that matters
/// next — the first still counting, by its due — in the viewer's and the contract's zone.
struct CaseRowMaker: Sendable {
    let service: CaseService
    let format: WebFormat

    func rows(_ items: [CaseListPage.Item]) async throws -> [CasePages.Row] {
        var policies: [String: Policy] = [:]
        var rows: [CasePages.Row] = []
        for item in items {
            let c = item.supportCase
            let key = c.policyID + "@" + c.policyVersion
            if policies[key] == nil { policies[key] = try await service.catalog.policy(c.policyID, version: c.policyVersion, store: service.store) }
            let policy = policies[key]!
            let counting = item.clocks.filter { $0.state == "running" || $0.state == "paused" || ($0.state == "breached" && $0.status?.stoppedAt == nil) }
                .min { ($0.status?.due ?? .max) < ($1.status?.due ?? .max) }
            rows.append(CasePages.Row(
                id: c.id.uuidString, number: c.number, title: c.title,
                priority: c.priority.flatMap { policy.priority($0)?.name } ?? "—", status: CaseSheet.status(c.status),
                clock: counting.map { policy.metric($0.metric)?.name ?? $0.metric }, clockState: counting.map { CaseSheet.state($0.state) },
                due: counting?.status.map {
                    format.time(Date(timeIntervalSince1970: TimeInterval($0.due)), contractZone: CaseSheetMaker.contractZone(of: c, policy: policy, at: $0.due))
                }))
        }
        return rows
    }
}
