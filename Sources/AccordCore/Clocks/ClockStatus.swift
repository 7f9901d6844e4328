public import BusinessTime

/// Where a clock stands at an instant.
public struct ClockStatus: Sendable, Equatable {
    public enum State: String, Sendable {
        case running, paused, met, breached
    }

    public let state: State
    public let clockStart: Int64
    /// The due instant; while paused, the due if the clock resumed at the instant asked about.
    public let due: Int64
    /// Time consumed so far, in the target's measure (open seconds or calendar seconds), pauses excluded.
    public let elapsed: Int64
    /// Time left before the due instant in the same measure; negative once breached.
    public let remaining: Int64
    /// `elapsed` as a share of the whole budget, in percent (may pass 100).
    public let percentElapsed: Double
    /// When the clock was stopped by the event that meets it (even late).
    public let stoppedAt: Int64?
}

/// One running SLA clock: a target started by an event, paused and perhaps stopped since.
public struct SLAClock: Sendable {
    public let target: TimeTarget
    public let startEvent: Int64
    /// Finished pauses.
    public let pauses: [Pause]
    /// When the clock was paused and has not resumed yet.
    public let pausedSince: Int64?
    /// The event that met the clock (first public reply, rectification, patch deployed).
    public let stoppedAt: Int64?
    public let calendar: BusinessCalendar

    public init(target: TimeTarget, startEvent: Int64, pauses: [Pause] = [], pausedSince: Int64? = nil, stoppedAt: Int64? = nil, calendar: BusinessCalendar) {
        self.target = target
        self.startEvent = startEvent
        self.pauses = pauses
        self.pausedSince = pausedSince
        self.stoppedAt = stoppedAt
        self.calendar = calendar
    }

    /// The clock at `now`.
    public func status(at now: Int64) throws(DeadlineError) -> ClockStatus {
        let end = stoppedAt.map { min($0, now) } ?? now
        let deadline = try self.deadline(at: now)
        let pausedNow = pausedSince.map { $0 <= now } ?? false
        do {
            let counted = deadline.pauses.map(\.pause)
            let elapsed = try measure(deadline.clockStart, max(deadline.clockStart, end), excluding: counted)
            let budget = try measure(deadline.clockStart, deadline.due, excluding: counted)
            let state: ClockStatus.State
            if let stoppedAt, stoppedAt <= now {
                state = stoppedAt <= deadline.due ? .met : .breached
            } else if now > deadline.due {
                state = .breached
            } else {
                state = pausedNow ? .paused : .running
            }
            return ClockStatus(
                state: state, clockStart: deadline.clockStart, due: deadline.due, elapsed: elapsed,
                remaining: budget - elapsed, percentElapsed: budget > 0 ? Double(elapsed) * 100 / Double(budget) : 100,
                stoppedAt: stoppedAt.flatMap { $0 <= now ? $0 : nil }
            )
        } catch {
            throw .calendar(error)
        }
    }

    /// The deadline as it stands at `now`: the pauses so far counted, a pause still open counted
    /// up to `now` (so while paused, the due if the clock resumed now). What `status(at:)` reports
    /// and what an explanation tells.
    public func deadline(at now: Int64) throws(DeadlineError) -> Deadline {
        let end = stoppedAt.map { min($0, now) } ?? now
        var all = pauses
        if let pausedSince, pausedSince < end, stoppedAt == nil {
            do { all.append(try Pause(start: pausedSince, end: end)) } catch { throw .pause(error) }
        }
        return try DeadlineEngine.deadline(for: target, startingAt: startEvent, pauses: all, on: calendar)
    }

    /// The instants at which each of `percents` of the clock's budget is used, counted as the
    /// target counts (open seconds of the calendar, or absolute seconds) and skipping the pauses
    /// known so far. A later pause moves them; the clock is then derived and stored anew. 100 is
    /// the due. The deadline and the budget are worked out once for all of them.
    public func instants(whenPercentsUsed percents: [Int]) throws(DeadlineError) -> [Int64] {
        let deadline = try DeadlineEngine.deadline(for: target, startingAt: startEvent, pauses: pauses, on: calendar)
        do {
            let counted = deadline.pauses.map(\.pause).sorted { $0.start < $1.start }
            let budget = try measure(deadline.clockStart, deadline.due, excluding: counted)
            return try percents.map { percent throws(CalendarError) in
                guard percent < 100 else { return deadline.due }
                // Rounded up: a warning never comes before its share is used.
                var need = (budget * Int64(percent) + 99) / 100
                var from = deadline.clockStart
                for pause in counted where pause.end > from {
                    let open = try measure(from, max(from, pause.start), excluding: [])
                    if need <= open { return try advance(from, by: need) }
                    need -= open
                    from = max(from, pause.end)
                }
                return try advance(from, by: need)
            }
        } catch {
            throw .calendar(error)
        }
    }

    private func advance(_ instant: Int64, by seconds: Int64) throws(CalendarError) -> Int64 {
        let business = target.kind == .businessTime || target.kind == .businessDays
        return business ? try calendar.adding(openSeconds: seconds, to: instant) : instant + seconds
    }

    /// Open seconds (business targets) or absolute seconds (calendar targets) in `[from, to)` outside pauses.
    private func measure(_ from: Int64, _ to: Int64, excluding pauses: [Pause]) throws(CalendarError) -> Int64 {
        let business = target.kind == .businessTime || target.kind == .businessDays
        func span(_ a: Int64, _ b: Int64) throws(CalendarError) -> Int64 {
            guard b > a else { return 0 }
            return business ? try calendar.openSeconds(from: a, to: b) : b - a
        }
        var total = try span(from, to)
        for pause in pauses {
            total -= try span(max(from, pause.start), min(to, pause.end))
        }
        return total
    }
}
