/// When a clock falls due, and everything needed to explain why.
public struct Deadline: Hashable, Sendable {
    public let target: TimeTarget
    /// The event that started the clock (case logged, defect confirmed, patch available).
    public let startEvent: Int64
    /// Where counting began: for business targets the first open instant at or after the event.
    public let clockStart: Int64
    public let due: Int64
    /// The pauses that moved the due instant, with how far each moved it (seconds of the target's measure).
    public let pauses: [CountedPause]
    public let calendarID: String
    public let calendarVersion: String
    public let zoneIdentifier: String
    /// The rule that produced the due instant.
    public let rule: DeadlineRule
}

/// A pause and the time it added to a deadline.
public struct CountedPause: Hashable, Sendable {
    public let pause: Pause
    /// Open seconds (business targets) or absolute seconds (calendar targets) the due moved by.
    public let addedSeconds: Int64
}
