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
        lines.append("rule: \(deadline.rule)")
        lines.append("due: \(try local(deadline.due))")
        self.lines = lines
    }
}
