import Synchronization

/// A calendar ready for arithmetic: one ``CalendarDefinition`` with its years resolved to instants
/// on demand and cached. Instants are whole seconds since 1970-01-01T00:00:00Z.
public final class BusinessCalendar: Sendable {
    public let definition: CalendarDefinition
    /// The version label of the definition (`v1`, `2026-01`), for explanations.
    public let version: String
    let zone: ZoneClock
    /// Year tables by `year - supportedYears.lowerBound`, built on first use.
    private let years = Mutex<[YearTable?]>(Array(repeating: nil, count: supportedYears.count))

    public static let supportedYears = 1900...2399

    public init(_ definition: CalendarDefinition, version: String = "1") throws(CalendarError) {
        self.definition = definition
        self.version = version
        self.zone = try ZoneClock(identifier: definition.zoneIdentifier)
    }

    public var id: String { definition.id }
    public var zoneIdentifier: String { definition.zoneIdentifier }

    func table(_ year: Int) throws(CalendarError) -> YearTable {
        guard Self.supportedYears.contains(year) else { throw .outOfRange("year \(year)") }
        let slot = year - Self.supportedYears.lowerBound
        if let table = years.withLock({ $0[slot] }) { return table }
        let table = YearTable(year: year, definition: definition, zone: zone)
        years.withLock { $0[slot] = table }
        return table
    }

    /// The table of the local year containing `instant`.
    func table(containing instant: Int64) throws(CalendarError) -> YearTable {
        // The local year is within a day of the UTC year.
        var year = LocalDate(dayNumber: Int((instant >= 0 ? instant : instant - 86_399) / 86_400)).year
        var table = try table(year)
        while instant < table.start { year -= 1; table = try self.table(year) }
        while instant >= table.end { year += 1; table = try self.table(year) }
        return table
    }

    // MARK: Wall clock

    /// The local date and second of the day of `instant` in this calendar's zone.
    public func localTime(of instant: Int64) throws(CalendarError) -> (date: LocalDate, second: Int) {
        let table = try table(containing: instant)
        let index = table.dayIndex(containing: instant)
        let date = table.firstDay.adding(days: index)
        if !table.offsetChanges[index] { return (date, Int(instant - table.dayStart[index])) }
        let local = instant + zone.offset(at: instant)
        return (date, Int(local - Int64(date.dayNumber) * 86_400))
    }

    /// The UTC offset in seconds at `instant`.
    public func offset(at instant: Int64) throws(CalendarError) -> Int {
        let (date, second) = try localTime(of: instant)
        return Int(Int64(date.dayNumber) * 86_400 + Int64(second) - instant)
    }

    /// The instant of a wall-clock time; a time in a DST gap moves forward by the gap, one that
    /// occurs twice resolves to the earlier.
    public func instant(of date: LocalDate, second: Int) throws(CalendarError) -> Int64 {
        let table = try table(date.year)
        let index = date.dayNumber - table.firstDay.dayNumber
        if !table.offsetChanges[index] { return table.dayStart[index] + Int64(second) }
        return zone.instant(localSeconds: Int64(date.dayNumber) * 86_400 + Int64(second))
    }

    // MARK: Open time

    /// What kind of day `date` is in this calendar.
    public func day(_ date: LocalDate) throws(CalendarError) -> CalendarDay {
        let table = try table(date.year)
        let index = date.dayNumber - table.firstDay.dayNumber
        let first = table.dayFirstInterval[index]
        let last = table.dayFirstInterval[index + 1]
        return CalendarDay(
            date: date, hours: table.hours[index], holiday: table.holidayNames[index],
            open: (first..<last).map { (table.intervalStart[$0], table.intervalEnd[$0]) }
        )
    }

    /// The opening hours of `date`, after holidays and special hours.
    public func hours(on date: LocalDate) throws(CalendarError) -> DayHours {
        let table = try table(date.year)
        return table.hours[date.dayNumber - table.firstDay.dayNumber]
    }

    /// Whether the calendar is open at `instant`.
    public func isOpen(at instant: Int64) throws(CalendarError) -> Bool {
        let table = try table(containing: instant)
        let i = table.firstInterval(endingAfter: instant)
        return i < table.intervalStart.count && table.intervalStart[i] <= instant
    }

    /// The first open instant at or after `instant`.
    public func firstOpenInstant(atOrAfter instant: Int64) throws(CalendarError) -> Int64 {
        var table = try table(containing: instant)
        let i = table.firstInterval(endingAfter: instant)
        if i < table.intervalStart.count { return max(instant, table.intervalStart[i]) }
        for _ in 0..<50 {
            table = try self.table(table.year + 1)
            if !table.intervalStart.isEmpty { return table.intervalStart[0] }
        }
        throw .noOpenTime(calendar: id)
    }

    /// Open seconds in `[from, to)`; zero when `to <= from`.
    public func openSeconds(from: Int64, to: Int64) throws(CalendarError) -> Int64 {
        guard to > from else { return 0 }
        var table = try table(containing: from)
        var total = -table.openSeconds(upTo: from)
        while to >= table.end {
            total += table.totalOpen
            table = try self.table(table.year + 1)
        }
        return total + table.openSeconds(upTo: to)
    }

    /// The earliest instant at which `seconds` of open time have elapsed since `instant`.
    /// A deadline landing on a closing time is that closing time.
    public func adding(openSeconds seconds: Int64, to instant: Int64) throws(CalendarError) -> Int64 {
        guard seconds > 0 else { return instant }
        var table = try table(containing: instant)
        var need = seconds + table.openSeconds(upTo: instant)
        var emptyYears = 0
        while need > table.totalOpen {
            need -= table.totalOpen
            emptyYears = table.totalOpen == 0 ? emptyYears + 1 : 0
            if emptyYears > 50 { throw .noOpenTime(calendar: id) }
            table = try self.table(table.year + 1)
        }
        return table.instant(afterOpenSeconds: need)
    }

    /// The date `count` business days after `date` (a business day has open hours), or `date`
    /// itself when `count` is zero.
    public func businessDay(_ count: Int, after date: LocalDate) throws(CalendarError) -> LocalDate {
        guard count > 0 else { return date }
        var table = try table(date.year)
        let index = date.dayNumber - table.firstDay.dayNumber
        var number = table.businessDaysBefore[index + 1] + count - 1
        var emptyYears = 0
        while true {
            if let found = table.businessDay(number: number) { return table.firstDay.adding(days: found) }
            number -= table.totalBusinessDays
            emptyYears = table.totalBusinessDays == 0 ? emptyYears + 1 : 0
            if emptyYears > 50 { throw .noOpenTime(calendar: id) }
            table = try self.table(table.year + 1)
        }
    }
}

/// One day of a calendar as the engine sees it.
public struct CalendarDay: Sendable {
    public let date: LocalDate
    public let hours: DayHours
    /// The holiday's name when the date is one (it may still have its own hours).
    public let holiday: String?
    /// The open intervals as instants.
    public let open: [(start: Int64, end: Int64)]

    public var isBusinessDay: Bool { !open.isEmpty }
}
