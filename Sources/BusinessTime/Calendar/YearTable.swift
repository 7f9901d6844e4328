/// One local calendar year of a calendar resolved to instants: where each day starts, which open
/// intervals it has, and running totals of open seconds and business days, so that deadline
/// arithmetic is a binary search instead of a walk.
final class YearTable: Sendable {
    let year: Int
    let firstDay: LocalDate
    /// Instant of each local midnight; `dayCount + 1` entries, the last is the next year's first.
    let dayStart: [Int64]
    /// Whether a UTC-offset change happens inside the day.
    let offsetChanges: [Bool]
    let intervalStart: [Int64]
    let intervalEnd: [Int64]
    /// Index of each day's first interval; `dayCount + 1` entries.
    let dayFirstInterval: [Int]
    /// Open seconds before each interval; `intervals + 1` entries.
    let openBefore: [Int64]
    /// Business days before each day; `dayCount + 1` entries.
    let businessDaysBefore: [Int]
    /// Each day's opening hours as wall-clock times.
    let hours: [DayHours]
    let holidayNames: [Int: String]

    var dayCount: Int { hours.count }
    var totalOpen: Int64 { openBefore[openBefore.count - 1] }
    var totalBusinessDays: Int { businessDaysBefore[dayCount] }
    var start: Int64 { dayStart[0] }
    var end: Int64 { dayStart[dayCount] }

    init(year: Int, definition: CalendarDefinition, zone: ZoneClock) {
        self.year = year
        let first = LocalDate(year: year, month: 1, day: 1)!
        firstDay = first
        let count = LocalDate.isLeap(year) ? 366 : 365
        let holidays = definition.holidays(in: year)
        var dayStart: [Int64] = []
        var offsetChanges: [Bool] = []
        var starts: [Int64] = []
        var ends: [Int64] = []
        var dayFirst: [Int] = []
        var openBefore: [Int64] = [0]
        var businessBefore: [Int] = [0]
        var hours: [DayHours] = []
        var names: [Int: String] = [:]
        var midnight = zone.instant(localSeconds: Int64(first.dayNumber) * 86_400)
        for index in 0..<count {
            let date = first.adding(days: index)
            let localMidnight = Int64(date.dayNumber) * 86_400
            let next = zone.instant(localSeconds: localMidnight + 86_400)
            let uniform = next - midnight == 86_400 && zone.offset(at: midnight) == zone.offset(at: next - 1)
            dayStart.append(midnight)
            offsetChanges.append(!uniform)
            let holiday = holidays[date]
            if let holiday { names[index] = holiday }
            let day = definition.specialHours[date] ?? (holiday != nil ? .closed : definition.weekly[date.weekday])
            hours.append(day)
            dayFirst.append(starts.count)
            for interval in day.intervals {
                let from = uniform ? midnight + Int64(interval.start.seconds)
                    : zone.instant(localSeconds: localMidnight + Int64(interval.start.seconds))
                let to = interval.end == .endOfDay ? next
                    : uniform ? midnight + Int64(interval.end.seconds)
                    : zone.instant(localSeconds: localMidnight + Int64(interval.end.seconds))
                guard to > from else { continue }
                starts.append(from)
                ends.append(to)
                openBefore.append(openBefore[openBefore.count - 1] + (to - from))
            }
            businessBefore.append(businessBefore[index] + (starts.count > dayFirst[index] ? 1 : 0))
            midnight = next
        }
        dayStart.append(midnight)
        dayFirst.append(starts.count)
        self.dayStart = dayStart
        self.offsetChanges = offsetChanges
        self.intervalStart = starts
        self.intervalEnd = ends
        self.dayFirstInterval = dayFirst
        self.openBefore = openBefore
        self.businessDaysBefore = businessBefore
        self.hours = hours
        self.holidayNames = names
    }

    /// Index of the day containing `instant` (which must lie in this year).
    func dayIndex(containing instant: Int64) -> Int {
        upperBound(dayStart, instant) - 1
    }

    /// Index of the first interval that ends after `instant`.
    func firstInterval(endingAfter instant: Int64) -> Int {
        upperBound(intervalEnd, instant)
    }

    /// Open seconds from the start of the year up to `instant`.
    func openSeconds(upTo instant: Int64) -> Int64 {
        let i = firstInterval(endingAfter: instant)
        guard i < intervalStart.count else { return totalOpen }
        return openBefore[i] + max(0, instant - intervalStart[i])
    }

    /// The earliest instant at which `open` seconds of this year's open time have elapsed
    /// (0 < open <= totalOpen). Landing on a closing time returns that closing time.
    func instant(afterOpenSeconds open: Int64) -> Int64 {
        // First interval whose cumulative end reaches `open`.
        var low = 0
        var high = intervalStart.count - 1
        while low < high {
            let mid = (low + high) / 2
            if openBefore[mid + 1] >= open { high = mid } else { low = mid + 1 }
        }
        return intervalStart[low] + (open - openBefore[low])
    }

    /// The index of this year's business day number `number` (0 is the year's first business day),
    /// or nil when the year has fewer business days.
    func businessDay(number: Int) -> Int? {
        guard number < totalBusinessDays else { return nil }
        var low = 0
        var high = dayCount - 1
        while low < high {
            let mid = (low + high) / 2
            if businessDaysBefore[mid + 1] > number { high = mid } else { low = mid + 1 }
        }
        return low
    }
}

/// Number of elements of the sorted `array` that are <= `value`.
@inline(__always)
func upperBound(_ array: [Int64], _ value: Int64) -> Int {
    var low = 0
    var high = array.count
    while low < high {
        let mid = (low + high) >> 1
        if array[mid] <= value { low = mid + 1 } else { high = mid }
    }
    return low
}
