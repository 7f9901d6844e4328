@testable import AccordCore
import BusinessTime
import Testing

/// Service review periods as people write them, and which fall due — Plex Gold's quarterly
/// reviews, Platinum's monthly and quarterly ones, read from the preset.
struct ReviewPeriodTests {
    static func date(_ text: String) -> LocalDate { LocalDate(iso: text)! }

    @Test(arguments: [("2026-09", "2026-09-01", "2026-10-01"), ("2026-Q3", "2026-07-01", "2026-10-01"), ("2026-q4", "2026-10-01", "2027-01-01"),
                      ("2026", "2026-01-01", "2027-01-01"), ("2026-12", "2026-12-01", "2027-01-01")])
    func aPeriodReadsAndSpansItsDays(text: String, start: String, end: String) throws {
        let period = try #require(ReviewPeriod(text))
        #expect(period.start == Self.date(start) && period.end == Self.date(end))
        #expect(period.description == text.uppercased())
    }

    @Test(arguments: ["", "2026-13", "2026-00", "2026-Q5", "2026-Q0", "26-Q1", "2026-9", "2026-Q3-1", "１２３４", "2026-+1", "1969", "10000", "2026-Qx"])
    func anythingElseIsNoPeriod(text: String) {
        #expect(ReviewPeriod(text) == nil)
    }

    @Test func thePlansSayTheCadences() throws {
        let plex = try Presets.policy("plex")
        let cadences = Dictionary(uniqueKeysWithValues: plex.plans.map { ($0.id, $0.entitlements.businessReviews) })
        #expect(cadences == ["silver": [], "gold": ["quarterly"], "platinum": ["monthly", "quarterly"]])
    }

    @Test func theReviewsDueAreThoseWhosePeriodEndedSinceTheLastLook() {
        let platinum: [ReviewPeriod.Cadence] = [.monthly, .quarterly]
        // Looking on 1 October 2026, last on 15 September: September and the third quarter end on 1 October.
        #expect(ReviewPeriod.ended(platinum, from: Self.date("2026-09-15"), through: Self.date("2026-10-01")).map(\.description)
                == ["2026-09", "2026-Q3"])
        #expect(ReviewPeriod.ended([.quarterly], from: Self.date("2026-01-01"), through: Self.date("2026-12-31")).map(\.description)
                == ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"], "due in 2026: the last quarter of 2025 (on 1 January) to the third; the fourth falls due on 1 January 2027")
        #expect(ReviewPeriod.ended([.yearly], from: Self.date("2027-01-01"), through: Self.date("2027-01-01")).map(\.description) == ["2026"])
        #expect(ReviewPeriod.ended(platinum, from: Self.date("2026-10-02"), through: Self.date("2026-10-31")).isEmpty)
        #expect(ReviewPeriod.ended([], from: Self.date("2026-01-01"), through: Self.date("2026-12-31")).isEmpty)
        #expect(ReviewPeriod.ended(platinum, from: Self.date("2026-12-31"), through: Self.date("2026-01-01")).isEmpty)
    }
}
