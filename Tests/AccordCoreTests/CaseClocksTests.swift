import Testing
@testable import AccordCore
import BusinessTime

/// Clocks derived from a case's timeline: pauses from statuses, priority changes, defect confirmation.
@Suite struct CaseClocksTests {
    static func at(_ text: String) -> Int64 { ClockTests.at(text) }

    /// The plex preset with one rule for priority changes in both directions.
    static func plex(priorityChange rule: String) throws -> String {
        try Presets.yaml("plex").replacingOccurrences(of: "priority-change:\n  upgrade: from-change\n  downgrade: retroactive", with: "priority-change: \(rule)")
    }

    @Test func plexUpgradesCountFromTheChangeAndDowngradesFromTheStart() throws {
        let plex = try Presets.policy("plex")
        #expect(plex.rules.priorityChange == PriorityChangeRules(upgrade: .fromChange, downgrade: .retroactive))
        var timeline = CaseTimeline(loggedAt: Self.at("2026-11-16T09:00:00-05:00"), priority: "p3")
        let clocks = CaseClocks(policy: plex, plan: "gold", region: "global")
        let before = try clocks.clocks(for: timeline, at: Self.at("2026-11-16T10:00:00-05:00"))
        #expect(before[0].target == "24 business hours")
        #expect(before[0].status?.due == Self.at("2026-11-17T09:00:00-05:00"))
        #expect(before[0].retarget == nil)
        // Upgrade P3 → P2 at 10:00: 12 business hours from 10:00 (whole weekdays), not from 09:00.
        timeline.append(.priorityChange(to: "p2", at: Self.at("2026-11-16T10:00:00-05:00")))
        let after = try clocks.clocks(for: timeline, at: Self.at("2026-11-16T10:00:00-05:00"))
        #expect(after[0].target == "12 business hours")
        #expect(after[0].status?.due == Self.at("2026-11-16T22:00:00-05:00"))
        #expect(after[0].retarget == CaseClocks.Retarget(from: "p3", to: "p2", at: Self.at("2026-11-16T10:00:00-05:00"), upgrade: true, rule: .fromChange))
        // Downgrade P2 → P4 at 11:00: 48 business hours from the 10:00 start that was in force.
        timeline.append(.priorityChange(to: "p4", at: Self.at("2026-11-16T11:00:00-05:00")))
        let lowered = try clocks.clocks(for: timeline, at: Self.at("2026-11-16T11:00:00-05:00"))
        #expect(lowered[0].target == "48 business hours")
        #expect(lowered[0].status?.due == Self.at("2026-11-18T10:00:00-05:00"))
        #expect(lowered[0].retarget?.rule == .retroactive && lowered[0].retarget?.upgrade == false)
    }

    @Test func aRetroactiveUpgradeMayBeDueAlready() throws {
        let plex = try PolicyLoader().load(yaml: try Self.plex(priorityChange: "retroactive"), file: "plex.yaml")
        var timeline = CaseTimeline(loggedAt: Self.at("2026-11-16T09:00:00-05:00"), priority: "p3")
        timeline.append(.priorityChange(to: "p1", at: Self.at("2026-11-16T12:00:00-05:00")))
        let clock = try CaseClocks(policy: plex, plan: "gold", region: "global").clocks(for: timeline, at: Self.at("2026-11-16T12:00:00-05:00"))[0]
        // One calendar hour from 09:00: due 10:00, two hours before the change.
        #expect(clock.status?.due == Self.at("2026-11-16T10:00:00-05:00"))
        #expect(clock.state == "breached")
        #expect(clock.retarget == CaseClocks.Retarget(from: "p3", to: "p1", at: Self.at("2026-11-16T12:00:00-05:00"), upgrade: true, rule: .retroactive))
    }

    @Test func aPolicyMayRetargetFromTheChangeInstead() throws {
        let plex = try PolicyLoader().load(yaml: try Self.plex(priorityChange: "from-change"), file: "plex.yaml")
        #expect(plex.rules.priorityChange == PriorityChangeRules(upgrade: .fromChange, downgrade: .fromChange))
        var timeline = CaseTimeline(loggedAt: Self.at("2026-11-16T09:00:00-05:00"), priority: "p3")
        timeline.append(.statusChange(to: .awaitingCustomer, at: Self.at("2026-11-16T09:30:00-05:00")))
        timeline.append(.statusChange(to: .open, at: Self.at("2026-11-16T10:30:00-05:00")))
        timeline.append(.priorityChange(to: "p2", at: Self.at("2026-11-16T12:00:00-05:00")))
        let clocks = CaseClocks(policy: plex, plan: "gold", region: "global")
        let after = try #require(try clocks.clocks(for: timeline, at: Self.at("2026-11-16T13:00:00-05:00"))[0].status)
        // 12 business hours from Monday 12:00 (plex business days are whole weekdays); the earlier pause no longer counts.
        #expect(after.clockStart == Self.at("2026-11-16T12:00:00-05:00"))
        #expect(after.due == Self.at("2026-11-17T00:00:00-05:00"))
        // Retroactive: from Monday 09:00 with the hour paused carried over.
        let retro = try #require(try CaseClocks(policy: try PolicyLoader().load(yaml: try Self.plex(priorityChange: "retroactive")), plan: "gold", region: "global")
            .clocks(for: timeline, at: Self.at("2026-11-16T13:00:00-05:00"))[0].status)
        #expect(retro.due == Self.at("2026-11-16T22:00:00-05:00"))
        #expect(throws: PolicyIssues.self) {
            try PolicyLoader().load(yaml: try Presets.yaml("plex").replacingOccurrences(of: "upgrade: from-change", with: "upgrade: sometimes"), file: "plex.yaml")
        }
    }

    @Test func awaitingCustomerPausesAndAReplyMeets() throws {
        let plm = try Presets.policy("plm-group")
        var timeline = CaseTimeline(loggedAt: Self.at("2026-03-02T08:00:00+01:00"), priority: "critical")
        timeline.append(.statusChange(to: .awaitingCustomer, at: Self.at("2026-03-02T09:00:00+01:00")))
        timeline.append(.statusChange(to: .open, at: Self.at("2026-03-02T14:00:00+01:00")))
        let clocks = CaseClocks(policy: plm, plan: "standard", region: "denmark")
        let status = try #require(try clocks.clocks(for: timeline, at: Self.at("2026-03-02T15:00:00+01:00"))[0].status)
        // 4 h: 08-09 before the pause, 14-16 and Tuesday 08-09 after it.
        #expect(status.due == Self.at("2026-03-03T09:00:00+01:00"))
        #expect(status.state == .running)
        timeline.append(.providerReply(at: Self.at("2026-03-02T15:30:00+01:00")))
        #expect(try clocks.clocks(for: timeline, at: Self.at("2026-03-04T00:00:00+01:00"))[0].status?.state == .met)
    }

    @Test func rectificationStartsWhenTheDefectIsConfirmed() throws {
        let plixer = try Presets.policy("plixer")
        var timeline = CaseTimeline(loggedAt: Self.at("2026-03-03T09:00:00-05:00"), priority: "severity-1")
        let clocks = CaseClocks(policy: plixer, plan: "standard", region: "us-east")
        let waiting = try clocks.clocks(for: timeline, at: Self.at("2026-03-03T10:00:00-05:00"))
        #expect(waiting.first { $0.metric == "resolution" }?.note == "not started: waits for defect-confirmed")
        #expect(waiting.first { $0.metric == "resolution" }?.state == "not-started")
        #expect(waiting.first { $0.metric == "resolution" }?.target == "5 days")
        timeline.append(.defectConfirmed(at: Self.at("2026-03-04T10:00:00-05:00")))
        let running = try clocks.clocks(for: timeline, at: Self.at("2026-03-04T11:00:00-05:00"))
        #expect(running.first { $0.metric == "resolution" }?.status?.due == Self.at("2026-03-09T10:00:00-04:00"))
    }

    @Test func statusTransitions() {
        #expect(CaseStatus.new.canMove(to: .open))
        #expect(CaseStatus.open.canMove(to: .awaitingCustomer) && CaseStatus.awaitingCustomer.canMove(to: .open))
        #expect(!CaseStatus.open.canMove(to: .closed))
        #expect(CaseStatus.resolved.canMove(to: .closed) && CaseStatus.closed.canMove(to: .open))
    }
}
