public import BusinessTime

/// A customer's scheduled maintenance in one calendar year, held to its contract's limits (Plex's
/// Enhanced Business Continuity: 60 minutes in each of ten calendar months and 240 minutes in two).
/// The limits are policy data; this is their arithmetic. Minutes are counted per calendar month of
/// the contract's zone, overlapping windows once (the time the system was down), a window across
/// midnight of a month's end in both months.
///
/// Which months may use the larger allowance is not fixed in advance: the months that used the
/// most hold the largest limits — the busiest month the 240, the next the other 240, every other
/// month 60 — which admits a year exactly when some assignment of the limits to the months would.
///
/// ```swift
/// let year = try MaintenanceYear(year: 2026, windows: windows, limits: plex.rules.maintenanceLimits, zone: "America/Detroit")
/// year.months[2]        // March: 180 minutes used of 240
/// year.isWithinLimits   // false once a third month passes 60 minutes
/// ```
public struct MaintenanceYear: Sendable, Equatable {
    /// A maintenance window: from `start` to `end`, seconds since 1970 UTC.
    public struct Window: Sendable, Equatable {
        public let start: Int64
        public let end: Int64

        public init(start: Int64, end: Int64) {
            self.start = start
            self.end = end
        }
    }

    /// One calendar month of the year.
    public struct Month: Sendable, Equatable {
        /// 1 to 12.
        public let month: Int
        /// Seconds of maintenance in the month.
        public let seconds: Int64
        /// The limit the month is held to, in minutes (0 when the limits cover fewer than 12 months
        /// and this month holds none).
        public let allowance: Int

        /// Minutes used, a started minute counted whole.
        public var minutes: Int { Int((seconds + 59) / 60) }

        /// Whether the month used more than its allowance.
        public var isOver: Bool { seconds > Int64(allowance) * 60 }
    }

    public let year: Int
    /// January to December.
    public let months: [Month]
    /// Whether the contract sets limits at all (without any, every year is within them).
    public let isLimited: Bool

    /// Whether no month used more than it may.
    public var isWithinLimits: Bool { !isLimited || months.allSatisfy { !$0.isOver } }

    /// The months past their allowance.
    public var monthsOver: [Month] { isLimited ? months.filter(\.isOver) : [] }

    /// The year `year` of `windows` in `zone`, held to `limits`.
    public init(year: Int, windows: [Window], limits: [MaintenanceLimit], zone: String) throws(CalendarError) {
        let clock = try ZoneClock(identifier: zone)
        self.year = year
        isLimited = !limits.isEmpty
        // The month boundaries of the year, in the zone: 13 instants.
        let bounds = (0...12).map { index in
            clock.startOfDay(LocalDate(year: year + index / 12, month: index % 12 + 1, day: 1)!)
        }
        var seconds = [Int64](repeating: 0, count: 12)
        for window in Self.merged(windows) {
            for index in 0..<12 {
                let from = max(window.start, bounds[index]), to = min(window.end, bounds[index + 1])
                if to > from { seconds[index] += to - from }
            }
        }
        // The largest limits to the months that used the most (ties: the earlier month first).
        let slots = limits.flatMap { Array(repeating: $0.minutes, count: $0.monthsPerYear) }.sorted(by: >)
        let ranked = (0..<12).sorted { seconds[$0] != seconds[$1] ? seconds[$0] > seconds[$1] : $0 < $1 }
        var allowance = [Int](repeating: 0, count: 12)
        for (rank, month) in ranked.enumerated() { allowance[month] = rank < slots.count ? slots[rank] : 0 }
        months = (0..<12).map { Month(month: $0 + 1, seconds: seconds[$0], allowance: allowance[$0]) }
    }

    /// The windows with overlaps joined (empty and inverted windows dropped).
    static func merged(_ windows: [Window]) -> [Window] {
        var result: [Window] = []
        for window in windows.filter({ $0.end > $0.start }).sorted(by: { $0.start < $1.start }) {
            if let last = result.last, window.start <= last.end {
                result[result.count - 1] = Window(start: last.start, end: max(last.end, window.end))
            } else {
                result.append(window)
            }
        }
        return result
    }
}
