/// The opening hours of one day: sorted, non-overlapping intervals (empty means closed).
public struct DayHours: Hashable, Sendable, CustomStringConvertible {
    public let intervals: [OpenInterval]

    /// Creates a day's hours; throws when intervals overlap.
    public init(_ intervals: [OpenInterval]) throws(CalendarError) {
        let sorted = intervals.sorted { $0.start < $1.start }
        for (previous, next) in zip(sorted, sorted.dropFirst()) where next.start < previous.end {
            throw .overlappingIntervals("\(previous) and \(next)")
        }
        self.intervals = sorted
    }

    public static let closed = try! DayHours([])
    public static let wholeDay = try! DayHours([.wholeDay])

    public var isClosed: Bool { intervals.isEmpty }

    public var description: String {
        isClosed ? "closed" : intervals.map(\.description).joined(separator: ", ")
    }
}
