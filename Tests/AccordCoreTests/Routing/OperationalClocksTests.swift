import Foundation
import Testing
@testable import AccordCore
import BusinessTime

/// Internal targets run on the owning team's calendar, one per stint at a tier.
@Suite struct OperationalClocksTests {
    @Test func tierTwoPicksUpWithinFourHoursOfItsOwnCalendar() throws {
        let policy = try Presets.policy("pro-plus")
        let olas = OperationalClocks(policy: policy)
        // Escalated Friday 2026-11-20 16:00 CST (22:00Z): one hour left that day on 09-17, three on Monday: due 12:00 CST.
        let escalated = CaseRouterTests.at("2026-11-20T22:00:00Z")
        let open = try olas.clocks(for: [.init(team: "tier-2", tier: 2, reachedAt: escalated, pickedUpAt: nil)], at: escalated + 60)
        #expect(open.count == 1)
        #expect(open[0].ola == "tier-2-pickup" && open[0].team == "tier-2" && open[0].target == "4 business hours")
        #expect(ISO8601.utc(open[0].status.due) == "2026-11-23T18:00:00Z")
        #expect(open[0].status.state == .running)
        // Picked up Monday 10:00 CST: met.
        let met = try olas.clocks(for: [.init(team: "tier-2", tier: 2, reachedAt: escalated, pickedUpAt: CaseRouterTests.at("2026-11-23T16:00:00Z"))],
                                  at: CaseRouterTests.at("2026-11-24T00:00:00Z"))
        #expect(met[0].status.state == .met)
        // Nobody by Monday 13:00 CST: breached.
        let late = try olas.clocks(for: [.init(team: "tier-2", tier: 2, reachedAt: escalated, pickedUpAt: nil)], at: CaseRouterTests.at("2026-11-23T19:00:00Z"))
        #expect(late[0].status.state == .breached)
    }

    @Test func tierOneHasNoOLAInProPlusAndEachStintHasItsOwn() throws {
        let olas = OperationalClocks(policy: try Presets.policy("pro-plus"))
        let start = CaseRouterTests.at("2026-11-24T15:00:00Z")
        let clocks = try olas.clocks(for: [
            .init(team: "tier-1", tier: 1, reachedAt: start, pickedUpAt: start + 60),
            .init(team: "tier-3", tier: 3, reachedAt: start + 3600, pickedUpAt: nil),
        ], at: start + 7200)
        #expect(clocks.map(\.ola) == ["tier-3-pickup"])
        #expect(clocks[0].target == "8 business hours")
    }
}
