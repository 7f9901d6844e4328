/// A stretch during which a clock stood still, `[start, end)` in seconds since 1970 UTC.
public struct Pause: Hashable, Sendable {
    public let start: Int64
    public let end: Int64

    public init(start: Int64, end: Int64) throws(PauseError) {
        guard end > start else { throw .inverted(start: start, end: end) }
        self.start = start
        self.end = end
    }

    /// Sorts pauses and refuses overlapping ones.
    public static func validated(_ pauses: [Pause]) throws(PauseError) -> [Pause] {
        let sorted = pauses.sorted { $0.start < $1.start }
        for (a, b) in zip(sorted, sorted.dropFirst()) where b.start < a.end {
            throw .overlapping(a, b)
        }
        return sorted
    }
}

public enum PauseError: Error, Equatable, Sendable, CustomStringConvertible {
    case inverted(start: Int64, end: Int64)
    case overlapping(Pause, Pause)

    public var description: String {
        switch self {
        case .inverted(let start, let end):
            "pause \(ISO8601.utc(start))/\(ISO8601.utc(end)) ends before it starts: write FROM/TO with FROM earlier than TO"
        case .overlapping(let a, let b):
            "pauses \(ISO8601.utc(a.start))/\(ISO8601.utc(a.end)) and \(ISO8601.utc(b.start))/\(ISO8601.utc(b.end)) overlap: a clock can only be paused once at a time"
        }
    }
}
