import AccordCore
import AccordStore
import Foundation

/// Measures, once, the clocks decided before the desk recorded the time a clock used: each such
/// case's clocks are derived again from its timeline under the policy version it was logged under,
/// and the time of its met and breached clocks is written beside them. Runs while the desk's
/// database is prepared (one server at a time); a case it cannot derive is skipped, never guessed.
struct ClockTimeBackfill: Sendable {
    let store: DeskStore
    let catalog: PolicyCatalog

    /// How many clocks it measured.
    @discardableResult
    func run(at instant: Date) async throws -> Int {
        var measured = 0
        var after: UUID?
        while true {
            let ids = try await store.casesWithUnmeasuredClocks(after: after, limit: 500)
            guard let last = ids.last else { return measured }
            after = last
            let timelines = try await store.events(of: ids)
            var found: [(caseID: UUID, clock: StoredClock)] = []
            for id in ids {
                guard let supportCase = try await store.supportCase(id),
                      let policy = try? await catalog.policy(supportCase.policyID, version: supportCase.policyVersion, store: store) else { continue }
                let timeline = CaseService.timeline(of: supportCase, events: timelines[id] ?? [])
                guard let clocks = try? CaseClocks(policy: policy, plan: supportCase.planID, region: supportCase.regionID)
                    .clocks(for: timeline, at: CaseService.seconds(instant)) else { continue }
                found += CaseService.stored(clocks).map { (id, $0) }
            }
            try await store.recordTimeUsed(found)
            measured += found.filter { $0.clock.used != nil }.count
        }
    }
}
