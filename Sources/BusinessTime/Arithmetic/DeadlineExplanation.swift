/// A deadline told step by step, as data: calendar and version, zone, each day of the count with
/// the open intervals counted and the holidays and closed days skipped by name, each pause, and
/// the rule that produced the due instant. `lines` says the same in words (`accord sla due
/// --explain`); the API serves the data, so an integration can show it its own way.
public struct DeadlineExplanation: Sendable, Equatable {
    public let calendarID: String
    public let calendarVersion: String
    public let zoneIdentifier: String
    /// The target in the contract's words, and its kind (`business-time`, `calendar-days`, …).
    public let target: String
    public let targetKind: String
    public let startEvent: Instant
    /// Where counting began; differs from the start event when that fell outside open hours.
    public let clockStart: Instant
    /// The days counted, for targets in business time or business days; `omittedDays` in the
    /// middle of a very long count are summarised rather than listed.
    public let days: [Day]
    public let omittedDays: Int
    /// Open seconds counted, for business targets.
    public let countedSeconds: Int64?
    /// The pauses that moved the due instant, each with how far.
    public let pauses: [Pause]
    /// The rule that produced the due instant, in words.
    public let rule: String
    public let due: Instant

    /// An instant, with its wall-clock time in the calendar's zone (ISO 8601 with the offset).
    public struct Instant: Sendable, Equatable {
        public let epochSeconds: Int64
        public let local: String

        public init(epochSeconds: Int64, local: String) {
            self.epochSeconds = epochSeconds
            self.local = local
        }
    }

    /// One day of the count.
    public struct Day: Sendable, Equatable {
        public let date: LocalDate
        /// `open`, `holiday` (skipped, or open with its own hours) or `closed`.
        public let kind: Kind
        public let holiday: String?
        /// Nothing of the day was open: a holiday or closed day, skipped.
        public var skipped: Bool { !opens }
        /// Whether the calendar opens that day at all.
        public let opens: Bool
        /// The day's opening hours as the calendar gives them.
        public let hours: String
        /// The stretches of open time counted that day, as wall-clock times ("08:00", "24:00").
        public let counted: [Stretch]
        public let countedSeconds: Int64

        public enum Kind: String, Sendable {
            case open, holiday, closed
        }
    }

    public struct Stretch: Sendable, Equatable {
        public let from: String
        public let to: String
    }

    public struct Pause: Sendable, Equatable {
        public let start: Instant
        public let end: Instant
        /// Seconds the due moved later (open seconds for business targets, else absolute).
        public let addedSeconds: Int64
    }

    /// Longest stretch of days listed one by one; longer stretches are summarised.
    static let dayLimit = 370

    public init(_ deadline: Deadline, on calendar: BusinessCalendar) throws(CalendarError) {
        func instant(_ seconds: Int64) throws(CalendarError) -> Instant {
            Instant(epochSeconds: seconds, local: ISO8601.format(seconds, offset: try calendar.offset(at: seconds)))
        }
        func clock(_ seconds: Int64) throws(CalendarError) -> String {
            Duration.clock(try calendar.localTime(of: seconds).second)
        }
        var days: [Day] = []
        var omitted = 0
        var counted: Int64?
        if deadline.target.kind == .businessTime || deadline.target.kind == .businessDays {
            let first = try calendar.localTime(of: deadline.clockStart).date
            let last = try calendar.localTime(of: max(deadline.due - 1, deadline.clockStart)).date
            let pauses = deadline.pauses.map(\.pause)
            var total: Int64 = 0
            let count = last.dayNumber - first.dayNumber + 1
            if count > Self.dayLimit { omitted = count - Self.dayLimit }
            for offset in 0..<count {
                if count > Self.dayLimit && offset >= Self.dayLimit / 2 && offset < count - Self.dayLimit / 2 { continue }
                let day = try calendar.day(first.adding(days: offset))
                guard day.isBusinessDay else {
                    days.append(Day(date: day.date, kind: day.holiday == nil ? .closed : .holiday, holiday: day.holiday, opens: false,
                                    hours: "\(day.hours)", counted: [], countedSeconds: 0))
                    continue
                }
                var stretches: [Stretch] = []
                var dayTotal: Int64 = 0
                for (start, end) in day.open {
                    var pieces = [(max(start, deadline.clockStart), min(end, deadline.due))]
                    for pause in pauses {
                        pieces = pieces.flatMap { piece -> [(Int64, Int64)] in
                            guard pause.start < piece.1, pause.end > piece.0 else { return [piece] }
                            return [(piece.0, pause.start), (pause.end, piece.1)]
                        }
                    }
                    for (from, to) in pieces where to > from {
                        dayTotal += to - from
                        let endsDay = try calendar.localTime(of: to).date != day.date
                        stretches.append(Stretch(from: try clock(from), to: endsDay ? "24:00" : try clock(to)))
                    }
                }
                total += dayTotal
                days.append(Day(date: day.date, kind: day.holiday == nil ? .open : .holiday, holiday: day.holiday, opens: true,
                                hours: "\(day.hours)", counted: stretches, countedSeconds: dayTotal))
            }
            counted = total
        }
        var pauses: [Pause] = []
        for pause in deadline.pauses {
            pauses.append(Pause(start: try instant(pause.pause.start), end: try instant(pause.pause.end), addedSeconds: pause.addedSeconds))
        }
        let rule = try Self.words(for: deadline, on: calendar)
        let startEvent = try instant(deadline.startEvent)
        let clockStart = try instant(deadline.clockStart)
        let due = try instant(deadline.due)
        self.calendarID = deadline.calendarID
        self.calendarVersion = deadline.calendarVersion
        self.zoneIdentifier = deadline.zoneIdentifier
        self.target = deadline.target.description
        self.targetKind = deadline.target.kind.rawValue
        self.startEvent = startEvent
        self.clockStart = clockStart
        self.days = days
        self.omittedDays = omitted
        self.countedSeconds = counted
        self.pauses = pauses
        self.rule = rule
        self.due = due
    }

    /// The explanation in words, one step a line.
    public var lines: [String] {
        var lines = [
            "calendar: \(calendarID) (version \(calendarVersion)), zone \(zoneIdentifier)",
            "target: \(target) (\(targetKind))",
            "start event: \(startEvent.local)",
        ]
        if clockStart != startEvent {
            lines.append("clock start: \(clockStart.local) (the first open instant at or after the start event)")
        } else {
            lines.append("clock start: \(clockStart.local)")
        }
        for (index, day) in days.enumerated() {
            if omittedDays > 0 && index == Self.dayLimit / 2 {
                lines.append("  … \(omittedDays) more days …")
            }
            let name = "\(day.date) \(day.date.weekday.shortName)"
            if day.skipped {
                lines.append(day.holiday.map { "  \(name): holiday, \($0): skipped" } ?? "  \(name): closed: skipped")
                continue
            }
            let holiday = day.holiday.map { " (\($0), own hours \(day.hours))" } ?? ""
            let parts = day.counted.map { "\($0.from)-\($0.to)" }
            lines.append("  \(name)\(holiday): open \(day.hours); counted \(parts.isEmpty ? "nothing" : parts.joined(separator: ", "))")
        }
        if let countedSeconds {
            lines.append("open time counted: \(Duration.words(countedSeconds))")
        }
        for pause in pauses {
            lines.append("pause \(pause.start.local) to \(pause.end.local): due moves later by \(Duration.words(pause.addedSeconds))")
        }
        lines.append("rule: \(rule)")
        lines.append("due: \(due.local)")
        return lines
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
