import Testing
@testable import AccordCore
import BusinessTime

/// A clock's state, elapsed and remaining time at an instant, and the recurring metrics' cycles.
@Suite struct ClockTests {
    static let plmDenmark = try! Presets.policy("plm-group").calendars["denmark"]!.versions[0].calendar
    static func at(_ text: String) -> Int64 {
        guard case .instant(let t) = ISO8601.parse(text)! else { fatalError() }
        return t
    }
    static let fourHours = try! TimeTarget(parsing: "4 business hours")

    @Test func runningClockReportsElapsedRemainingAndPercent() throws {
        let clock = SLAClock(target: Self.fourHours, startEvent: Self.at("2026-03-02T10:00:00+01:00"), calendar: Self.plmDenmark)
        let status = try clock.status(at: Self.at("2026-03-02T13:00:00+01:00"))
        #expect(status.state == .running)
        #expect(status.elapsed == 2 * 3600)   // 10-12, lunch does not count
        #expect(status.remaining == 2 * 3600)
        #expect(status.percentElapsed == 50)
        #expect(status.due == Self.at("2026-03-02T15:00:00+01:00"))
    }

    @Test func pausedClockHoldsItsElapsedTime() throws {
        let clock = SLAClock(target: Self.fourHours, startEvent: Self.at("2026-03-02T10:00:00+01:00"),
                             pausedSince: Self.at("2026-03-02T11:00:00+01:00"), calendar: Self.plmDenmark)
        let status = try clock.status(at: Self.at("2026-03-02T15:00:00+01:00"))
        #expect(status.state == .paused)
        #expect(status.elapsed == 3600)
        #expect(status.remaining == 3 * 3600)
        // If it resumed now: 15-16 and Tuesday 08-10.
        #expect(status.due == Self.at("2026-03-03T10:00:00+01:00"))
    }

    @Test func metAndBreached() throws {
        let start = Self.at("2026-03-02T10:00:00+01:00")
        let met = SLAClock(target: Self.fourHours, startEvent: start, stoppedAt: Self.at("2026-03-02T14:59:00+01:00"), calendar: Self.plmDenmark)
        #expect(try met.status(at: Self.at("2026-03-05T00:00:00+01:00")).state == .met)
        let late = SLAClock(target: Self.fourHours, startEvent: start, stoppedAt: Self.at("2026-03-02T15:01:00+01:00"), calendar: Self.plmDenmark)
        #expect(try late.status(at: Self.at("2026-03-05T00:00:00+01:00")).state == .breached)
        let open = SLAClock(target: Self.fourHours, startEvent: start, calendar: Self.plmDenmark)
        #expect(try open.status(at: Self.at("2026-03-02T15:00:00+01:00")).state == .running)
        let breached = try open.status(at: Self.at("2026-03-02T15:30:00+01:00"))
        #expect(breached.state == .breached && breached.remaining == -1800)
        // Stopped in the future relative to the question: still running then.
        #expect(try met.status(at: Self.at("2026-03-02T12:00:00+01:00")).state == .running)
    }

    @Test func nextReplyCyclesStartAtTheFirstUnansweredCustomerMessage() {
        let cycles = ClockCycles.nextReply([
            .customer(at: 100), .customer(at: 150), .publicReply(at: 200), .publicReply(at: 250), .customer(at: 300),
        ])
        #expect(cycles == [ClockCycles.Cycle(start: 100, stop: 200), ClockCycles.Cycle(start: 300, stop: nil)])
    }

    @Test func periodicUpdateCyclesRunFromEachUpdateUntilClosure() {
        let cycles = ClockCycles.periodicUpdate(loggedAt: 0, [.publicReply(at: 10), .customer(at: 12), .publicReply(at: 30)], closedAt: 40)
        #expect(cycles == [.init(start: 0, stop: 10), .init(start: 10, stop: 30), .init(start: 30, stop: 40)])
        #expect(ClockCycles.periodicUpdate(loggedAt: 0, [.publicReply(at: 10)]) == [.init(start: 0, stop: 10), .init(start: 10, stop: nil)])
    }
}

/// The recurring metrics run through the same engine with their own target tables.
@Suite struct RecurringMetricTests {
    static let policy = try! PolicyLoader().load(yaml: """
        accord: 1
        id: acme
        name: Acme
        version: "1"
        zone: Europe/Oslo
        calendars:
          office: {hours: {mon-fri: 08:00-16:00}, holidays: [NO]}
        regions: [{id: norway, calendar: office}]
        priorities: [{id: urgent, definition: Down}, {id: normal, definition: Everything else}]
        plans: [{id: basic}]
        metrics:
          - {id: initial-response, kind: initial-response, targets: {basic: {urgent: 2 business hours, normal: 1 business day}}}
          - {id: next-reply, kind: next-reply, targets: {basic: {urgent: 4 business hours, normal: 2 business days}}}
          - {id: periodic-update, kind: periodic-update, targets: {basic: {urgent: 1 calendar day, normal: none}}}
        """)

    @Test func eachCycleGetsItsOwnDeadline() throws {
        let calendar = Self.policy.calendars["office"]!.versions[0].calendar
        let customer = ClockTests.at("2026-03-03T15:00:00+01:00")
        let reply = ClockTests.at("2026-03-04T09:30:00+01:00")
        let cycles = ClockCycles.nextReply([.customer(at: customer), .publicReply(at: reply)])
        guard case .target(let target) = Self.policy.metric("next-reply")!.target(plan: "basic", priority: "urgent") else {
            Issue.record("no next-reply target")
            return
        }
        let clock = SLAClock(target: target, startEvent: cycles[0].start, stoppedAt: cycles[0].stop, calendar: calendar)
        let status = try clock.status(at: ClockTests.at("2026-03-05T00:00:00+01:00"))
        // 15:00 + 4 business hours: 1 h Tuesday, Wednesday 08:00-11:00; answered at 09:30.
        #expect(status.due == ClockTests.at("2026-03-04T11:00:00+01:00"))
        #expect(status.state == .met)
        let answer = try Self.policy.answer(DeadlineQuery(plan: "basic", priority: "normal", metric: "next-reply", opened: ISO8601.parse("2026-03-03T15:00:00+01:00")!))
        #expect(try answer.format(answer.deadline!.due) == "2026-03-05T15:00:00+01:00")
        let none = try Self.policy.answer(DeadlineQuery(plan: "basic", priority: "normal", metric: "periodic-update", opened: ISO8601.parse("2026-03-03T15:00:00+01:00")!))
        #expect(none.deadline == nil)
    }
}
