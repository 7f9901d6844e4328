/// What can be wrong with a calendar definition or a business-time question.
public enum CalendarError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformedInterval(String)
    case invertedInterval(String)
    case overlappingIntervals(String)
    case unknownTimeZone(String)
    case unknownHolidaySet(String, known: [String])
    case noOpenTime(calendar: String)
    case outOfRange(String)
    case malformedICalendar(line: Int, String)

    public var description: String {
        switch self {
        case .malformedInterval(let text):
            "malformed interval '\(text)': expected HH:MM-HH:MM, for example 08:00-16:00 (24:00 may end a day)"
        case .invertedInterval(let text):
            "interval '\(text)' ends before it starts (or is empty)"
        case .overlappingIntervals(let text):
            "intervals overlap: \(text)"
        case .unknownTimeZone(let zone):
            "unknown time zone '\(zone)': use an IANA name such as Europe/Oslo or America/New_York"
        case .unknownHolidaySet(let id, let known):
            "unknown holiday set '\(id)'; known sets: \(known.joined(separator: ", "))"
        case .noOpenTime(let calendar):
            "calendar '\(calendar)' has no open time within 50 years of the clock start"
        case .outOfRange(let what):
            "\(what) is outside the supported years 1900-2399"
        case .malformedICalendar(let line, let problem):
            "iCalendar line \(line): \(problem)"
        }
    }
}
