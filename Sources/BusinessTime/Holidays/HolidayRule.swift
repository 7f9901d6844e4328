/// How a holiday's date is found in a given year.
public enum HolidayDate: Hashable, Sendable {
    /// The same month and day every year.
    case fixed(month: Int, day: Int)
    /// Easter Sunday plus `offset` days (Good Friday is -2, Ascension +39).
    case easter(offset: Int)
    /// The `n`th `weekday` of `month`; a negative `n` counts from the end (-1 is the last).
    case nthWeekday(month: Int, weekday: Weekday, n: Int)
    /// The first `weekday` on or after `month`/`day` (Swedish Midsummer Day: first Saturday from 20 June).
    case firstWeekday(weekday: Weekday, onOrAfterMonth: Int, day: Int)
    /// One date only (a decreed one-off day off).
    case once(LocalDate)

    /// The date in `year`, or nil when the rule has no date that year.
    public func date(in year: Int) -> LocalDate? {
        switch self {
        case .fixed(let month, let day):
            return LocalDate(year: year, month: month, day: day)
        case .easter(let offset):
            return LocalDate.easterSunday(of: year).adding(days: offset)
        case .nthWeekday(let month, let weekday, let n):
            if n > 0 {
                let first = LocalDate(year: year, month: month, day: 1)!
                let shift = (weekday.rawValue - first.weekday.rawValue + 7) % 7
                let date = first.adding(days: shift + 7 * (n - 1))
                return date.month == month ? date : nil
            }
            let last = LocalDate(year: year, month: month, day: LocalDate.daysIn(month: month, year: year))!
            let shift = (last.weekday.rawValue - weekday.rawValue + 7) % 7
            let date = last.adding(days: -shift - 7 * (-n - 1))
            return date.month == month ? date : nil
        case .firstWeekday(let weekday, let month, let day):
            guard let from = LocalDate(year: year, month: month, day: day) else { return nil }
            return from.adding(days: (weekday.rawValue - from.weekday.rawValue + 7) % 7)
        case .once(let date):
            return date.year == year ? date : nil
        }
    }
}

/// What happens when a holiday falls on a weekend.
public enum Observance: String, Hashable, Sendable, CaseIterable {
    /// Nothing: the day off is lost.
    case none
    /// Saturday is observed on the Friday before, Sunday on the Monday after (US federal).
    case nearestWeekday = "nearest-weekday"
    /// Saturday and Sunday are observed on the following Monday.
    case nextMonday = "next-monday"

    /// The observed date, when it differs from `date`.
    public func observedDate(for date: LocalDate) -> LocalDate? {
        switch (self, date.weekday) {
        case (.nearestWeekday, .saturday): date.adding(days: -1)
        case (.nearestWeekday, .sunday): date.adding(days: 1)
        case (.nextMonday, .saturday): date.adding(days: 2)
        case (.nextMonday, .sunday): date.adding(days: 1)
        default: nil
        }
    }
}

/// One named holiday: how its date is found, in which years it exists, and how it is observed.
public struct HolidayRule: Hashable, Sendable {
    public let name: String
    public let date: HolidayDate
    public let years: ClosedRange<Int>
    public let observance: Observance
    /// The first year a weekend occurrence is moved to a weekday.
    public let observedSince: Int

    public init(
        _ name: String, _ date: HolidayDate, years: ClosedRange<Int> = 1900...9999,
        observance: Observance = .none, observedSince: Int = 1900
    ) {
        self.name = name
        self.date = date
        self.years = years
        self.observance = observance
        self.observedSince = observedSince
    }

    /// The days off this rule gives whose date falls in `year` (observed days included).
    public func holidays(in year: Int) -> [Holiday] {
        var result: [Holiday] = []
        // An observed day can fall in the year before its holiday (1 January on a Saturday).
        for ruleYear in [year, year + 1] where years.contains(ruleYear) {
            guard let actual = date.date(in: ruleYear) else { continue }
            if actual.year == year { result.append(Holiday(date: actual, name: name)) }
            if ruleYear >= observedSince, let observed = observance.observedDate(for: actual), observed.year == year {
                result.append(Holiday(date: observed, name: "\(name) (observed)"))
            }
        }
        return result
    }
}

/// A day off on a date, named.
public struct Holiday: Hashable, Sendable, CustomStringConvertible {
    public let date: LocalDate
    public let name: String

    public init(date: LocalDate, name: String) {
        self.date = date
        self.name = name
    }

    public var description: String { "\(date) \(name)" }
}
