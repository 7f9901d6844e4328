/// The public-holiday sets Accord ships, written as rules. They agree day for day with the open
/// `holidays` data set (python-holidays 0.109, default categories) for 2000–2040; see
/// `Tests/BusinessTimeTests/HolidayDataSetAgreementTests.swift`.
public enum BuiltInHolidaySets {
    /// Every built-in set by id (`NO`, `IS`, `DK`, `SE`, `FI`, `EE`, `LV`, `US`).
    public static let all: [String: HolidaySet] = Dictionary(
        uniqueKeysWithValues: [norway, iceland, denmark, sweden, finland, estonia, latvia, unitedStates].map { ($0.id, $0) }
    )

    public static var ids: [String] { all.keys.sorted() }

    public static func set(_ id: String) throws(CalendarError) -> HolidaySet {
        guard let set = all[id.uppercased()] else { throw .unknownHolidaySet(id, known: ids) }
        return set
    }

    private static let newYearsDay = HolidayRule("New Year's Day", .fixed(month: 1, day: 1))
    private static let maundyThursday = HolidayRule("Maundy Thursday", .easter(offset: -3))
    private static let goodFriday = HolidayRule("Good Friday", .easter(offset: -2))
    private static let easterSunday = HolidayRule("Easter Sunday", .easter(offset: 0))
    private static let easterMonday = HolidayRule("Easter Monday", .easter(offset: 1))
    private static let ascensionDay = HolidayRule("Ascension Day", .easter(offset: 39))
    private static let pentecost = HolidayRule("Pentecost", .easter(offset: 49))
    private static let pentecostMonday = HolidayRule("Pentecost Monday", .easter(offset: 50))
    private static let christmasEve = HolidayRule("Christmas Eve", .fixed(month: 12, day: 24))
    private static let christmasDay = HolidayRule("Christmas Day", .fixed(month: 12, day: 25))
    private static let secondDayOfChristmas = HolidayRule("Second Day of Christmas", .fixed(month: 12, day: 26))

    public static let norway = HolidaySet(id: "NO", name: "Norway public holidays", rules: [
        newYearsDay, maundyThursday, goodFriday, easterSunday, easterMonday,
        HolidayRule("Labor Day", .fixed(month: 5, day: 1), years: 1947...9999),
        HolidayRule("Constitution Day", .fixed(month: 5, day: 17), years: 1947...9999),
        ascensionDay, pentecost, pentecostMonday, christmasDay, secondDayOfChristmas,
    ])

    public static let iceland = HolidaySet(id: "IS", name: "Iceland public holidays", rules: [
        newYearsDay, maundyThursday, goodFriday, easterSunday, easterMonday,
        HolidayRule("First Day of Summer", .firstWeekday(weekday: .thursday, onOrAfterMonth: 4, day: 19)),
        HolidayRule("Labor Day", .fixed(month: 5, day: 1)),
        ascensionDay, pentecost, pentecostMonday,
        HolidayRule("National Day", .fixed(month: 6, day: 17)),
        HolidayRule("Commerce Day", .nthWeekday(month: 8, weekday: .monday, n: 1), years: 1983...9999),
        christmasDay, secondDayOfChristmas,
    ])

    public static let denmark = HolidaySet(id: "DK", name: "Denmark public holidays", rules: [
        newYearsDay, maundyThursday, goodFriday, easterSunday, easterMonday,
        // Store Bededag was abolished by law from 2024.
        HolidayRule("Great Prayer Day", .easter(offset: 26), years: 1686...2023),
        ascensionDay, pentecost, pentecostMonday, christmasDay, secondDayOfChristmas,
    ])

    public static let sweden = HolidaySet(id: "SE", name: "Sweden public holidays", rules: [
        newYearsDay,
        HolidayRule("Epiphany", .fixed(month: 1, day: 6)),
        goodFriday, easterSunday, easterMonday,
        HolidayRule("May Day", .fixed(month: 5, day: 1)),
        ascensionDay,
        HolidayRule("National Day", .fixed(month: 6, day: 6), years: 2005...9999),
        pentecost,
        HolidayRule("Pentecost Monday", .easter(offset: 50), years: 1900...2004),
        HolidayRule("Midsummer Day", .firstWeekday(weekday: .saturday, onOrAfterMonth: 6, day: 20)),
        HolidayRule("All Saints' Day", .firstWeekday(weekday: .saturday, onOrAfterMonth: 10, day: 31)),
        christmasDay, secondDayOfChristmas,
    ])

    public static let finland = HolidaySet(id: "FI", name: "Finland public holidays", rules: [
        newYearsDay,
        HolidayRule("Epiphany", .fixed(month: 1, day: 6), years: 1991...9999),
        goodFriday, easterSunday, easterMonday,
        HolidayRule("May Day", .fixed(month: 5, day: 1), years: 1944...9999),
        HolidayRule("Ascension Day", .easter(offset: 39), years: 1991...9999),
        pentecost,
        HolidayRule("Midsummer Eve", .firstWeekday(weekday: .friday, onOrAfterMonth: 6, day: 19), years: 1955...9999),
        HolidayRule("Midsummer Day", .firstWeekday(weekday: .saturday, onOrAfterMonth: 6, day: 20), years: 1955...9999),
        HolidayRule("All Saints' Day", .firstWeekday(weekday: .saturday, onOrAfterMonth: 10, day: 31), years: 1955...9999),
        HolidayRule("Independence Day", .fixed(month: 12, day: 6), years: 1919...9999),
        christmasEve, christmasDay, secondDayOfChristmas,
    ])

    public static let estonia = HolidaySet(id: "EE", name: "Estonia public holidays", rules: [
        newYearsDay,
        HolidayRule("Independence Day", .fixed(month: 2, day: 24)),
        HolidayRule("Good Friday", .easter(offset: -2), years: 1994...9999),
        HolidayRule("Easter Sunday", .easter(offset: 0), years: 1994...9999),
        HolidayRule("May Day", .fixed(month: 5, day: 1)),
        HolidayRule("Pentecost", .easter(offset: 49), years: 1994...9999),
        HolidayRule("Victory Day", .fixed(month: 6, day: 23)),
        HolidayRule("Midsummer Day", .fixed(month: 6, day: 24)),
        HolidayRule("Independence Restoration Day", .fixed(month: 8, day: 20), years: 1998...9999),
        HolidayRule("Christmas Eve", .fixed(month: 12, day: 24), years: 2005...9999),
        christmasDay, secondDayOfChristmas,
    ])

    public static let latvia = HolidaySet(id: "LV", name: "Latvia public holidays", rules: [
        newYearsDay, goodFriday, easterSunday,
        HolidayRule("Easter Monday", .easter(offset: 1), years: 1997...9999),
        HolidayRule("Labor Day", .fixed(month: 5, day: 1)),
        HolidayRule("Constitutional Assembly Convocation Day", .fixed(month: 5, day: 1)),
        HolidayRule("Proclamation of Declaration of Independence Day", .fixed(month: 5, day: 4), years: 2002...2011,
                    observance: .nextMonday, observedSince: 2007),
        HolidayRule("Restoration of Independence Day", .fixed(month: 5, day: 4), years: 2012...9999,
                    observance: .nextMonday, observedSince: 2007),
        HolidayRule("Mother's Day", .nthWeekday(month: 5, weekday: .sunday, n: 2)),
        HolidayRule("Pentecost", .easter(offset: 49), years: 1996...9999),
        HolidayRule("Midsummer Eve", .fixed(month: 6, day: 23)),
        HolidayRule("Midsummer Day", .fixed(month: 6, day: 24)),
        HolidayRule("Republic of Latvia Proclamation Day", .fixed(month: 11, day: 18),
                    observance: .nextMonday, observedSince: 2007),
        HolidayRule("Christmas Eve", .fixed(month: 12, day: 24), years: 2007...9999),
        christmasDay, secondDayOfChristmas,
        HolidayRule("New Year's Eve", .fixed(month: 12, day: 31)),
    ] + latviaDecreedDays)

    /// Latvia's one-off days off: working days moved by Cabinet decree (each worked on a Saturday
    /// instead) and days declared by law. No rule predicts these, so they are dated.
    private static let latviaDecreedDays: [HolidayRule] = {
        let substituted: [(String, String)] = [
            ("2001-12-24", "12/22/2001"), ("2002-12-30", "12/28/2002"), ("2003-11-17", "11/15/2003"),
            ("2004-01-02", "01/10/2004"), ("2004-05-03", "05/08/2004"), ("2004-06-25", "06/19/2004"),
            ("2004-11-19", "11/13/2004"), ("2006-11-27", "12/02/2006"), ("2007-04-30", "04/14/2007"),
            ("2008-05-02", "05/10/2008"), ("2008-11-17", "11/22/2008"), ("2009-01-02", "01/10/2009"),
            ("2009-06-22", "06/27/2009"), ("2010-05-03", "05/29/2010"), ("2010-06-25", "06/19/2010"),
            ("2010-11-19", "11/13/2010"), ("2012-04-30", "04/28/2012"), ("2013-12-23", "12/14/2013"),
            ("2013-12-30", "12/28/2013"), ("2014-05-02", "05/10/2014"), ("2014-11-17", "11/22/2014"),
            ("2015-01-02", "01/10/2015"), ("2015-06-22", "06/27/2015"), ("2017-05-05", "05/13/2017"),
            ("2018-04-30", "04/21/2018"), ("2020-06-22", "06/13/2020"), ("2021-05-03", "05/08/2021"),
            ("2021-06-25", "06/19/2021"), ("2021-11-19", "11/13/2021"), ("2023-05-05", "05/20/2023"),
            ("2024-12-23", "12/14/2024"), ("2024-12-30", "12/28/2024"), ("2025-05-02", "05/10/2025"),
            ("2025-11-17", "11/08/2025"), ("2026-01-02", "01/17/2026"), ("2026-06-22", "06/27/2026"),
        ]
        let declared: [(String, String)] = [
            ("2018-07-09", "Nationwide Latvian Song and Dance Celebration Final Day"),
            ("2018-09-24", "Day of the Pastoral Visit of His Holiness Pope Francis to Latvia"),
            ("2023-05-29", "Day of the Latvian Ice Hockey Team's Bronze Medal Win at the 2023 IIHF World Championship"),
            ("2023-07-10", "Nationwide Latvian Song and Dance Celebration Final Day"),
        ]
        return substituted.map { HolidayRule("Day off (substituted from \($0.1))", .once(LocalDate(iso: $0.0)!)) }
            + declared.map { HolidayRule($0.1, .once(LocalDate(iso: $0.0)!)) }
    }()

    public static let unitedStates = HolidaySet(id: "US", name: "United States federal holidays", rules: [
        HolidayRule("New Year's Day", .fixed(month: 1, day: 1), observance: .nearestWeekday),
        HolidayRule("Martin Luther King Jr. Day", .nthWeekday(month: 1, weekday: .monday, n: 3), years: 1986...9999),
        HolidayRule("Washington's Birthday", .nthWeekday(month: 2, weekday: .monday, n: 3), years: 1971...9999),
        HolidayRule("Memorial Day", .nthWeekday(month: 5, weekday: .monday, n: -1), years: 1971...9999),
        HolidayRule("Juneteenth National Independence Day", .fixed(month: 6, day: 19), years: 2021...9999,
                    observance: .nearestWeekday),
        HolidayRule("Independence Day", .fixed(month: 7, day: 4), observance: .nearestWeekday),
        HolidayRule("Labor Day", .nthWeekday(month: 9, weekday: .monday, n: 1)),
        HolidayRule("Columbus Day", .nthWeekday(month: 10, weekday: .monday, n: 2), years: 1971...9999),
        HolidayRule("Veterans Day", .fixed(month: 11, day: 11), observance: .nearestWeekday),
        HolidayRule("Thanksgiving Day", .nthWeekday(month: 11, weekday: .thursday, n: 4)),
        HolidayRule("Christmas Day", .fixed(month: 12, day: 25), observance: .nearestWeekday),
    ])
}
