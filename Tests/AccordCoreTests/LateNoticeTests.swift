import AccordCore
import Testing

/// Plixer's rectification period promises a notice to the customer when it will be late: the
/// clock says whether that notice is owed, given or missed, and the estimate becomes an alarm.
@Suite struct LateNoticeTests {
    static func at(_ text: String) -> Int64 { ClockTests.at(text) }

    /// A severity-1 defect confirmed Monday 2 March 2026 10:00 EST: five days, due Saturday 10:00 EST.
    static func confirmed() -> CaseTimeline {
        var timeline = CaseTimeline(loggedAt: at("2026-03-02T09:00:00-05:00"), priority: "severity-1")
        timeline.append(.defectConfirmed(at: at("2026-03-02T10:00:00-05:00")))
        return timeline
    }

    static func rectification(_ timeline: CaseTimeline, at now: String) throws -> CaseClocks.Clock {
        try #require(try CaseClocks(policy: try Presets.policy("plixer"), plan: "standard", region: "us-east")
            .clocks(for: timeline, at: at(now)).first { $0.metric == "resolution" })
    }

    @Test func onTimeThenOwedAtTheDue() throws {
        let timeline = Self.confirmed()
        #expect(try Self.rectification(timeline, at: "2026-03-07T09:59:59-05:00").lateNotice?.state == .notDue)
        #expect(try Self.rectification(timeline, at: "2026-03-07T10:00:00-05:00").lateNotice?.state == .owed)
        let before = CaseTimeline(loggedAt: Self.at("2026-03-02T09:00:00-05:00"), priority: "severity-1")
        #expect(try Self.rectification(before, at: "2026-03-09T00:00:00-05:00").lateNotice == nil, "not started: nothing to tell")
    }

    @Test func aNoticeHoldsUntilItsEstimatePassesAndBecomesAnAlarm() throws {
        var timeline = Self.confirmed()
        let estimate = Self.at("2026-03-20T00:00:00-04:00")
        timeline.append(.lateNotice(estimate: estimate, at: Self.at("2026-03-06T12:00:00-05:00")))
        let told = try Self.rectification(timeline, at: "2026-03-10T00:00:00-04:00")
        #expect(told.lateNotice?.state == .given && told.lateNotice?.givenAt == Self.at("2026-03-06T12:00:00-05:00") && told.lateNotice?.estimate == estimate)
        #expect(told.alarms.last == ClockAlarm(kind: "estimate-passed-\(estimate)", at: estimate))
        #expect(told.status?.due == Self.at("2026-03-07T10:00:00-05:00"), "the contract's due is unchanged")
        #expect(try Self.rectification(timeline, at: "2026-03-20T00:00:00-04:00").lateNotice?.state == .owed)
        // A new estimate replaces the alarm of the old one.
        let later = Self.at("2026-03-27T00:00:00-04:00")
        timeline.append(.lateNotice(estimate: later, at: Self.at("2026-03-20T09:00:00-04:00")))
        let retold = try Self.rectification(timeline, at: "2026-03-20T09:00:00-04:00")
        #expect(retold.lateNotice?.state == .given && retold.lateNotice?.estimate == later)
        #expect(retold.alarms.filter { $0.kind.hasPrefix(ClockAlarm.estimatePassedPrefix) } == [ClockAlarm(kind: ClockAlarm.estimatePassed(later), at: later)])
    }

    @Test func rectifiedLateWithoutANoticeIsMissed() throws {
        var timeline = Self.confirmed()
        timeline.append(.statusChange(to: .resolved, at: Self.at("2026-03-09T10:00:00-04:00")))
        let clock = try Self.rectification(timeline, at: "2026-03-10T00:00:00-04:00")
        #expect(clock.state == "breached" && clock.lateNotice?.state == .missed && clock.alarms.isEmpty)
        var onTime = Self.confirmed()
        onTime.append(.statusChange(to: .resolved, at: Self.at("2026-03-05T10:00:00-05:00")))
        #expect(try Self.rectification(onTime, at: "2026-03-10T00:00:00-04:00").lateNotice?.state == .notDue)
    }

    @Test func aNoticeFromBeforeTheClockStartedDoesNotCount() throws {
        var timeline = CaseTimeline(loggedAt: Self.at("2026-03-02T09:00:00-05:00"), priority: "severity-1")
        timeline.append(.lateNotice(estimate: Self.at("2026-04-01T00:00:00-04:00"), at: Self.at("2026-03-02T09:30:00-05:00")))
        timeline.append(.defectConfirmed(at: Self.at("2026-03-02T10:00:00-05:00")))
        #expect(try Self.rectification(timeline, at: "2026-03-08T00:00:00-05:00").lateNotice?.state == .owed)
    }
}
