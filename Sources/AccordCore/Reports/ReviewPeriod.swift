public import BusinessTime

/// A period a service review covers, named as people write it: `2026-09` (a month), `2026-Q3` (a
/// quarter), `2026` (a year). A plan's `business-reviews` entitlement names the cadences it grants
/// (Plex Gold: quarterly; Platinum: monthly and quarterly).
public struct ReviewPeriod: Hashable, Sendable, Comparable, CustomStringConvertible {
    public enum Cadence: String, Sendable, CaseIterable {
        case monthly, quarterly, yearly

        /// The months a period of the cadence spans.
        var months: Int {
            switch self {
            case .monthly: 1
            case .quarterly: 3
            case .yearly: 12
            }
        }

        /// Its periods in a year.
        var periodsPerYear: Int { 12 / months }
    }

    public let cadence: Cadence
    public let year: Int
    /// The month (1–12), the quarter (1–4), or 1 for a year.
    public let index: Int

    /// Nil for a year outside 1970–9999 or an index outside its cadence.
    public init?(_ cadence: Cadence, year: Int, index: Int) {
        guard (1970...9999).contains(year), (1...cadence.periodsPerYear).contains(index) else { return nil }
        self.cadence = cadence
        self.year = year
        self.index = index
    }

    /// Reads `2026-09`, `2026-Q3` (or `2026-q3`) and `2026`; nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        let digits: (Substring) -> Bool = { $0.allSatisfy { $0.isASCII && $0.isNumber } }
        guard let first = parts.first, first.count == 4, digits(first), let year = Int(first) else { return nil }
        switch parts.count {
        case 1:
            self.init(.yearly, year: year, index: 1)
        case 2 where parts[1].count == 2 && (parts[1].first == "Q" || parts[1].first == "q"):
            guard digits(parts[1].dropFirst()), let quarter = Int(parts[1].dropFirst()) else { return nil }
            self.init(.quarterly, year: year, index: quarter)
        case 2 where parts[1].count == 2 && digits(parts[1]):
            guard let month = Int(parts[1]) else { return nil }
            self.init(.monthly, year: year, index: month)
        default:
            return nil
        }
    }

    /// The period's first day.
    public var start: LocalDate {
        LocalDate(year: year, month: (index - 1) * cadence.months + 1, day: 1)!
    }

    /// The first day after the period.
    public var end: LocalDate {
        let next = start.month - 1 + cadence.months
        return LocalDate(year: start.year + next / 12, month: next % 12 + 1, day: 1)!
    }

    public var description: String {
        switch cadence {
        case .monthly: "\(year)-\(index < 10 ? "0" : "")\(index)"
        case .quarterly: "\(year)-Q\(index)"
        case .yearly: "\(year)"
        }
    }

    public static func < (lhs: ReviewPeriod, rhs: ReviewPeriod) -> Bool {
        (lhs.end, lhs.cadence.rawValue) < (rhs.end, rhs.cadence.rawValue)
    }

    /// The periods of `cadences` that ended on or after `from` and on or before `through` — the
    /// reviews due to be prepared when a desk looks on `through` and last looked on `from` — oldest first.
    public static func ended(_ cadences: [Cadence], from: LocalDate, through: LocalDate) -> [ReviewPeriod] {
        guard from <= through else { return [] }
        var periods: [ReviewPeriod] = []
        for cadence in Set(cadences) {
            // The period that ends first on or after `from` starts before it: walk from the year before.
            guard var period = ReviewPeriod(cadence, year: max(1970, from.year - 1), index: 1) else { continue }
            while period.end <= through {
                if period.end >= from { periods.append(period) }
                guard let next = period.next else { break }
                period = next
            }
        }
        return periods.sorted()
    }

    /// The period after this one.
    var next: ReviewPeriod? {
        index < cadence.periodsPerYear ? ReviewPeriod(cadence, year: year, index: index + 1) : ReviewPeriod(cadence, year: year + 1, index: 1)
    }
}
