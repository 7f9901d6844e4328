/// Everything that decides when a calendar is open: zone, weekly hours, holidays and dated exceptions.
/// One definition is one version of a calendar; see ``VersionedCalendar``.
public struct CalendarDefinition: Hashable, Sendable {
    public let id: String
    public let zoneIdentifier: String
    public let weekly: WeeklyHours
    public let holidaySets: [HolidaySet]
    /// Days off on top of the sets ("holidays observed by Plex").
    public let addedHolidays: [Holiday]
    /// Days the sets name that this calendar works anyway.
    public let removedHolidays: Set<LocalDate>
    /// Dates with their own hours (a half day such as 24 December 08:00–12:00); they win over holidays.
    public let specialHours: [LocalDate: DayHours]

    public init(
        id: String, zoneIdentifier: String, weekly: WeeklyHours, holidaySets: [HolidaySet] = [],
        addedHolidays: [Holiday] = [], removedHolidays: Set<LocalDate> = [], specialHours: [LocalDate: DayHours] = [:]
    ) {
        self.id = id
        self.zoneIdentifier = zoneIdentifier
        self.weekly = weekly
        self.holidaySets = holidaySets
        self.addedHolidays = addedHolidays
        self.removedHolidays = removedHolidays
        self.specialHours = specialHours
    }

    /// A 24×7 calendar with no holidays in `zone`.
    public static func always(id: String = "24x7", zone: String) -> CalendarDefinition {
        CalendarDefinition(id: id, zoneIdentifier: zone, weekly: .always)
    }

    /// The named days off of `year` after additions and removals.
    public func holidays(in year: Int) -> [LocalDate: String] {
        var names: [LocalDate: [String]] = [:]
        for set in holidaySets {
            for holiday in set.holidays(in: year) { names[holiday.date, default: []].append(holiday.name) }
        }
        for holiday in addedHolidays where holiday.date.year == year {
            names[holiday.date, default: []].append(holiday.name)
        }
        for date in removedHolidays { names[date] = nil }
        return names.mapValues { $0.joined(separator: "; ") }
    }
}
