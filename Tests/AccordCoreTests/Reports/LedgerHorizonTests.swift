@testable import AccordCore
import Testing

/// A ledger's horizons at their edges: due exactly now is not yet overdue, exactly 7 days ahead is
/// within the week, exactly 30 within the month; stopped, cancelled and out-of-scope clocks are done.
struct LedgerHorizonTests {
    static let now: Int64 = 1_775_000_000

    static func clock(due: Int64, stoppedAt: Int64? = nil, state: ClockStatus.State = .running) -> CaseClocks.Clock {
        let status = ClockStatus(state: state, clockStart: now - 3_600, due: due, elapsed: 3_600, remaining: due - now, percentElapsed: 10,
                                 stoppedAt: stoppedAt)
        return CaseClocks.Clock(metric: "patch", target: "7 days", status: status, note: nil)
    }

    @Test func dueDatesFallIntoTheirHorizons() {
        let day: Int64 = 86_400
        #expect(LedgerHorizon(Self.clock(due: Self.now), at: Self.now) == .week)
        #expect(LedgerHorizon(Self.clock(due: Self.now - 1, state: .breached), at: Self.now) == .overdue)
        #expect(LedgerHorizon(Self.clock(due: Self.now + 7 * day), at: Self.now) == .week)
        #expect(LedgerHorizon(Self.clock(due: Self.now + 7 * day + 1), at: Self.now) == .month)
        #expect(LedgerHorizon(Self.clock(due: Self.now + 30 * day), at: Self.now) == .month)
        #expect(LedgerHorizon(Self.clock(due: Self.now + 30 * day + 1), at: Self.now) == .later)
        #expect(LedgerHorizon(Self.clock(due: Self.now - day, stoppedAt: Self.now - 2 * day, state: .met), at: Self.now) == .done)
        var cancelled = Self.clock(due: Self.now + day)
        cancelled.cancelled = true
        #expect(LedgerHorizon(cancelled, at: Self.now) == .done)
        #expect(LedgerHorizon(CaseClocks.Clock(metric: "patch", target: "90 days", status: nil, note: "waiting for a patch"), at: Self.now) == .waiting)
        #expect(LedgerHorizon(CaseClocks.Clock(metric: "patch", target: nil, status: nil, note: "no target"), at: Self.now) == .done)
        #expect(LedgerHorizon.allCases.sorted() == [.overdue, .week, .month, .later, .waiting, .done])
    }
}
