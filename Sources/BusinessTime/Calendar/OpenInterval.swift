/// One stretch of opening hours within a day, `start` inclusive and `end` exclusive.
public struct OpenInterval: Hashable, Sendable, CustomStringConvertible {
    public let start: TimeOfDay
    public let end: TimeOfDay

    /// Creates an interval; throws when it is empty or inverted.
    public init(_ start: TimeOfDay, _ end: TimeOfDay) throws(CalendarError) {
        guard start < end else { throw .invertedInterval("\(start)-\(end)") }
        self.start = start
        self.end = end
    }

    /// Parses `08:00-12:00` (an en dash is accepted too).
    public init(parsing text: some StringProtocol) throws(CalendarError) {
        let normalized = text.replacingOccurrences(of: "–", with: "-").trimmed
        let parts = normalized.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2,
              let start = TimeOfDay(parsing: parts[0].trimmed),
              let end = TimeOfDay(parsing: parts[1].trimmed) else {
            throw .malformedInterval(String(text))
        }
        try self.init(start, end)
    }

    public var seconds: Int { end.seconds - start.seconds }

    public var description: String { "\(start)-\(end)" }

    public static let wholeDay = try! OpenInterval(.midnight, .endOfDay)
}

extension StringProtocol {
    var trimmed: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }

    func replacingOccurrences(of target: String, with replacement: String) -> String {
        String(self).split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
