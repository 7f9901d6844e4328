@testable import AccordCore
import AccordTestSupport
import Foundation
import PropertyBased
import Testing

/// The packed path of staff's reports against the case-by-case one: for generated cases — every
/// clock state, dues either side of the moment asked about, OLAs on teams of their own, cases with
/// and without each cut, names differing between policy versions — and generated queries (cuts in
/// any order, filters, a metric, with and without OLAs, listing some or every breach, a period
/// cutting days in two), packing the cases by day and tallying them gives the very report
/// `Attainment.report` gives over the cases' samples, with the same names and case numbers.
@Suite struct AttainmentTallyTests {
    static let day: Int64 = 86_400
    static let start: Int64 = 1_772_323_200  // 2026-03-01T00:00:00Z

    static func cases(_ random: inout SplitMix64) -> [AttainmentCase] {
        func pick<T>(_ values: [T]) -> T { values[random.int(0...(values.count - 1))] }
        func maybe(_ value: String) -> String? { random.int(0...4) == 0 ? nil : value }
        let customers = (0..<3).map { _ in UUID(uuid: (0..<16).map { _ in UInt8(truncatingIfNeeded: random.next()) }.tuple16).uuidString }
        return (0..<random.int(0...40)).map { index in
            let id = UUID(uuid: (0..<16).map { _ in UInt8(truncatingIfNeeded: random.next()) }.tuple16).uuidString
            let loggedAt = start + Int64(random.int(0...(3 * 86_400)))
            let version = pick(["2025.1", "2026.1"])
            var cut: [AttainmentCut: String] = [.provider: pick(["PLM Group", "Plex"]), .policy: pick(["plm-group", "plex"]), .customer: pick(customers),
                                                .plan: pick(["premium", "gold"]), .region: pick(["denmark", "global"]), .channel: pick(["web", "email"])]
            cut[.priority] = maybe(pick(["critical", "high", "p2"]))
            cut[.team] = maybe(pick(["denmark", "tier-2"]))
            cut[.tier] = maybe(pick(["1", "2"]))
            cut[.agent] = maybe(pick(customers.map { String($0.reversed()) }))
            var names: [AttainmentCut: String] = [.policy: "Policy \(cut[.policy]!) \(version)", .plan: "Plan \(cut[.plan]!) \(version)",
                                                  .region: "Region \(cut[.region]!)"]
            names[.team] = cut[.team].map { "Team \($0) \(version)" }
            let clocks = (0..<random.int(0...4)).map { _ in
                let ola = random.int(0...3) == 0
                let state = pick(AttainmentFacts.states)
                let due: Int64? = random.int(0...5) == 0 ? nil : loggedAt + Int64(random.int(-3_600...(4 * 86_400)))
                let used: Int64? = random.int(0...3) == 0 ? nil : Int64(random.int(0...500_000))
                let measure: AttainmentSample.Measure? = pick([nil, .business, .calendar])
                let team = ola ? maybe(pick(["tier-2", "tier-3"])) : nil
                return AttainmentCase.Clock(metric: ola ? pick(["tier-2-pickup", "tier-3-pickup"]) : pick(["initial-response", "resolution", "patch"]),
                                            agreement: ola ? .ola : .contract, state: state, due: due, used: used, measure: measure,
                                            team: team, teamName: team.map { "Team \($0) \(version)" }, tier: ola ? pick([2, 3]) : nil)
            }
            return AttainmentCase(caseID: id, number: "\(pick(["PLM", "PLX"]))-2026-\(String(format: "%06d", index))", loggedAt: loggedAt, cut: cut,
                                  policyVersion: version, names: names, clocks: clocks)
        }
    }

    static func query(_ random: inout SplitMix64, _ cases: [AttainmentCase]) -> AttainmentTally.Query {
        var cuts: [AttainmentCut] = []
        for _ in 0..<random.int(0...3) { cuts.append(AttainmentCut.allCases[random.int(0...(AttainmentCut.allCases.count - 1))]) }
        let from = start + Int64(random.int(-86_400...(2 * 86_400)))
        var query = AttainmentTally.Query(cuts: cuts, from: from, to: from + Int64(random.int(1...(3 * 86_400))), asOf: start + Int64(random.int(0...(4 * 86_400))))
        if let some = cases.first, random.int(0...2) == 0 {
            let cut = AttainmentCut.allCases[random.int(0...(AttainmentCut.allCases.count - 1))]
            query.only[cut] = some.cut[cut] ?? "tier-2"
        }
        if random.int(0...3) == 0 { query.metric = ["initial-response", "tier-2-pickup", "resolution"][random.int(0...2)] }
        query.olas = random.int(0...3) != 0
        query.listing = [nil, 0, 1, 3][random.int(0...3)]
        return query
    }

    /// The case-by-case report of `cases` for `query`, as customers' reports are counted.
    static func byCase(_ cases: [AttainmentCase], _ query: AttainmentTally.Query) throws -> AttainmentTally.Result {
        var samples: [AttainmentSample] = []
        var names = AttainmentNames()
        var customers = Set<String>(), agents = Set<String>()
        for attainmentCase in cases.sorted(by: AttainmentCase.inReportOrder) where (query.from..<query.to).contains(attainmentCase.loggedAt) {
            let kept = try attainmentCase.samples(at: query.asOf).filter { sample in
                (query.olas || sample.agreement == .contract) && (query.metric.map { sample.metric == $0 } ?? true)
                    && !query.only.contains { sample.cut[$0.key] != $0.value }
            }
            guard !kept.isEmpty else { continue }
            samples += kept
            let olaTeams = zip(attainmentCase.clocks.filter { query.olas || $0.agreement == .contract }, try attainmentCase.samples(at: query.asOf).filter { query.olas || $0.agreement == .contract })
                .filter { clock, sample in clock.agreement == .ola && kept.contains(sample) }.compactMap { clock, _ in clock.team.flatMap { team in clock.teamName.map { (team, $0) } } }
            names.note(attainmentCase, contract: kept.contains { $0.agreement == .contract }, olaTeams: olaTeams)
            attainmentCase.cut[.customer].map { _ = customers.insert($0) }
            attainmentCase.cut[.agent].map { _ = agents.insert($0) }
        }
        let report = Attainment.report(samples, by: query.cuts, listing: query.listing)
        var numbers: [String: String] = [:]
        for row in report.rows + report.totals {
            for id in row.breaches { numbers[id] = cases.first { $0.caseID == id }?.number }
        }
        return AttainmentTally.Result(report: report, names: names, numbers: numbers, customers: customers, agents: agents)
    }

    /// The packed report of `cases`: packed by UTC day, tallied day by day.
    static func packed(_ cases: [AttainmentCase], _ query: AttainmentTally.Query) throws -> AttainmentTally.Result {
        var tally = AttainmentTally(query)
        let days = Dictionary(grouping: cases) { $0.loggedAt / day }
        for key in days.keys.sorted() { try tally.add(try AttainmentFacts.pack(days[key]!)) }
        return tally.result()
    }

    @Test func packedDaysTallyToTheCaseByCaseReport() async {
        await propertyCheck(count: 400, input: Gen.int(in: 0...Int.max)) { seed in
            var random = SplitMix64(state: UInt64(seed))
            let cases = Self.cases(&random)
            let query = Self.query(&random, cases)
            let expected = try Self.byCase(cases, query)
            let tallied = try Self.packed(cases, query)
            #expect(tallied.report == expected.report, "seed \(seed)")
            #expect(tallied.names.names == expected.names.names, "seed \(seed)")
            #expect(tallied.numbers == expected.numbers && tallied.customers == expected.customers && tallied.agents == expected.agents, "seed \(seed)")
        }
    }

    /// A hand-worked day: two cases, one breached late and one met, cut by priority.
    @Test func aWorkedDay() throws {
        let asOf = Self.start + 86_400
        func make(_ number: String, _ at: Int64, _ priority: String, _ state: String, used: Int64?, due: Int64) -> AttainmentCase {
            AttainmentCase(caseID: "00000000-0000-0000-0000-00000000000\(number.last!)", number: number, loggedAt: at,
                           cut: [.priority: priority, .policy: "plm-group"], policyVersion: "2025.1", names: [.policy: "PLM Group"],
                           clocks: [.init(metric: "initial-response", agreement: .contract, state: state, due: due, used: used, measure: .business)])
        }
        let cases = [make("DK-2026-000002", Self.start + 3_600, "high", "breached", used: 18_000, due: Self.start + 7_200),
                     make("DK-2026-000001", Self.start + 7_200, "critical", "met", used: 3_600, due: Self.start + 14_400),
                     make("DK-2026-000003", Self.start + 10_800, "critical", "running", used: nil, due: Self.start + 18_000)]
        var query = AttainmentTally.Query(cuts: [.priority], from: Self.start, to: Self.start + 86_400, asOf: asOf)
        query.listing = 100
        let result = try Self.packed(cases, query)
        #expect(result.report.rows.map(\.key) == [["critical"], ["high"]])
        let critical = result.report.rows[0], high = result.report.rows[1]
        #expect((critical.met, critical.breachedRunning, critical.attainment) == (1, 1, 50))
        #expect(critical.breaches == ["00000000-0000-0000-0000-000000000003"] && result.numbers["00000000-0000-0000-0000-000000000003"] == "DK-2026-000003")
        #expect((high.breached, high.times.first?.median) == (1, 18_000))
        #expect(result.report.totals.first?.breaches == ["00000000-0000-0000-0000-000000000002", "00000000-0000-0000-0000-000000000003"],
                "as they were logged")
        #expect(result.names.names == [.policy: ["plm-group": "PLM Group"]])
    }

    /// Damaged facts are refused, never read past their end.
    @Test func damagedFactsAreRefusedNeverCrash() async throws {
        var random = SplitMix64(state: 7)
        let facts = try AttainmentFacts.pack(Self.cases(&random).filter { $0.loggedAt / Self.day == Self.start / Self.day })
        await propertyCheck(count: 500, input: Gen.int(in: 0...Int.max), Gen.int(in: 0...255), Gen.int(in: 0...2)) { seed, byte, mode in
            var damaged = facts
            let position = seed % max(damaged.count, 1)
            switch mode {
            case 0 where !damaged.isEmpty: damaged[position] = UInt8(byte)
            case 1: damaged.removeSubrange(position...)
            default: damaged.insert(UInt8(byte), at: min(position, damaged.count))
            }
            var tally = AttainmentTally(AttainmentTally.Query(cuts: [.priority, .team], from: 0, to: .max, asOf: Self.start))
            _ = try? tally.add(damaged)
            _ = tally.result()
        }
    }
}

private extension Array where Element == UInt8 {
    var tuple16: uuid_t {
        (self[0], self[1], self[2], self[3], self[4], self[5], self[6], self[7], self[8], self[9], self[10], self[11], self[12], self[13], self[14], self[15])
    }
}
