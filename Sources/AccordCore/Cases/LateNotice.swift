/// Where a clock stands on the promise to tell the customer when it will be late (a metric with
/// `notify-when-late`, as Plixer's rectification period: "if it is not possible to rectify within
/// the period, Plixer will notify the Customer without undue delay, stating the reasons" and "an
/// estimated time of rectification").
public struct LateNotice: Sendable, Equatable {
    public enum State: String, Sendable {
        /// The clock is on time (or met in time): nothing to tell.
        case notDue = "not-due"
        /// The clock is past its due, or past the estimate last given, and still counting: the
        /// customer must be told, with the reason and a (new) estimated rectification date.
        case owed
        /// The customer was told and the estimate has not passed (or the clock has since stopped).
        case given
        /// The clock stopped past its due and the customer was never told.
        case missed
    }

    public let state: State
    /// When the latest notice was given, and the estimate it named.
    public let givenAt: Int64?
    public let estimate: Int64?

    /// The state at `now` of a clock in `status`, given the latest notice since the clock started.
    public init(status: ClockStatus, latest: (at: Int64, estimate: Int64)?, at now: Int64) {
        givenAt = latest?.at
        estimate = latest?.estimate
        if let stopped = status.stoppedAt {
            state = latest != nil ? .given : (stopped > status.due ? .missed : .notDue)
        } else if let latest {
            state = latest.estimate > now ? .given : .owed
        } else {
            state = now >= status.due ? .owed : .notDue
        }
    }
}
