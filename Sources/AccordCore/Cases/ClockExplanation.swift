public import BusinessTime

/// Why a case's clock falls due when it does: the engine's explanation of the deadline, with the
/// cause of each pause (the status the case waited in, or a stretch spent resolved before it was
/// reopened), and what changed the clock on the way (a priority change, the case's resolution).
public struct ClockExplanation: Sendable, Equatable {
    public let metric: String
    /// The metric's name in the contract's words.
    public let name: String
    /// As `CaseClocks.Clock.state`.
    public let state: String
    public let deadline: DeadlineExplanation
    /// Why each of `deadline.pauses` paused the clock, in the same order.
    public let pauseCauses: [String]
    /// The clock is paused now: its due is the due if it resumed at once.
    public let pausedNow: Bool
    public let retarget: CaseClocks.Retarget?
    public let cycle: Int?
    public let ending: String?
    /// For a business-hours clock still counting: nil while its calendar is open now; when closed,
    /// the instant it opens again and the clock resumes counting.
    public let resumesAt: DeadlineExplanation.Instant?
}

extension CaseTimeline {
    /// Why a pause that began at `start` paused the clocks: the status the case entered then.
    public func pauseCause(at start: Int64) -> String {
        var status: CaseStatus?
        for case .statusChange(let to, let at, _) in events where at <= start { status = to }
        switch status {
        case .resolved?, .closed?: return "the case was \(status!.rawValue) until it was reopened"
        case let status?: return "the case was \(status.rawValue)"
        case nil: return "paused"
        }
    }
}
