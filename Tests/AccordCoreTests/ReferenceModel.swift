import Foundation
import BusinessTime

/// A deliberately naive model of the SLA semantics that walks minute by minute and asks Foundation
/// for every wall-clock time. It shares nothing with the engine's tables, so agreement between the
/// two is evidence that the engine's arithmetic is right.
final class ReferenceModel: @unchecked Sendable {
    let definition: CalendarDefinition
    let zone: TimeZone
    private var offsets: [Int64: Int64] = [:]
    private var holidayYears: [Int: [LocalDate: String]] = [:]

    init(_ definition: CalendarDefinition) {
        self.definition = definition
        zone = TimeZone(identifier: definition.zoneIdentifier)!
    }

    func offset(_ t: Int64) -> Int64 {
        let hour = t >= 0 ? t / 3600 : (t - 3599) / 3600
        if let cached = offsets[hour] { return cached }
        let value = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(hour * 3600))))
        offsets[hour] = value
        return value
    }

    /// Local date and minute of the day of the minute starting at `t`.
    func local(_ t: Int64) -> (LocalDate, Int) {
        let l = t + offset(t)
        let day = l >= 0 ? l / 86_400 : (l - 86_399) / 86_400
        return (LocalDate(dayNumber: Int(day)), Int((l - day * 86_400) / 60))
    }

    func hours(_ date: LocalDate) -> DayHours {
        if let special = definition.specialHours[date] { return special }
        if holidayYears[date.year] == nil { holidayYears[date.year] = definition.holidays(in: date.year) }
        if holidayYears[date.year]![date] != nil { return .closed }
        return definition.weekly[date.weekday]
    }

    func isOpen(_ t: Int64) -> Bool {
        let (date, minute) = local(t)
        return hours(date).intervals.contains { $0.start.minutes <= minute && minute < $0.end.minutes }
    }

    func paused(_ t: Int64, _ pauses: [Pause]) -> Bool { pauses.contains { $0.start <= t && t < $0.end } }

    func firstOpen(_ t: Int64) -> Int64 {
        var t = t
        while !isOpen(t) { t += 60 }
        return t
    }

    /// Walks `minutes` open, unpaused minutes from `from`; returns the end of the last one.
    func walk(from: Int64, minutes: Int, pauses: [Pause] = []) -> Int64 {
        var t = from
        var left = minutes
        while left > 0 {
            if isOpen(t) && !paused(t, pauses) { left -= 1 }
            t += 60
        }
        return t
    }

    func businessHoursDue(event: Int64, minutes: Int, pauses: [Pause]) -> Int64 {
        walk(from: firstOpen(event), minutes: minutes, pauses: pauses)
    }

    /// The instant of a wall time: its first occurrence, or, inside a gap, moved forward by the gap.
    func instant(_ date: LocalDate, minute: Int) -> Int64 {
        let guess = Int64(date.dayNumber) * 86_400 - 14 * 3600
        var t = guess
        while t < guess + 52 * 3600 {
            let (d, m) = local(t)
            if d == date && m == minute { return t }
            if d > date || (d == date && m > minute) {
                let (_, before) = local(t - 60)
                return t + Int64(minute - (before + 1)) * 60
            }
            t += 60
        }
        fatalError("no instant for \(date) \(minute)")
    }

    func businessDaysDue(event: Int64, days: Int, pauses: [Pause]) -> Int64 {
        let s = firstOpen(event)
        let (startDate, minute) = local(s)
        var date = startDate
        var counted = 0
        while counted < days {
            date = date.adding(days: 1)
            if !hours(date).isClosed { counted += 1 }
        }
        let intervals = hours(date).intervals
        var due: Int64
        if intervals.contains(where: { $0.start.minutes <= minute && minute < $0.end.minutes }) {
            due = instant(date, minute: minute)
        } else if let last = intervals.last(where: { $0.end.minutes <= minute }) {
            due = last.end.minutes == 1440 ? instant(date.adding(days: 1), minute: 0) : instant(date, minute: last.end.minutes)
        } else {
            due = instant(date, minute: intervals[0].start.minutes)
        }
        for pause in pauses.sorted(by: { $0.start < $1.start }) where pause.end > s && max(pause.start, s) < due {
            var open = 0
            var t = max(pause.start, s)
            while t < pause.end { if isOpen(t) { open += 1 }; t += 60 }
            due = walk(from: due, minutes: open)
        }
        return due
    }

    func calendarDaysDue(event: Int64, days: Int) -> Int64 {
        let (date, minute) = local(event)
        return instant(date.adding(days: days), minute: minute)
    }
}
