@testable import AccordCore
import PropertyBased
import Testing

/// An attainment report's arithmetic against numbers worked out by hand, and its rows always adding
/// up to its totals.
struct AttainmentTests {
    static func sample(_ caseID: String, _ priority: String, _ outcome: AttainmentSample.Outcome, used: Int64? = nil,
                       measure: AttainmentSample.Measure? = .business, agreement: AttainmentSample.Agreement = .contract,
                       metric: String = "initial-response", team: String? = nil) -> AttainmentSample {
        var cut: [AttainmentCut: String] = [.priority: priority, .policy: "plm-group"]
        if let team { cut[.team] = team }
        return AttainmentSample(caseID: caseID, metric: metric, agreement: agreement, outcome: outcome, used: used, measure: measure, cut: cut)
    }

    let samples = [
        sample("A", "P2", .met, used: 3_600, team: "tier1"),
        sample("B", "P2", .breached, used: 9_000, team: "tier1"),
        sample("C", "P2", .running, used: 1_200),
        sample("D", "P1", .breachedRunning, used: 8_000, team: "tier2"),
        sample("E", "P2", .noTarget, measure: nil),
        sample("F", "P2", .outOfScope, used: 600),
        sample("G", "P2", .cancelled, used: 100),
        sample("H", "P2", .notStarted, measure: nil),
        // Another policy's metric of the same name counts calendar time: never mixed with business time.
        sample("I", "P2", .met, used: 7_200, measure: .calendar),
        // The tier's internal target (OLA) for case A, reported apart from the contract's.
        sample("A", "P2", .met, used: 600, agreement: .ola, metric: "tier1-pickup", team: "tier1"),
    ]

    @Test func eachCellCountsItsClocksAndTimesByHand() throws {
        let report = Attainment.report(samples, by: [.priority])
        #expect(report.rows.map { "\($0.key) \($0.metric) \($0.agreement.rawValue)" }
                == ["[\"P1\"] initial-response contract", "[\"P2\"] initial-response contract", "[\"P2\"] tier1-pickup ola"])
        let p1 = report.rows[0]
        #expect(p1.withTarget == 1 && p1.breachedRunning == 1 && p1.attainment == 0 && p1.breaches == ["D"])
        #expect(p1.times.isEmpty, "a clock still running has no final time")
        let p2 = report.rows[1]
        // With a target: A, B, C, H and I (met, breached, running, not started, met); apart: E, F, G.
        #expect(p2.withTarget == 5 && p2.met == 2 && p2.breached == 1 && p2.running == 1 && p2.notStarted == 1)
        #expect(p2.withoutTarget == 1 && p2.outOfScope == 1 && p2.cancelled == 1 && p2.breaches == ["B"])
        #expect(try #require(p2.attainment) == 200.0 / 3, "2 met of 3 decided")
        #expect(p2.times == [Attainment.Distribution(measure: .business, count: 2, median: 3_600, p90: 9_000, max: 9_000),
                             Attainment.Distribution(measure: .calendar, count: 1, median: 7_200, p90: 7_200, max: 7_200)])
        let ola = report.rows[2]
        #expect(ola.met == 1 && ola.withTarget == 1 && ola.attainment == 100 && ola.times.first?.median == 600)
    }

    /// A stored clock counts as its state says; one still counting past its due is breached while
    /// running, from the first second after the due (at the due it is still within it); a paused one
    /// is running, however old its stored due, since its due moves on while it waits.
    @Test func aStoredClockCountsAsItsStateAndDueSay() {
        let due: Int64 = 1_000
        #expect(AttainmentSample.outcome(ofStored: "running", due: due, at: due) == .running)
        #expect(AttainmentSample.outcome(ofStored: "running", due: due, at: due + 1) == .breachedRunning)
        #expect(AttainmentSample.outcome(ofStored: "paused", due: due, at: due + 86_400) == .running)
        let fixed: [String: AttainmentSample.Outcome] = ["met": .met, "breached": .breached, "cancelled": .cancelled, "not-started": .notStarted,
                                                         "no-target": .noTarget, "excluded": .outOfScope]
        for (state, outcome) in fixed {
            #expect(AttainmentSample.outcome(ofStored: state, due: due, at: due + 1) == outcome, "\(state)")
        }
        #expect(AttainmentSample.outcome(ofStored: "counting", due: due, at: 0) == nil)
    }

    /// Business time and business days are measured in open time, the rest in elapsed time.
    @Test func aTargetsKindSaysItsMeasure() {
        #expect(AttainmentSample.Measure(.businessTime) == .business)
        #expect(AttainmentSample.Measure(.businessDays) == .business)
        #expect(AttainmentSample.Measure(.calendarTime) == .calendar)
        #expect(AttainmentSample.Measure(.calendarDays) == .calendar)
    }

    @Test func aCaseWithoutAValueOnACutIsKeptUnderAnEmptyOne() {
        let report = Attainment.report(samples, by: [.team, .team])
        #expect(report.cuts == [.team], "a cut asked twice counts once")
        let contract = report.rows.filter { $0.agreement == .contract }
        #expect(contract.map(\.key) == [[""], ["tier1"], ["tier2"]])
        #expect(contract[0].withTarget + contract[0].withoutTarget + contract[0].outOfScope + contract[0].cancelled == 6, "C, E, F, G, H, I have no team")
    }

    @Test func theNearestRankIsAlwaysOneOfTheValues() {
        #expect(Attainment.rank(50, of: [1, 2, 3, 4]) == 2)
        #expect(Attainment.rank(90, of: Array(1...10)) == 9)
        #expect(Attainment.rank(90, of: Array(1...11)) == 10)
        #expect(Attainment.rank(50, of: [7]) == 7 && Attainment.rank(90, of: [7]) == 7)
    }

    @Test func theSameSamplesInAnotherOrderGiveTheSameReport() {
        #expect(Attainment.report(samples.reversed(), by: [.priority, .team]).rows.map(\.key)
                == Attainment.report(samples, by: [.priority, .team]).rows.map(\.key))
    }

    /// Whatever the samples and the cuts, each metric's rows add up to its total: nothing is
    /// dropped and nothing counted twice.
    @Test func theRowsAlwaysAddUpToTheTotals() async {
        let outcomes = AttainmentSample.Outcome.allCases
        await propertyCheck(count: 200, input: Gen.int(in: 0...1_000_000)) { seed in
            var state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 | 1
            func next(_ bound: Int) -> Int {
                state ^= state << 13; state ^= state >> 7; state ^= state << 17
                return Int(state % UInt64(bound))
            }
            let samples = (0..<next(60)).map { index in
                AttainmentSample(caseID: "c\(next(30))", metric: ["initial-response", "rectification"][next(2)],
                                 agreement: next(4) == 0 ? .ola : .contract, outcome: outcomes[next(outcomes.count)],
                                 used: Int64(next(100_000)), measure: next(3) == 0 ? .calendar : .business,
                                 cut: Dictionary(uniqueKeysWithValues: AttainmentCut.allCases.filter { _ in next(4) > 0 }.map { ($0, "v\(next(3))") }))
            }
            let cuts = AttainmentCut.allCases.filter { _ in next(3) == 0 }
            let report = Attainment.report(samples, by: cuts)
            for total in report.totals {
                let rows = report.rows.filter { $0.metric == total.metric && $0.agreement == total.agreement }
                #expect(rows.map(\.withTarget).reduce(0, +) == total.withTarget)
                #expect(rows.map(\.met).reduce(0, +) == total.met && rows.map(\.breached).reduce(0, +) == total.breached)
                #expect(rows.map(\.breachedRunning).reduce(0, +) == total.breachedRunning && rows.map(\.running).reduce(0, +) == total.running)
                #expect(rows.map { $0.withoutTarget + $0.outOfScope + $0.cancelled + $0.notStarted }.reduce(0, +)
                        == total.withoutTarget + total.outOfScope + total.cancelled + total.notStarted)
                #expect(rows.flatMap(\.times).map(\.count).reduce(0, +) == total.times.map(\.count).reduce(0, +))
            }
            #expect(report.totals.map { $0.withTarget + $0.withoutTarget + $0.outOfScope + $0.cancelled }.reduce(0, +) == samples.count)
        }
    }
}
