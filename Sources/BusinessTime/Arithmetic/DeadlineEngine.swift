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
        let business = target.kind == .businessTime || target.kind == .businessDays
        let clockStart = business ? try calendar.firstOpenInstant(atOrAfter: event) : event
        var counted: [CountedPause] = []
        var due: Int64
        let rule: DeadlineRule
        switch target.kind {
        case .calendarTime:
            due = clockStart + target.amount
            rule = .calendarTime
        case .calendarDays:
            let (date, second) = try calendar.localTime(of: clockStart)
            due = try calendar.instant(of: date.adding(days: Int(target.amount)), second: second)
            rule = .calendarDays(movedByGap: try calendar.localTime(of: due).second != second)
        case .businessTime:
            due = try calendar.adding(openSeconds: target.amount, to: clockStart)
            rule = .businessTime
        case .businessDays:
            (due, rule) = try businessDays(Int(target.amount), clockStart, calendar)
        }
        // Only the part of a pause after the clock start counts, and only pauses that begin before
        // the (moving) due instant.
        var remaining = target.amount
        var cursor = clockStart
        for pause in pauses where pause.end > clockStart {
            let from = max(pause.start, clockStart)
            guard from < due else { break }
            let clipped = try! Pause(start: from, end: pause.end)
            switch target.kind {
            case .calendarTime, .calendarDays:
                let length = pause.end - from
                counted.append(CountedPause(pause: clipped, addedSeconds: length))
                due += length
            case .businessTime:
                // Equivalent to moving the due later by the open time paused, without double counting.
                remaining -= try calendar.openSeconds(from: cursor, to: from)
                counted.append(CountedPause(pause: clipped, addedSeconds: try calendar.openSeconds(from: from, to: pause.end)))
                cursor = pause.end
                due = try calendar.adding(openSeconds: remaining, to: cursor)
            case .businessDays:
                let open = try calendar.openSeconds(from: from, to: pause.end)
                counted.append(CountedPause(pause: clipped, addedSeconds: open))
                due = try calendar.adding(openSeconds: open, to: due)
            }
        }
        return Deadline(
            target: target, startEvent: event, clockStart: clockStart, due: due, pauses: counted,
            calendarID: calendar.id, calendarVersion: calendar.version, zoneIdentifier: calendar.zoneIdentifier, rule: rule
        )
    }

    /// Counts `n` business days from the clock start and keeps its time of day, pulled back to the
    /// last closing time or forward to the first opening when the day is not open then.
    private static func businessDays(
        _ n: Int, _ clockStart: Int64, _ calendar: BusinessCalendar
    ) throws(CalendarError) -> (Int64, DeadlineRule) {
        guard n > 0 else { return (clockStart, .zeroBusinessDays) }
        let (startDate, second) = try calendar.localTime(of: clockStart)
        let date = try calendar.businessDay(n, after: startDate)
        let intervals = try calendar.hours(on: date).intervals
        if intervals.contains(where: { $0.start.seconds <= second && second < $0.end.seconds }) {
            return (try calendar.instant(of: date, second: second), .businessDayAtTimeOfDay(date: date, second: second))
        }
        if let last = intervals.last(where: { $0.end.seconds <= second }) {
            return (try calendar.instant(of: date, second: last.end.seconds), .businessDayLastClose(date: date, second: second, close: last.end))
        }
        let first = intervals[0]
        return (try calendar.instant(of: date, second: first.start.seconds), .businessDayFirstOpening(date: date, second: second, opening: first.start))
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
