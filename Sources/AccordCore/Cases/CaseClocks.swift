public import BusinessTime

/// Derives a case's SLA clocks from its policy cell and timeline. Clocks are never stored as truth:
/// they are recomputed from the facts, so they always explain themselves.
public struct CaseClocks: Sendable {
    /// One clock of a case and where it stands.
    public struct Clock: Sendable, Equatable {
        public let metric: String
        /// The target in the contract's words; nil for "no target".
        public let target: String?
        public let status: ClockStatus?
        /// When the policy says "no target" or the clock has not started (no defect confirmed yet).
        public let note: String?

        /// Set when the request was classified out of scope and so left the SLA.
        public var excluded = false
        /// What the SLA monitor raises while the clock counts: a warning at each of the policy's
        /// `warn-at-percent` shares of the budget, and the breach at the due instant. Empty for a
        /// clock that is stopped, paused, not started or without a target.
        public var alarms: [ClockAlarm] = []
        /// For a metric that promises to tell the customer when it will be late (`notify-when-late`)
        /// and has started: whether that notice is owed, given or missed.
        public var lateNotice: LateNotice?

        /// `running`, `paused`, `met`, `breached`, `not-started`, `no-target` or `excluded`.
        public var state: String {
            if excluded { return "excluded" }
            return status?.state.rawValue ?? (target == nil ? "no-target" : "not-started")
        }
    }

    public let policy: Policy
    public let plan: String
    public let region: String

    public init(policy: Policy, plan: String, region: String) {
        self.policy = policy
        self.plan = plan
        self.region = region
    }

    /// Every metric's clock at `now`. A priority change re-targets running clocks from the case's
    /// original start with the pause time carried over (the current priority's target applies).
    /// A request classified out of scope leaves the SLA when the policy says so: its clocks stop
    /// counting and show `excluded`.
    public func clocks(for timeline: CaseTimeline, at now: Int64) throws(QueryError) -> [Clock] {
        if let classification = timeline.outOfScope, policy.rules.scopeExclusions?.leavesSLA ?? true {
            return policy.metrics.filter { $0.kind != .nextReply && $0.kind != .periodicUpdate }.map { metric in
                var clock = Clock(metric: metric.id, target: nil, status: nil, note: "out of scope (\(classification)): not under the SLA")
                clock.excluded = true
                return clock
            }
        }
        var result: [Clock] = []
        for metric in policy.metrics where metric.kind != .nextReply && metric.kind != .periodicUpdate {
            let start: Int64?
            let stop: Int64?
            switch metric.kind {
            case .initialResponse:
                start = timeline.loggedAt
                stop = timeline.firstProviderReply
            case .resolution:
                start = timeline.defectConfirmedAt
                stop = timeline.resolvedAt
            case .patch:
                // Only vulnerability cases, which carry a CVSS score, run a patch clock.
                guard timeline.cvss != nil else {
                    result.append(Clock(metric: metric.id, target: nil, status: nil, note: "not a vulnerability case: no CVSS score"))
                    continue
                }
                start = max(timeline.loggedAt, timeline.patchAvailableAt ?? timeline.loggedAt)
                stop = timeline.resolvedAt
            case .nextReply, .periodicUpdate:
                continue
            }
            guard var start else {
                result.append(Clock(metric: metric.id, target: nil, status: nil, note: "not started: waits for \(metric.start.rawValue)"))
                continue
            }
            // "From the change": a change while the clock runs restarts it with the new target.
            if policy.rules.priorityChange == .fromChange, let change = timeline.lastPriorityChange, change > start,
               stop.map({ change < $0 }) ?? true {
                start = change
            }
            let allPauses = timeline.pauses(whileIn: metric.pausedBy)
            let pauses = (closed: allPauses.closed.filter { $0.1 > start }.map { (max($0.0, start), $0.1) }, openSince: allPauses.openSince.map { max($0, start) })
            var query = DeadlineQuery(
                plan: plan, priority: timeline.currentPriority, region: region, metric: metric.id,
                opened: .instant(timeline.loggedAt), cvss: timeline.cvss,
                patchAvailable: timeline.patchAvailableAt.map { .instant($0) }
            )
            if metric.kind == .resolution { query.confirmed = .instant(start) }
            let answer = try policy.answer(query)
            guard let target = answer.target else {
                result.append(Clock(metric: metric.id, target: nil, status: nil, note: "no target"))
                continue
            }
            let clock = SLAClock(
                target: target, startEvent: start,
                pauses: pauses.closed.compactMap { try? Pause(start: $0.0, end: $0.1) },
                pausedSince: pauses.openSince, stoppedAt: stop.flatMap { $0 >= start ? $0 : nil }, calendar: answer.calendar
            )
            do {
                let status = try clock.status(at: now)
                var derived = Clock(metric: metric.id, target: target.description, status: status, note: nil)
                if status.stoppedAt == nil, status.state == .running || status.state == .breached {
                    let percents = policy.rules.warnAtPercent
                    derived.alarms = zip(percents, try clock.instants(whenPercentsUsed: percents)).map { ClockAlarm(kind: "warning-\($0)", at: $1) }
                        + [ClockAlarm(kind: ClockAlarm.breach, at: status.due)]
                }
                if metric.notifyWhenLate {
                    let notice = LateNotice(status: status, latest: timeline.latestLateNotice(since: start), at: now)
                    derived.lateNotice = notice
                    // The estimate given to the customer is a promise too: staff hear when it passes.
                    if let estimate = notice.estimate, !derived.alarms.isEmpty {
                        derived.alarms.append(ClockAlarm(kind: ClockAlarm.estimatePassed(estimate), at: estimate))
                    }
                }
                result.append(derived)
            } catch {
                throw .invalid(field: "timeline", value: "", reason: error.description)
            }
        }
        return result
    }
}

/// A moment the SLA monitor raises for a counting clock: a warning when a share of the budget is
/// used (`warning-75`), or the breach at the due instant (`breach`).
public struct ClockAlarm: Sendable, Hashable, Codable {
    public static let breach = "breach"
    /// The prefix of the alarm raised when the rectification estimate told to the customer passes
    /// with the clock still counting: `estimate-passed-<estimate in unix seconds>`, so that each new
    /// estimate is a new alarm.
    public static let estimatePassedPrefix = "estimate-passed-"

    public static func estimatePassed(_ estimate: Int64) -> String { "\(estimatePassedPrefix)\(estimate)" }

    public let kind: String
    public let at: Int64

    public init(kind: String, at: Int64) {
        self.kind = kind
        self.at = at
    }
}
