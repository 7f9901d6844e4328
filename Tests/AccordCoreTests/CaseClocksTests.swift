import Testing
@testable import AccordCore
import BusinessTime

/// Clocks derived from a case's timeline: pauses from statuses, priority changes, defect confirmation.
@Suite struct CaseClocksTests {
    static func at(_ text: String) -> Int64 { ClockTests.at(text) }

    @Test func priorityChangeRetargetsFromTheOriginalStart() throws {
        let plex = try Presets.policy("plex")
        var timeline = CaseTimeline(loggedAt: Self.at("2026-11-16T09:00:00-05:00"), priority: "p3")
        let clocks = CaseClocks(policy: plex, plan: "gold", region: "global")
        let before = try clocks.clocks(for: timeline, at: Self.at("2026-11-16T10:00:00-05:00"))
        #expect(before[0].target == "24 business hours")
        #expect(before[0].status?.due == Self.at("2026-11-17T09:00:00-05:00"))
        timeline.append(.priorityChange(to: "p2", at: Self.at("2026-11-16T10:00:00-05:00")))
        let after = try clocks.clocks(for: timeline, at: Self.at("2026-11-16T10:00:00-05:00"))
        #expect(after[0].target == "12 business hours")
        #expect(after[0].status?.due == Self.at("2026-11-16T21:00:00-05:00"))
    }

    @Test func aPolicyMayRetargetFromTheChangeInstead() throws {
        let plex = try PolicyLoader().load(yaml: try Presets.yaml("plex") + "\npriority-change: from-change\n", file: "plex.yaml")
        #expect(plex.rules.priorityChange == .fromChange)
        var timeline = CaseTimeline(loggedAt: Self.at("2026-11-16T09:00:00-05:00"), priority: "p3")
        timeline.append(.statusChange(to: .awaitingCustomer, at: Self.at("2026-11-16T09:30:00-05:00")))
        timeline.append(.statusChange(to: .open, at: Self.at("2026-11-16T10:30:00-05:00")))
        timeline.append(.priorityChange(to: "p2", at: Self.at("2026-11-16T12:00:00-05:00")))
        let clocks = CaseClocks(policy: plex, plan: "gold", region: "global")
        let after = try #require(try clocks.clocks(for: timeline, at: Self.at("2026-11-16T13:00:00-05:00"))[0].status)
        // 12 business hours from Monday 12:00 (plex business days are whole weekdays); the earlier pause no longer counts.
        #expect(after.clockStart == Self.at("2026-11-16T12:00:00-05:00"))
        #expect(after.due == Self.at("2026-11-17T00:00:00-05:00"))
        // The default, retroactive: from Monday 09:00 with the hour paused carried over.
        let retro = try #require(try CaseClocks(policy: try Presets.policy("plex"), plan: "gold", region: "global")
            .clocks(for: timeline, at: Self.at("2026-11-16T13:00:00-05:00"))[0].status)
        #expect(retro.due == Self.at("2026-11-16T22:00:00-05:00"))
        #expect(throws: PolicyIssues.self) {
            try PolicyLoader().load(yaml: try Presets.yaml("plex") + "\npriority-change: sometimes\n", file: "plex.yaml")
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
