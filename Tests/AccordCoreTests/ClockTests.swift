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
