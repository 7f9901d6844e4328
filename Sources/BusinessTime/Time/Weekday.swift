/// A day of the week, Monday first (ISO 8601).
public enum Weekday: Int, CaseIterable, Sendable, Comparable, CustomStringConvertible {
    case monday = 1, tuesday, wednesday, thursday, friday, saturday, sunday

    /// Parses `mon`, `monday`, `Mon` and the like.
    public init?(name: some StringProtocol) {
        let key = name.lowercased()
        guard let match = Weekday.allCases.first(where: { key == $0.shortName || key == $0.description }) else {
            return nil
        }
        self = match
    }

    public var shortName: String { String(description.prefix(3)) }

    public var description: String {
        switch self {
        case .monday: "monday"
        case .tuesday: "tuesday"
        case .wednesday: "wednesday"
        case .thursday: "thursday"
        case .friday: "friday"
        case .saturday: "saturday"
        case .sunday: "sunday"
        }
    }

    public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.rawValue < rhs.rawValue }
}
