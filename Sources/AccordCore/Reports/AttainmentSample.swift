public import BusinessTime

/// One clock of one case as an attainment report counts it: where the case stands on every cut,
/// whether the clock is a contract's target or an internal one (OLA), and how it ended or stands.
/// The store reads samples from the cases; the report's arithmetic is `Attainment`'s.
public struct AttainmentSample: Sendable, Equatable {
    /// How a clock counts.
    public enum Outcome: String, Sendable, CaseIterable {
        /// Stopped by its event within the due.
        case met
        /// Stopped after its due.
        case breached
        /// Counting (or paused), within its due.
        case running
        /// Still counting, past its due: a breach already, whatever happens next.
        case breachedRunning = "breached-running"
        /// The case ended before the clock's event and the policy says the clock then no longer
        /// applies: neither met nor breached.
        case cancelled
        /// Has a target, but what starts it has not happened.
        case notStarted = "not-started"
        /// The contract sets no target for this case's plan and priority.
        case noTarget = "no-target"
        /// The request was classified out of scope (consultancy) before the clock was decided.
        case outOfScope = "out-of-scope"
    }

    /// Whose promise the clock keeps.
    public enum Agreement: String, Sendable, CaseIterable {
        /// A target the contract promises the customer.
        case contract
        /// An internal target of the provider's own (an OLA of a tier), reported apart.
        case ola
    }

    /// The case, so that every breach in a report leads to it (and its deadline explanation).
    public let caseID: String
    public let metric: String
    public let agreement: Agreement
    public let outcome: Outcome
    /// Time used, pauses excluded, in the target's measure: open seconds of the case's calendar
    /// for business-time and business-day targets, elapsed seconds otherwise. Nil when the clock
    /// has not started or has no target.
    public let used: Int64?
    /// `business` or `calendar`: the measure of `used`; a report never mixes the two in one number.
    public let measure: Measure?
    /// Where the case stands on each cut (provider, policy, customer, plan, priority, region, team,
    /// tier, agent, channel); a cut the case has no value for (no team yet) is absent.
    public let cut: [AttainmentCut: String]

    /// The measure of a clock's time.
    public enum Measure: String, Sendable, Comparable {
        case business, calendar

        /// Business time and business days count the calendar's open time; the rest elapsed time.
        public init(_ kind: TimeTarget.Kind) {
            self = kind == .businessTime || kind == .businessDays ? .business : .calendar
        }

        public static func < (lhs: Measure, rhs: Measure) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// How a clock the store keeps (its `state` as `CaseClocks.Clock.state` words it, with a
    /// clock still counting past its due stored as `running`) counts at `instant`: a running clock
    /// whose due has passed is breached while running; a paused one is running (its due moves on
    /// while it waits). Nil for a state no clock has.
    public static func outcome(ofStored state: String, due: Int64?, at instant: Int64) -> Outcome? {
        switch state {
        case "met": .met
        case "breached": .breached
        case "running": due.map { $0 < instant } == true ? .breachedRunning : .running
        case "paused": .running
        case "cancelled": .cancelled
        case "not-started": .notStarted
        case "no-target": .noTarget
        case "excluded": .outOfScope
        default: nil
        }
    }

    public init(caseID: String, metric: String, agreement: Agreement = .contract, outcome: Outcome, used: Int64?, measure: Measure?,
                cut: [AttainmentCut: String]) {
        self.caseID = caseID
        self.metric = metric
        self.agreement = agreement
        self.outcome = outcome
        self.used = used
        self.measure = measure
        self.cut = cut
    }
}

/// A way to cut an attainment report. The metric is always a cut: attainment is per metric.
public enum AttainmentCut: String, Sendable, CaseIterable, Comparable {
    case provider, policy, customer, plan, priority, region, team, tier, agent, channel

    public static func < (lhs: AttainmentCut, rhs: AttainmentCut) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
