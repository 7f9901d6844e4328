@testable import AccordCore
import BusinessTime
import Testing

/// Plex's Enhanced Business Continuity year: 60 minutes in ten calendar months, 240 in two — the
/// limits read from the preset, the minutes counted in Detroit's months.
struct MaintenanceYearTests {
    static let plex = try! Presets.policy("plex")
    static let detroit = try! ZoneClock(identifier: "America/Detroit")

    /// A window on a Detroit date from a wall time, for `minutes`.
    static func window(_ month: Int, _ day: Int, hour: Int, minutes: Int, year: Int = 2026) -> MaintenanceYear.Window {
        let start = detroit.startOfDay(LocalDate(year: year, month: month, day: day)!) + Int64(hour * 3600)
        return MaintenanceYear.Window(start: start, end: start + Int64(minutes * 60))
    }

    static func year(_ windows: [MaintenanceYear.Window]) throws -> MaintenanceYear {
        try MaintenanceYear(year: 2026, windows: windows, limits: plex.rules.maintenanceLimits, zone: plex.zoneIdentifier)
    }

    @Test func thePresetSaysSixtyInTenMonthsAndTwoFortyInTwo() {
        #expect(Self.plex.rules.maintenanceLimits.map { "\($0.minutes)x\($0.monthsPerYear)" } == ["60x10", "240x2"])
    }

    @Test func twoBusyMonthsFitAndAThirdIsOneTooMany() throws {
        // Monthly hour-long windows, March and September at four hours.
        var windows = (1...12).map { Self.window($0, 7, hour: 1, minutes: 60) }
        windows[2] = Self.window(3, 7, hour: 1, minutes: 240)
        windows[8] = Self.window(9, 7, hour: 1, minutes: 180)
        let year = try Self.year(windows)
        #expect(year.isWithinLimits)
        #expect(year.months.map(\.minutes) == [60, 60, 240, 60, 60, 60, 60, 60, 180, 60, 60, 60])
        #expect(year.months.map(\.allowance) == [60, 60, 240, 60, 60, 60, 60, 60, 240, 60, 60, 60])
        // A third month past 60 minutes: refused, and the month named.
        let third = try Self.year(windows + [Self.window(11, 20, hour: 2, minutes: 30)])
        #expect(!third.isWithinLimits)
        #expect(third.monthsOver.map(\.month) == [11] && third.monthsOver.first?.minutes == 90 && third.monthsOver.first?.allowance == 60)
        // One month past even the larger limit.
        let long = try Self.year([Self.window(6, 6, hour: 0, minutes: 241)])
        #expect(long.monthsOver.map(\.month) == [6] && long.monthsOver[0].allowance == 240)
    }

    @Test func overlapsCountOnceAndAWindowAcrossAMonthsEndCountsInBoth() throws {
        // 23:30 on 31 January to 00:30 on 1 February, Detroit time; a second window overlapping it.
        let half = Self.window(1, 31, hour: 23, minutes: 0).start + 1_800
        let across = MaintenanceYear.Window(start: half, end: half + 3_600)
        let overlapping = MaintenanceYear.Window(start: across.start + 600, end: across.end + 600)
        let year = try Self.year([across, overlapping, across])
        #expect(year.months[0].seconds == 1_800 && year.months[1].seconds == 2_400, "30 minutes in January, 40 in February")
        // The year is Detroit's: what falls after midnight on 31 December is next year's.
        let newYear = try Self.year([Self.window(1, 1, hour: 0, minutes: 30), Self.window(12, 31, hour: 23, minutes: 90)])
        #expect(newYear.months[0].minutes == 30 && newYear.months[11].minutes == 60, "the part in 2027 is not this year's")
    }

    @Test func aStartedMinuteCountsWholeAndAnExactLimitIsWithinIt() throws {
        let exact = try Self.year([Self.window(4, 1, hour: 1, minutes: 60), Self.window(5, 1, hour: 1, minutes: 60),
                                   Self.window(6, 1, hour: 1, minutes: 60)])
        #expect(exact.isWithinLimits)
        let second = MaintenanceYear.Window(start: Self.window(4, 2, hour: 1, minutes: 0).start, end: Self.window(4, 2, hour: 1, minutes: 0).start + 1)
        let over = try Self.year([Self.window(4, 1, hour: 1, minutes: 240), Self.window(5, 1, hour: 1, minutes: 240),
                                  Self.window(6, 1, hour: 1, minutes: 60), second, Self.window(6, 2, hour: 1, minutes: 0)])
        #expect(over.months[3].minutes == 241 && over.monthsOver.map(\.month) == [4], "one second past 240")
    }

    @Test func withoutLimitsEveryYearIsWithinThem() throws {
        let plm = try Presets.policy("plm-group")
        let year = try MaintenanceYear(year: 2026, windows: [Self.window(3, 3, hour: 0, minutes: 5_000)], limits: plm.rules.maintenanceLimits,
                                       zone: plm.zoneIdentifier)
        #expect(year.isWithinLimits && year.monthsOver.isEmpty && !year.isLimited)
    }

    @Test func anUnknownZoneIsAnError() {
        #expect(throws: CalendarError.self) { try MaintenanceYear(year: 2026, windows: [], limits: [], zone: "Mars/Olympus") }
    }
}
