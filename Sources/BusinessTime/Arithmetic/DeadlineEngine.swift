/// The one place deadlines are computed. Every rule of `docs/sla-semantics.md` lives here.
public enum DeadlineEngine {
    /// The deadline of `target` for a clock started by the event at `event`, stopped during `pauses`,
    /// measured on `calendar` (whose zone also serves the calendar-day targets).
    public static func deadline(
        for target: TimeTarget, startingAt event: Int64, pauses: [Pause] = [], on calendar: BusinessCalendar
    ) throws(DeadlineError) -> Deadline {
        let sorted: [Pause]
        do { sorted = try Pause.validated(pauses) } catch { throw .pause(error) }
        do { return try compute(target, event, sorted, calendar) } catch { throw .calendar(error) }
    }

    private static func compute(
        _ target: TimeTarget, _ event: Int64, _ pauses: [Pause], _ calendar: BusinessCalendar
    ) throws(CalendarError) -> Deadline {
        let clockStart = target.kind == .businessTime || target.kind == .businessDays
            ? try calendar.firstOpenInstant(atOrAfter: event) : event
        // Only the part of a pause after the clock start counts.
        let effective = pauses.compactMap { p -> Pause? in
            p.end > clockStart ? try? Pause(start: max(p.start, clockStart), end: p.end) : nil
        }
        var counted: [CountedPause] = []
        var due: Int64
        var rule: String
        switch target.kind {
        case .calendarTime:
            due = clockStart + target.amount
            rule = "clock start + \(target.description) of absolute time (nights, weekends and holidays count)"
            for pause in effective where pause.start < due {
                let length = pause.end - pause.start
                counted.append(CountedPause(pause: pause, addedSeconds: length))
                due += length
            }
        case .calendarDays:
            let (date, second) = try calendar.localTime(of: clockStart)
            due = try calendar.instant(of: date.adding(days: Int(target.amount)), second: second)
            rule = "the same wall-clock time \(target.amount) day\(target.amount == 1 ? "" : "s") later in \(calendar.zoneIdentifier)"
            if try calendar.localTime(of: due).second != second {
                rule += " (that wall time falls in a daylight-saving gap and moves forward by the gap)"
            }
            for pause in effective where pause.start < due {
                let length = pause.end - pause.start
                counted.append(CountedPause(pause: pause, addedSeconds: length))
                due += length
            }
        case .businessTime:
            var remaining = target.amount
            var cursor = clockStart
            rule = "the earliest instant at which \(target.description) of open time have elapsed since the clock start"
            due = try calendar.adding(openSeconds: remaining, to: cursor)
            for pause in effective where pause.start < due {
                let used = try calendar.openSeconds(from: cursor, to: pause.start)
                remaining -= used
                counted.append(CountedPause(pause: pause, addedSeconds: try calendar.openSeconds(from: pause.start, to: pause.end)))
                cursor = pause.end
                due = try calendar.adding(openSeconds: remaining, to: cursor)
            }
            if !(try calendar.isOpen(at: due - 1)) || due == clockStart {
                rule += "; it lands on a closing time, which is the deadline"
            }
        case .businessDays:
            (due, rule) = try businessDays(target, clockStart, calendar)
            for pause in effective where pause.start < due {
                let open = try calendar.openSeconds(from: pause.start, to: pause.end)
                counted.append(CountedPause(pause: pause, addedSeconds: open))
                due = try calendar.adding(openSeconds: open, to: due)
            }
        }
        if !counted.isEmpty {
            let total = counted.reduce(Int64(0)) { $0 + $1.addedSeconds }
            rule += "; moved later by \(Duration.words(total)) of \(target.kind == .calendarTime || target.kind == .calendarDays ? "calendar" : "open") time paused"
        }
        return Deadline(
            target: target, startEvent: event, clockStart: clockStart, due: due, pauses: counted,
            calendarID: calendar.id, calendarVersion: calendar.version, zoneIdentifier: calendar.zoneIdentifier, rule: rule
        )
    }

    /// Counts `n` business days from the clock start and keeps its time of day, pulled back to the
    /// last closing time or forward to the first opening when the day is not open then.
    private static func businessDays(
        _ target: TimeTarget, _ clockStart: Int64, _ calendar: BusinessCalendar
    ) throws(CalendarError) -> (Int64, String) {
        let n = Int(target.amount)
        let (startDate, second) = try calendar.localTime(of: clockStart)
        let dueDate = try calendar.businessDay(n, after: startDate)
        let time = Duration.clock(second)
        let base = "business day \(n) after the clock start (\(dueDate))"
        if n == 0 { return (clockStart, "zero business days: due at the clock start") }
        let intervals = try calendar.day(dueDate).hours.intervals
        if intervals.contains(where: { $0.start.seconds <= second && second < $0.end.seconds }) {
            return (try calendar.instant(of: dueDate, second: second), "\(base) at the clock start's time of day, \(time)")
        }
        if let last = intervals.last(where: { $0.end.seconds <= second }) {
            return (try calendar.instant(of: dueDate, second: last.end.seconds),
                    "\(base); it is not open at \(time), so the end of its last interval before then, \(last.end)")
        }
        let first = intervals[0]
        return (try calendar.instant(of: dueDate, second: first.start.seconds),
                "\(base); it opens after \(time), so its first opening, \(first.start)")
    }
}

/// Why a deadline could not be computed.
public enum DeadlineError: Error, Equatable, Sendable, CustomStringConvertible {
    case calendar(CalendarError)
    case pause(PauseError)

    public var description: String {
        switch self {
        case .calendar(let error): error.description
        case .pause(let error): error.description
        }
    }
}

/// Small helpers to put durations into words.
enum Duration {
    static func words(_ seconds: Int64) -> String {
        let h = seconds / 3600
        let m = seconds / 60 % 60
        let s = seconds % 60
        var parts: [String] = []
        if h > 0 { parts.append("\(h) h") }
        if m > 0 { parts.append("\(m) min") }
        if s > 0 || parts.isEmpty { parts.append("\(s) s") }
        return parts.joined(separator: " ")
    }

    static func clock(_ second: Int) -> String {
        let text = "\(String(second / 3600).leftPadded(to: 2)):\(String(second / 60 % 60).leftPadded(to: 2))"
        return second % 60 == 0 ? text : "\(text):\(String(second % 60).leftPadded(to: 2))"
    }
}
