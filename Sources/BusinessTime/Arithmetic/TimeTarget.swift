/// A promised amount of time and how it is measured: the four kinds of SLA target.
public struct TimeTarget: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable {
        /// Absolute time: weekends, holidays and nights count.
        case calendarTime = "calendar time"
        /// The same wall-clock time N days later in the zone.
        case calendarDays = "calendar days"
        /// Open time of the calendar only.
        case businessTime = "business time"
        /// N business days later, at the clock start's time of day.
        case businessDays = "business days"
    }

    public let kind: Kind
    /// Seconds for the time kinds, days for the day kinds.
    public let amount: Int64
    /// How the contract words it: `2 business hours`, `1 calendar hour`, `2 weeks`.
    public let description: String

    public init(kind: Kind, amount: Int64, description: String) {
        self.kind = kind
        self.amount = amount
        self.description = description
    }

    /// Parses `N [calendar|business] minute(s)|hour(s)|day(s)|week(s)`. Without a qualifier hours and
    /// minutes are calendar time and days and weeks calendar days. Hours may carry a fraction that
    /// comes to whole minutes (`1.5 business hours`); days and weeks are whole.
    public init(parsing text: some StringProtocol) throws(TargetParseError) {
        let words = text.split(whereSeparator: \.isWhitespace).map { $0.lowercased() }
        guard words.count == 2 || words.count == 3 else { throw .malformed(String(text)) }
        let number = words[0]
        guard let value = Double(number), value.isFinite, number.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" }) else {
            throw .malformed(String(text))
        }
        guard value >= 0 else { throw .negative(String(text)) }
        // Every amount is bounded before it becomes an integer: no contract promises more than ten
        // years, and a larger number would overflow (or take centuries to count) further on.
        guard value <= Self.maximumDays * 86_400 / 60 else { throw .tooLarge(String(text)) }
        let qualifier = words.count == 3 ? words[1] : nil
        guard qualifier == nil || qualifier == "calendar" || qualifier == "business" else { throw .malformed(String(text)) }
        let business = qualifier == "business"
        var unit = words[words.count - 1]
        if unit.hasSuffix("s") { unit.removeLast() }
        let seconds: Double
        switch unit {
        case "minute": seconds = value * 60
        case "hour": seconds = value * 3600
        case "day", "week":
            guard value == value.rounded() else { throw .fractionalDays(String(text)) }
            guard value * (unit == "week" ? 7 : 1) <= Self.maximumDays else { throw .tooLarge(String(text)) }
            let days = Int64(value) * (unit == "week" ? 7 : 1)
            if unit == "week" && business { throw .malformed(String(text)) }
            self.init(kind: business ? .businessDays : .calendarDays, amount: days, description: Self.normalized(words))
            return
        default:
            throw .unknownUnit(String(text))
        }
        guard seconds <= Self.maximumDays * 86_400 else { throw .tooLarge(String(text)) }
        guard seconds == (seconds / 60).rounded() * 60 else { throw .fractionalMinutes(String(text)) }
        self.init(kind: business ? .businessTime : .calendarTime, amount: Int64(seconds), description: Self.normalized(words))
    }

    /// The longest target: ten years of 366 days (3,660 days, 87,840 hours), in any measure.
    public static let maximumDays: Double = 3_660

    private static func normalized(_ words: [String]) -> String {
        words.joined(separator: " ")
    }
}

/// Why a target could not be read.
public enum TargetParseError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed(String)
    case negative(String)
    case unknownUnit(String)
    case fractionalDays(String)
    case fractionalMinutes(String)
    case tooLarge(String)

    public var description: String {
        switch self {
        case .malformed(let text):
            "target '\(text)' is not understood: write an amount, optionally 'calendar' or 'business', and a unit, e.g. '4 business hours', '1 calendar hour', '5 business days', '2 weeks'"
        case .negative(let text): "target '\(text)' is negative: amounts must be zero or more"
        case .unknownUnit(let text): "target '\(text)' has an unknown unit: use minutes, hours, days or weeks"
        case .fractionalDays(let text): "target '\(text)' must count whole days or weeks"
        case .fractionalMinutes(let text): "target '\(text)' must come to whole minutes"
        case .tooLarge(let text): "target '\(text)' is more than ten years: a target may be at most 3660 days (87840 hours) in any measure"
        }
    }
}
