/// A deadline told step by step: calendar and version, zone, each open interval counted, each
/// holiday and closed day skipped, each pause, and the rule that produced the due instant.
public struct DeadlineExplanation: Sendable {
    public let lines: [String]

    /// Longest stretch of days listed one by one; longer stretches are summarised.
    static let dayLimit = 370

    public init(_ deadline: Deadline, on calendar: BusinessCalendar) throws(CalendarError) {
        func local(_ instant: Int64) throws(CalendarError) -> String {
            ISO8601.format(instant, offset: try calendar.offset(at: instant))
        }
        func clock(_ instant: Int64) throws(CalendarError) -> String {
            Duration.clock(try calendar.localTime(of: instant).second)
        }
        var lines = [
            "calendar: \(deadline.calendarID) (version \(deadline.calendarVersion)), zone \(deadline.zoneIdentifier)",
            "target: \(deadline.target.description) (\(deadline.target.kind.rawValue))",
            "start event: \(try local(deadline.startEvent))",
        ]
        if deadline.clockStart != deadline.startEvent {
            lines.append("clock start: \(try local(deadline.clockStart)) (the first open instant at or after the start event)")
        } else {
            lines.append("clock start: \(try local(deadline.clockStart))")
        }
        if deadline.target.kind == .businessTime || deadline.target.kind == .businessDays {
            let first = try calendar.localTime(of: deadline.clockStart).date
            let last = try calendar.localTime(of: max(deadline.due - 1, deadline.clockStart)).date
            let pauses = deadline.pauses.map(\.pause)
            var counted: Int64 = 0
            let total = last.dayNumber - first.dayNumber + 1
            for offset in 0..<total {
                if offset == Self.dayLimit / 2 && total > Self.dayLimit {
                    lines.append("  … \(total - Self.dayLimit) more days …")
                }
                if total > Self.dayLimit && offset >= Self.dayLimit / 2 && offset < total - Self.dayLimit / 2 { continue }
                let day = try calendar.day(first.adding(days: offset))
                let name = "\(day.date) \(day.date.weekday.shortName)"
                if !day.isBusinessDay {
                    lines.append(day.holiday.map { "  \(name): holiday, \($0): skipped" } ?? "  \(name): closed: skipped")
                    continue
                }
                var parts: [String] = []
                for (start, end) in day.open {
                    var pieces = [(max(start, deadline.clockStart), min(end, deadline.due))]
                    for pause in pauses {
                        pieces = pieces.flatMap { piece -> [(Int64, Int64)] in
                            guard pause.start < piece.1, pause.end > piece.0 else { return [piece] }
                            return [(piece.0, pause.start), (pause.end, piece.1)]
                        }
                    }
                    for (from, to) in pieces where to > from {
                        counted += to - from
                        let endsDay = try calendar.localTime(of: to).date != day.date
                        parts.append("\(try clock(from))-\(endsDay ? "24:00" : try clock(to))")
                    }
                }
                let holiday = day.holiday.map { " (\($0), own hours \(day.hours))" } ?? ""
                lines.append("  \(name)\(holiday): open \(day.hours); counted \(parts.isEmpty ? "nothing" : parts.joined(separator: ", "))")
            }
            lines.append("open time counted: \(Duration.words(counted))")
        }
        for counted in deadline.pauses {
            lines.append("pause \(try local(counted.pause.start)) to \(try local(counted.pause.end)): due moves later by \(Duration.words(counted.addedSeconds))")
        }
        lines.append("rule: \(try Self.words(for: deadline, on: calendar))")
        lines.append("due: \(try local(deadline.due))")
        self.lines = lines
    }

    /// The rule that produced the due instant, in words.
    static func words(for deadline: Deadline, on calendar: BusinessCalendar) throws(CalendarError) -> String {
        let target = deadline.target
        var text: String
        switch deadline.rule {
        case .calendarTime:
            text = "clock start + \(target.description) of absolute time (nights, weekends and holidays count)"
        case .calendarDays(let movedByGap):
            text = "the same wall-clock time \(target.amount) day\(target.amount == 1 ? "" : "s") later in \(deadline.zoneIdentifier)"
            if movedByGap { text += " (that wall time falls in a daylight-saving gap and moves forward by the gap)" }
        case .businessTime:
            text = "the earliest instant at which \(target.description) of open time have elapsed since the clock start"
            if deadline.due > deadline.clockStart, !(try calendar.isOpen(at: deadline.due)) {
                text += "; it lands on a closing time, which is the deadline"
            }
        case .businessDayAtTimeOfDay(let date, let second):
            text = "business day \(target.amount) after the clock start (\(date)) at the clock start's time of day, \(Duration.clock(second))"
        case .businessDayLastClose(let date, let second, let close):
            text = "business day \(target.amount) after the clock start (\(date)); it is not open at \(Duration.clock(second)), so the end of its last interval before then, \(close)"
        case .businessDayFirstOpening(let date, let second, let opening):
            text = "business day \(target.amount) after the clock start (\(date)); it opens after \(Duration.clock(second)), so its first opening, \(opening)"
        case .zeroBusinessDays:
            text = "zero business days: due at the clock start"
        }
        if !deadline.pauses.isEmpty {
            let total = deadline.pauses.reduce(Int64(0)) { $0 + $1.addedSeconds }
            let measure = target.kind == .calendarTime || target.kind == .calendarDays ? "calendar" : "open"
            text += "; moved later by \(Duration.words(total)) of \(measure) time paused"
        }
        return text
    }
}
