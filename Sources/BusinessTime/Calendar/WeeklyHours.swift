/// The regular opening hours of each weekday.
public struct WeeklyHours: Hashable, Sendable {
    private let days: [DayHours]

    /// Creates weekly hours from the days given; days not listed are closed.
    public init(_ hours: [Weekday: DayHours]) {
        days = Weekday.allCases.map { hours[$0] ?? .closed }
    }

    /// Open around the clock, every day (24×7).
    public static let always = WeeklyHours(Dictionary(uniqueKeysWithValues: Weekday.allCases.map { ($0, DayHours.wholeDay) }))

    public subscript(weekday: Weekday) -> DayHours { days[weekday.rawValue - 1] }

    public var isAlwaysOpen: Bool { days.allSatisfy { $0 == .wholeDay } }
    public var hasOpenTime: Bool { days.contains { !$0.isClosed } }
}
