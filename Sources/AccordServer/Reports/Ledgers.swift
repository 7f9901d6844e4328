import AccordCore
import AccordStore
import BusinessTime
import Foundation

/// The ledgers the contracts need: every vulnerability (a case with a CVSS score) with its patch
/// clock by the score's band, and every confirmed defect with its rectification clock by severity
/// — start, due, state, the late notices given with their reasons and estimates — overdue first,
/// then what falls due in the next 7 and 30 days. Each clock is the engine's, as the case shows it.
enum LedgerKind: String, Sendable, CaseIterable {
    case vulnerabilities, defects

    /// The kind of clock the ledger follows.
    var metricKind: MetricKind { self == .vulnerabilities ? .patch : .resolution }
}

/// One line of a ledger: a case and one of its clocks.
struct LedgerEntry: Sendable {
    let supportCase: SupportCase
    let organization: String
    let metric: String
    let clock: CaseClocks.Clock
    let horizon: LedgerHorizon
    /// The CVSS band (vulnerabilities), e.g. critical.
    let band: String?
    /// When the patch became available (vulnerabilities), if it has.
    let patchAvailable: Int64?
    /// Every notice that the rectification runs late: when, the new estimate, the reason given.
    let notices: [(at: Int64, estimate: Int64, reason: String?)]
}

extension CaseService {
    /// The ledger of `kind` over the cases the caller may see (staff: all; a customer's authorized
    /// contact: their organization's within the policy's visibility), of one organization if asked,
    /// open entries only unless `all`; overdue first, then by due.
    func ledger(_ kind: LedgerKind, organization: String?, all: Bool, for caller: Person) async throws -> [LedgerEntry] {
        guard caller.role.isStaff || caller.role == .authorizedContact else {
            throw Problem(.forbidden, "ledgers are for provider staff and a customer's authorized contacts")
        }
        var filter = try await visibilityFilter(for: caller)
        if !caller.role.isStaff {
            guard let own = caller.organizationID else { throw Problem(.forbidden, "an authorized contact without an organization has no ledger") }
            filter.organizationIDs = [own]
        }
        if let organization {
            guard let id = UUID(uuidString: organization) else { throw Problem(.badRequest, "organization must be an organization's id", field: "organization") }
            filter.organizationIDs = (filter.organizationIDs ?? [id]).filter { $0 == id }
        }
        let candidates = try await store.ledgerCandidates(cvss: kind == .vulnerabilities, eventKind: kind == .defects ? "defect-confirmed" : nil)
        let instant = Self.seconds(now())
        var entries: [LedgerEntry] = []
        var names: [UUID: String] = [:]
        for start in stride(from: 0, to: candidates.count, by: 500) {
            let slice = Array(candidates[start..<min(start + 500, candidates.count)])
            filter.caseIDs = slice
            let cases = try await store.cases(filter, after: nil, limit: slice.count)
            let timelines = try await store.events(of: cases.map(\.id))
            for supportCase in cases {
                let policy = try await catalog.policy(supportCase.policyID, version: supportCase.policyVersion, store: store)
                let metrics = policy.metrics.filter { $0.kind == kind.metricKind }
                guard !metrics.isEmpty else { continue }
                let events = timelines[supportCase.id] ?? []
                let timeline = Self.timeline(of: supportCase, events: events)
                let clocks = try CaseClocks(policy: policy, plan: supportCase.planID, region: supportCase.regionID).clocks(for: timeline, at: instant)
                if names[supportCase.organizationID] == nil {
                    names[supportCase.organizationID] = try await store.organization(supportCase.organizationID)?.name ?? ""
                }
                let notices = events.filter { $0.kind == "rectification-late" }.compactMap { event -> (Int64, Int64, String?)? in
                    guard let value = event.value, case .instant(let estimate)? = ISO8601.parse(value) else { return nil }
                    return (Self.seconds(event.at), estimate, event.body)
                }
                for metric in metrics {
                    guard let clock = clocks.first(where: { $0.metric == metric.id }) else { continue }
                    let horizon = LedgerHorizon(clock, at: instant)
                    if !all, horizon == .done { continue }
                    entries.append(LedgerEntry(
                        supportCase: supportCase, organization: names[supportCase.organizationID] ?? "", metric: metric.id, clock: clock, horizon: horizon,
                        band: kind == .vulnerabilities ? supportCase.details.cvss.flatMap(metric.band(forCVSS:))?.name : nil,
                        patchAvailable: kind == .vulnerabilities ? timeline.patchAvailableAt : nil, notices: notices))
                }
            }
        }
        return entries.sorted { a, b in
            if a.horizon != b.horizon { return a.horizon < b.horizon }
            let (dueA, dueB) = (a.clock.status?.due ?? .max, b.clock.status?.due ?? .max)
            return dueA != dueB ? dueA < dueB : a.supportCase.number < b.supportCase.number
        }
    }
}
