import AccordCore
import AccordStore
import BusinessTime
import Foundation

/// What an attainment report asks for, as text from outside (the API's query, the CLI's options,
/// a page's form): each is checked by `CaseService.attainment`, which refuses a bad one naming it.
struct AttainmentQuery: Sendable {
    /// `2026-09`, `2026-Q3` or `2026`, read in `zone`; or `from` and `to` instead.
    var period: String?
    /// A day (`2026-07-01`, midnight in `zone`) or an instant with its offset; the period starts there.
    var from: String?
    /// The first day (or instant) after the period.
    var to: String?
    /// The IANA zone days are read in; UTC when absent.
    var zone: String?
    /// The cuts, comma-separated, in order (`priority,metric` — the metric is always a cut).
    var by: String?
    /// Only clocks of one value of a cut (`priority=P1`, `customer=<organization id>`), by cut.
    var only: [AttainmentCut: String] = [:]
    /// Only one metric's clocks.
    var metric: String?

    /// The query parameters besides the cuts, by name.
    static let parameters: [(String, WritableKeyPath<AttainmentQuery, String?>)] = [
        ("period", \.period), ("from", \.from), ("to", \.to), ("zone", \.zone), ("by", \.by), ("metric", \.metric),
    ]
}

/// An attainment report over the cases logged in `[from, to)`, counted as they stand at `asOf`,
/// with the names of what its cuts hold and the number of every case it names.
struct AttainmentReport: Sendable {
    let from: Date
    let to: Date
    let zone: String
    let asOf: Date
    let report: Attainment.Report
    /// Display names of cut values that are ids (customers, agents) or codes (policies, plans,
    /// regions, teams), by cut and value.
    let names: [AttainmentCut: [String: String]]
    /// The case number of every case id a row names.
    let numbers: [String: String]
}

extension CaseService {
    /// The most a report may span: ten years of cases.
    static let longestReport: Int64 = 10 * 366 * 86_400

    /// The attainment of the clocks of the cases the caller may see, logged in the asked period,
    /// as they stand now. Staff see every case; a customer's authorized contact sees their own
    /// organization's cases within the policy's visibility (under PLM Group's requester-only
    /// rule: their own and those they are copied on); anyone else is refused.
    /// Each row lists its first `listing` breached cases (nil: every one) and counts the rest.
    func attainment(_ query: AttainmentQuery, for caller: Person, listing: Int?) async throws -> AttainmentReport {
        try await attainment(query, as: caller, listing: listing)
    }

    /// `attainment(_:for:listing:)`, with nil for the desk itself (a review it prepares): every
    /// case, as staff see them. The OLAs come with staff's reports unless `olas` is false (what is
    /// shown to a customer, such as a service review).
    ///
    /// Staff's reports, and those of customers who may see their whole organization, count the
    /// packed days of `ReportFacts`; a customer's under a requester-only policy, the clocks of the
    /// cases they may see one by one — the same arithmetic either way (`AttainmentTallyTests`,
    /// `ReportFactsTests`).
    func attainment(_ query: AttainmentQuery, as viewer: Person?, olas: Bool = true, listing: Int?) async throws -> AttainmentReport {
        let staff = viewer?.role.isStaff ?? true
        if let caller = viewer, !(caller.role.isStaff || caller.role == .authorizedContact) {
            throw Problem(.forbidden, "attainment reports are for provider staff and a customer's authorized contacts")
        }
        let zoneID = query.zone ?? "UTC"
        let zone: ZoneClock
        do { zone = try ZoneClock(identifier: zoneID) } catch {
            throw Problem(.badRequest, "zone must be an IANA time zone such as Europe/Copenhagen, not '\(zoneID)'", field: "zone")
        }
        let (from, to) = try Self.span(query, zone: zone)
        let cuts = try Self.cuts(query.by)
        let customerCuts: Set<AttainmentCut> = [.agent]
        if !staff {
            if let hidden = (cuts + query.only.keys).first(where: customerCuts.contains) {
                throw Problem(.forbidden, "a customer's report is not cut by \(hidden.rawValue)", field: query.only[hidden] == nil ? "by" : hidden.rawValue)
            }
        }
        var filter = CaseFilter()
        if let caller = viewer, !staff {
            filter = try await visibilityFilter(for: caller)
            guard let organization = caller.organizationID else {
                throw Problem(.forbidden, "an authorized contact without an organization has no report")
            }
            filter.organizationIDs = [organization]
        }
        var only = try await checked(query)
        if let customer = only[.customer], let id = UUID(uuidString: customer) {
            filter.organizationIDs = (filter.organizationIDs ?? [id]).filter { $0 == id }
        }
        // A customer whose policy lets them see their whole organization's cases (an organization
        // keeps the policy it was opened under) is counted from the packed days too, for their
        // organization only; under a requester-only policy, case by case.
        var packed = staff
        if !staff, let visible = filter.visibleTo, let organization = try await store.organization(visible.organizationID),
           visible.policyIDs.contains(organization.policyID), only[.customer].map({ $0 == organization.id.uuidString }) ?? true {
            packed = true
            only[.customer] = organization.id.uuidString
        }
        let asOf = now()
        let instant = Self.seconds(asOf)
        let report: Attainment.Report
        var names: AttainmentNames
        var numbers: [String: String]
        var organizations: Set<String>, agents: Set<String>
        if packed {
            var tallied = AttainmentTally.Query(cuts: cuts, from: from, to: to, asOf: instant)
            (tallied.only, tallied.metric, tallied.olas, tallied.listing) = (only, query.metric, staff && olas, listing)
            var tally = AttainmentTally(tallied)
            for facts in try await ReportFacts(service: self).facts(from: from, to: to) {
                do { try tally.add(facts) } catch {
                    throw Problem(.internalServerError, "the desk's packed report facts are damaged: \(error.description)")
                }
            }
            let result = tally.result()
            (report, names, numbers, organizations, agents) = (result.report, result.names, result.numbers, result.customers, result.agents)
        } else {
            (names, numbers, organizations, agents) = (AttainmentNames(), [:], [], [])
            let cases = try await attainmentCases(loggedFrom: from, to: to, filter, olas: false)
            var samples: [AttainmentSample] = []
            for attainmentCase in cases {
                let counted: [AttainmentSample]
                do { counted = try attainmentCase.samples(at: instant) } catch {
                    throw Problem(.internalServerError, error.description)
                }
                let kept = counted.filter { sample in
                    (query.metric.map { sample.metric == $0 } ?? true) && !only.contains { sample.cut[$0.key] != $0.value }
                }
                guard !kept.isEmpty else { continue }
                samples += kept
                names.note(attainmentCase, contract: kept.contains { $0.agreement == .contract }, olaTeams: [])
                attainmentCase.cut[.customer].map { _ = organizations.insert($0) }
            }
            report = Attainment.report(samples, by: cuts, listing: listing)
            let byID = Dictionary(cases.map { ($0.caseID, $0.number) }, uniquingKeysWith: { first, _ in first })
            for row in report.rows + report.totals {
                for id in row.breaches { numbers[id] = byID[id] }
            }
        }
        var named = names.names
        for organization in organizations.sorted() {
            if let id = UUID(uuidString: organization) { named[.customer, default: [:]][organization] = try await store.organization(id)?.name }
        }
        if staff {
            for agent in agents.sorted() {
                if let id = UUID(uuidString: agent) { named[.agent, default: [:]][agent] = try await store.person(id)?.name }
            }
        }
        return AttainmentReport(from: Date(timeIntervalSince1970: TimeInterval(from)), to: Date(timeIntervalSince1970: TimeInterval(to)),
                                zone: zoneID, asOf: asOf, report: report, names: named, numbers: numbers)
    }

    /// The cases logged in `[from, to)` that pass `filter`, as attainment reports count them, in
    /// report order: its stored clocks and, with `olas` (staff, who alone see internal targets),
    /// the OLA clocks of its routing.
    func attainmentCases(loggedFrom from: Int64, to: Int64, _ filter: CaseFilter, olas: Bool) async throws -> [AttainmentCase] {
        let start = Date(timeIntervalSince1970: TimeInterval(from)), end = Date(timeIntervalSince1970: TimeInterval(to))
        let stored = try await store.clockSamples(loggedFrom: start, to: end, filter)
        let routing = olas ? try await store.routingEvents(loggedFrom: start, to: end) : [:]
        var versions: [String: Policy] = [:]
        var cases: [AttainmentCase] = []
        var index = stored.startIndex
        while index < stored.endIndex {
            let first = stored[index]
            var end = index
            while end < stored.endIndex, stored[end].caseID == first.caseID { end += 1 }
            let key = "\(first.policyID)@\(first.policyVersion)"
            if versions[key] == nil { versions[key] = try await catalog.policy(first.policyID, version: first.policyVersion, store: store) }
            let policy = versions[key]!
            var clocks = stored[index..<end].map { clock in
                AttainmentCase.Clock(metric: clock.metric, agreement: .contract, state: clock.state, due: clock.due.map(Self.seconds), used: clock.used,
                                     measure: clock.measure.flatMap(AttainmentSample.Measure.init(rawValue:)))
            }
            if let events = routing[first.caseID], !policy.routing.olas.isEmpty {
                let operational = OperationalClocks(policy: policy)
                do throws(RoutingError) {
                    clocks += try operational.kept(for: operational.stints(WorkService.routingSteps(events))).map { ola in
                        AttainmentCase.Clock(ola, teamName: policy.team(ola.team)?.name ?? ola.team)
                    }
                } catch {
                    throw Problem(.unprocessableEntity, "case \(first.number): \(error.description)")
                }
            }
            var cut: [AttainmentCut: String] = [
                .provider: policy.provider, .policy: first.policyID, .customer: first.organizationID.uuidString,
                .plan: first.planID, .region: first.regionID, .channel: first.channel,
            ]
            cut[.priority] = first.priority
            cut[.team] = first.teamID
            cut[.tier] = first.tier.map(String.init)
            cut[.agent] = first.assigneeID?.uuidString
            var names: [AttainmentCut: String] = [
                .policy: policy.name, .plan: policy.plan(first.planID)?.name ?? first.planID, .region: policy.region(first.regionID)?.name ?? first.regionID,
            ]
            names[.team] = first.teamID.map { policy.team($0)?.name ?? $0 }
            cases.append(AttainmentCase(caseID: first.caseID.uuidString, number: first.number, loggedAt: Self.seconds(first.loggedAt), cut: cut,
                                        policyVersion: first.policyVersion, names: names, clocks: clocks))
            index = end
        }
        return cases.sorted(by: AttainmentCase.inReportOrder)
    }

    /// The cut values asked for, checked: ids are ids (written as the report writes them), a tier
    /// a number, a priority or policy one some policy has.
    private func checked(_ query: AttainmentQuery) async throws -> [AttainmentCut: String] {
        let only = query.only
        var checked = only
        for cut in [AttainmentCut.customer, .agent] {
            guard let text = only[cut] else { continue }
            guard let id = UUID(uuidString: text) else {
                throw Problem(.badRequest, "\(cut.rawValue) must be \(cut == .customer ? "an organization's" : "a person's") id, not '\(text)'", field: cut.rawValue)
            }
            checked[cut] = id.uuidString
        }
        if let tier = only[.tier], Int(tier).map({ (1...9).contains($0) }) != true {
            throw Problem(.badRequest, "tier must be a number from 1 to 9, not '\(tier)'", field: "tier")
        }
        let policies = try await catalog.currentPolicies(store: store)
        if let priority = only[.priority] {
            let known = Set(policies.values.flatMap { $0.priorities.map(\.id) })
            guard known.contains(priority) else {
                throw Problem(.badRequest, "unknown priority '\(priority)'; priorities: \(known.sorted().joined(separator: ", "))", field: "priority")
            }
        }
        if let metric = query.metric {
            let known = Set(policies.values.flatMap { $0.metrics.map(\.id) + $0.routing.olas.map(\.id) })
            guard known.contains(metric) else {
                throw Problem(.badRequest, "unknown metric '\(metric)'; metrics: \(known.sorted().joined(separator: ", "))", field: "metric")
            }
        }
        if let policy = only[.policy], policies[policy] == nil {
            throw Problem(.badRequest, "unknown policy '\(policy)'; policies: \(policies.keys.sorted().joined(separator: ", "))", field: "policy")
        }
        return checked
    }

    /// The period asked for, as instants: a named period in the zone, or `from` and `to`.
    static func span(_ query: AttainmentQuery, zone: ZoneClock) throws -> (from: Int64, to: Int64) {
        func instant(_ text: String, _ field: String) throws -> Int64 {
            if let day = LocalDate(iso: text) { return zone.startOfDay(day) }
            if case .instant(let t)? = ISO8601.parse(text) { return t }
            throw Problem(.badRequest, "\(field) must be a day (2026-07-01) or an instant with its offset (2026-07-01T00:00:00+02:00), not '\(text)'",
                          field: field)
        }
        let from: Int64, to: Int64
        if let text = query.period {
            guard query.from == nil, query.to == nil else {
                throw Problem(.badRequest, "give a period or from and to, not both", field: "period")
            }
            guard let period = ReviewPeriod(text) else {
                throw Problem(.badRequest, "period must be a month (2026-09), a quarter (2026-Q3) or a year (2026), not '\(text)'", field: "period")
            }
            (from, to) = (zone.startOfDay(period.start), zone.startOfDay(period.end))
        } else {
            guard let start = query.from else { throw Problem(.badRequest, "from is required (or a period such as 2026-Q3)", field: "from") }
            guard let end = query.to else { throw Problem(.badRequest, "to is required (or a period such as 2026-Q3)", field: "to") }
            (from, to) = (try instant(start, "from"), try instant(end, "to"))
        }
        guard from < to else { throw Problem(.badRequest, "to must come after from", field: "to") }
        guard to - from <= longestReport else { throw Problem(.badRequest, "a report spans at most ten years", field: "to") }
        guard from >= 0, to <= 253_402_300_799 else { throw Problem(.badRequest, "a report's period lies within 1970–9999", field: "from") }
        return (from, to)
    }

    /// The cuts of `by`, in order, each once; the metric is always a cut and may be named.
    static func cuts(_ by: String?) throws -> [AttainmentCut] {
        guard let by, !by.isEmpty else { return [] }
        var cuts: [AttainmentCut] = []
        for name in by.split(separator: ",", omittingEmptySubsequences: false).map({ $0.trimmingCharacters(in: .whitespaces) }) where name != "metric" {
            guard let cut = AttainmentCut(rawValue: name) else {
                throw Problem(.badRequest, "by names '\(name)', which is no cut; cuts: \((AttainmentCut.allCases.map(\.rawValue) + ["metric"]).joined(separator: ", "))",
                              field: "by")
            }
            if !cuts.contains(cut) { cuts.append(cut) }
        }
        return cuts
    }
}
