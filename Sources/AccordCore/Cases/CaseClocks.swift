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
        /// Why the clock has no status: "no target", not started yet (what it waits for), no CVSS score.
        public let note: String?

        /// Set when the request was classified out of scope and so left the SLA. Such a clock counts
        /// no more; one that was already breached or met then keeps that status as it stood.
        public var excluded = false
        /// Set when the case ended (resolved, closed or withdrawn) before the clock's own event and
        /// within its due, and the policy says the clock then no longer applies: neither met nor breached.
        public var cancelled = false
        /// Why the clock ended as it did when the case's resolution ended it.
        public var ending: String?
        /// Set when a priority change moved the clock to another target while it counted: what
        /// changed, and from when the new target counts.
        public var retarget: Retarget?
        /// For recurring clocks (`next-reply`, `periodic-update`): which run this is, from 1.
        public var cycle: Int?
        /// What the SLA monitor raises while the clock counts: a warning at each of the policy's
        /// `warn-at-percent` shares of the budget, and the breach at the due instant. Empty for a
        /// clock that is stopped, paused, not started or without a target.
        public var alarms: [ClockAlarm] = []
        /// For a metric that promises to tell the customer when it will be late (`notify-when-late`)
        /// and has started: whether that notice is owed, given or missed.
        public var lateNotice: LateNotice?
        /// How the target counts time — open time of the calendar or elapsed time — for a clock
        /// that started; what a report's time used is measured in.
        public var measure: AttainmentSample.Measure?

        /// Time used, pauses excluded, by a clock that is decided — met or breached by its event (or
        /// before its request left the SLA) — in `measure`; nil for every other clock.
        public var used: Int64? {
            guard let status, status.state == .met || status.state == .breached, status.stoppedAt != nil || excluded, !cancelled else { return nil }
            return status.elapsed
        }

        public init(metric: String, target: String?, status: ClockStatus?, note: String?) {
            self.metric = metric
            self.target = target
            self.status = status
            self.note = note
        }

        /// `running`, `paused`, `met`, `breached`, `cancelled`, `not-started`, `no-target` or `excluded`.
        public var state: String {
            if excluded, let outcome = status?.state, outcome == .breached || outcome == .met { return outcome.rawValue }
            if excluded { return "excluded" }
            if cancelled { return "cancelled" }
            return status?.state.rawValue ?? (target == nil ? "no-target" : "not-started")
        }
    }

    /// A priority change that re-targeted a counting clock.
    public struct Retarget: Sendable, Equatable {
        public let from: String?
        public let to: String?
        public let at: Int64
        /// Whether the change moved to a more urgent priority.
        public let upgrade: Bool
        public let rule: PriorityChangeRule
    }

    public let policy: Policy
    public let plan: String
    public let region: String

    public init(policy: Policy, plan: String, region: String) {
        self.policy = policy
        self.plan = plan
        self.region = region
    }

    /// Every metric's clock at `now`. A priority change re-targets counting clocks — from the
    /// clock's original start with the pause time carried over (`retroactive`), or from the change
    /// (`from-change`), as the policy says for upgrades and downgrades. A request classified out of
    /// scope leaves the SLA when the policy says so: its clocks stop counting and show `excluded`.
    /// The case's resolution ends every clock still counting: met or cancelled as the metric says
    /// (`on-resolution`), cancelled when the customer withdrew it; a reopened case's clocks resume,
    /// the time it spent resolved not counted.
    public func clocks(for timeline: CaseTimeline, at now: Int64) throws(QueryError) -> [Clock] {
        if let marking = timeline.outOfScopeMarking, policy.rules.scopeExclusions?.leavesSLA ?? true {
            return try excluded(timeline, classification: marking.classification, since: marking.at)
        }
        var result: [Clock] = []
        for metric in policy.metrics {
            result.append(try clock(metric, timeline, at: now))
        }
        return result
    }

    /// Why `metric`'s clock falls due when it does, at `now`: the engine's explanation of its
    /// deadline, each pause with its cause. Nil when the clock does not count (not started, no
    /// target, cancelled before it started, out of scope before it ended).
    public func explanation(of metricID: String, for timeline: CaseTimeline, at now: Int64) throws(QueryError) -> ClockExplanation? {
        guard let metric = policy.metrics.first(where: { $0.id == metricID }) else {
            throw .invalid(field: "metric", value: metricID, reason: "the policy has no metric '\(metricID)'; metrics: \(policy.metrics.map(\.id).joined(separator: ", "))")
        }
        var facts = timeline
        var instant = now
        if let marking = timeline.outOfScopeMarking, policy.rules.scopeExclusions?.leavesSLA ?? true {
            // The record as it stood when the request left the SLA.
            (facts, instant) = (timeline.beforeOutOfScope, min(now, marking.at))
        }
        let (clock, engine) = try counting(metric, facts, at: instant)
        guard let engine, let status = clock.status else { return nil }
        let deadline: Deadline
        let explained: DeadlineExplanation
        do {
            deadline = try engine.deadline(at: instant)
            explained = try DeadlineExplanation(deadline, on: engine.calendar)
        } catch {
            throw .invalid(field: "timeline", value: "", reason: "\(error)")
        }
        let causes = deadline.pauses.map { facts.pauseCause(at: $0.pause.start) }
        var resumes: DeadlineExplanation.Instant?
        let business = deadline.target.kind == .businessTime || deadline.target.kind == .businessDays
        if business, status.state == .running, status.stoppedAt == nil {
            do {
                if !(try engine.calendar.isOpen(at: instant)) {
                    let opening = try engine.calendar.firstOpenInstant(atOrAfter: instant)
                    resumes = .init(epochSeconds: opening, local: ISO8601.format(opening, offset: try engine.calendar.offset(at: opening)))
                }
            } catch {
                throw .invalid(field: "timeline", value: "", reason: "\(error)")
            }
        }
        return ClockExplanation(metric: metric.id, name: metric.name, state: clock.state, deadline: explained, pauseCauses: causes,
                                pausedNow: status.state == .paused, retarget: clock.retarget, cycle: clock.cycle, ending: clock.ending,
                                resumesAt: resumes)
    }

    /// The clocks of a request classified out of scope at `since`: none counts any more, but what
    /// was decided before the classification stays on record — a clock already breached then stays
    /// breached (its overrun as it stood), one already met stays met. Only the facts before the
    /// classification are read, so nothing said later changes that record.
    private func excluded(_ timeline: CaseTimeline, classification: String, since: Int64) throws(QueryError) -> [Clock] {
        let before = timeline.beforeOutOfScope
        var result: [Clock] = []
        for metric in policy.metrics {
            let atMarking = try clock(metric, before, at: since)
            var clock: Clock
            switch atMarking.status?.state {
            case .breached?, .met?:
                let outcome = atMarking.status?.state == .breached ? "breached" : "met"
                clock = Clock(metric: metric.id, target: atMarking.target, status: atMarking.status,
                              note: "\(outcome) before the request was classified out of scope (\(classification)); the record stands")
                clock.retarget = atMarking.retarget
                clock.cycle = atMarking.cycle
                clock.measure = atMarking.measure
            default:
                clock = Clock(metric: metric.id, target: nil, status: nil, note: "out of scope (\(classification)): not under the SLA")
            }
            clock.excluded = true
            result.append(clock)
        }
        return result
    }

    /// One run of a clock: when it started, the event that meets it (if it came), and for
    /// recurring clocks which run it is.
    private struct Run {
        var start: Int64
        var stop: Int64?
        var cycle: Int?
    }

    private func clock(_ metric: Metric, _ timeline: CaseTimeline, at now: Int64) throws(QueryError) -> Clock {
        try counting(metric, timeline, at: now).clock
    }

    /// The clock of `metric` at `now`, and the engine's clock that counts it when it counts.
    private func counting(_ metric: Metric, _ timeline: CaseTimeline, at now: Int64) throws(QueryError) -> (clock: Clock, engine: SLAClock?) {
        let priority = timeline.currentPriority
        let closure = timeline.closure
        // The conversation up to the case's resolution drives the recurring clocks; what is said
        // on a resolved case starts nothing until it is reopened.
        let messages = timeline.messages.filter { message in closure.map { message.at <= $0.at } ?? true }
        let run: Run
        switch metric.kind {
        case .initialResponse:
            run = Run(start: timeline.loggedAt, stop: timeline.firstProviderReply)
        case .resolution:
            // Met by the provider's resolution (below), never by an event of its own.
            guard let confirmed = timeline.defectConfirmedAt else {
                return (notStarted(metric, priority: priority, cvss: timeline.cvss, note: "not started: waits for \(metric.start.rawValue)"), nil)
            }
            run = Run(start: confirmed)
        case .patch:
            // Only vulnerability cases, which carry a CVSS score, run a patch clock.
            guard timeline.cvss != nil else {
                return (Clock(metric: metric.id, target: nil, status: nil, note: "not a vulnerability case: no CVSS score"), nil)
            }
            // "If an official software patch is not available at the time of notification, the
            // rectification period will begin when a patch becomes available."
            guard let available = timeline.patchAvailableAt else {
                return (notStarted(metric, priority: priority, cvss: timeline.cvss, note: "waiting for a patch: starts when an official patch is available"), nil)
            }
            run = Run(start: max(timeline.loggedAt, available))
        case .nextReply:
            let cycles = ClockCycles.nextReply(messages)
            guard let last = cycles.last else {
                return (notStarted(metric, priority: priority, cvss: timeline.cvss, note: "not started: waits for a customer message"), nil)
            }
            run = Run(start: last.start, stop: last.stop, cycle: cycles.count)
        case .periodicUpdate:
            let cycles = ClockCycles.periodicUpdate(loggedAt: timeline.loggedAt, messages)
            let last = cycles[cycles.count - 1]
            run = Run(start: last.start, stop: last.stop, cycle: cycles.count)
        }

        var start = run.start
        // The case ended before this run started (a patch recorded on a resolved case): nothing to count.
        if let closure, closure.at <= start, run.stop == nil {
            var clock = Clock(metric: metric.id, target: target(metric, priority: priority, cvss: timeline.cvss)?.description, status: nil,
                              note: "the case was resolved before the clock started")
            clock.cancelled = true
            return (clock, nil)
        }
        // The event that ends the run: its own, or the case's resolution if that came first.
        var stop = run.stop
        var endedByResolution: Resolution??
        if let closure, stop.map({ closure.at < $0 }) ?? true {
            stop = closure.at
            endedByResolution = .some(closure.resolution)
        }

        // Priority changes while the run counted re-target it, by the rule for their direction.
        var retarget: Retarget?
        for change in timeline.priorityChanges where change.at > start && stop.map({ change.at < $0 }) ?? true {
            let upgrade = policy.rank(ofPriority: change.to) < policy.rank(ofPriority: change.from)
            let rule = policy.rules.priorityChange.rule(upgrade: upgrade)
            if rule == .fromChange { start = change.at }
            retarget = Retarget(from: change.from, to: change.to, at: change.at, upgrade: upgrade, rule: rule)
        }

        let answer = try policy.answer(DeadlineQuery(
            plan: plan, priority: priority, region: region, metric: metric.id, opened: .instant(start),
            confirmed: metric.start == .defectConfirmed ? .instant(start) : nil, cvss: timeline.cvss,
            patchAvailable: metric.kind == .patch ? .instant(start) : nil
        ))
        guard let target = answer.target else {
            return (Clock(metric: metric.id, target: nil, status: nil, note: "no target"), nil)
        }
        // Time awaiting the customer (as the metric says) and time spent resolved before a reopening do not count.
        let statusPauses = timeline.pauses(whileIn: metric.pausedBy)
        let closedPauses = (statusPauses.closed + timeline.endedStretches)
            .filter { $0.1 > start }.map { (max($0.0, start), $0.1) }.sorted { $0.0 < $1.0 }
        let clock = SLAClock(
            target: target, startEvent: start,
            pauses: closedPauses.compactMap { try? Pause(start: $0.0, end: $0.1) },
            pausedSince: statusPauses.openSince.map { max($0, start) }, stoppedAt: stop, calendar: answer.calendar
        )
        let status: ClockStatus
        do { status = try clock.status(at: now) } catch {
            throw .invalid(field: "timeline", value: "", reason: error.description)
        }
        var derived = Clock(metric: metric.id, target: target.description, status: status, note: nil)
        derived.retarget = retarget
        derived.cycle = run.cycle
        derived.measure = AttainmentSample.Measure(target.kind)
        if let ended = endedByResolution, status.stoppedAt != nil {
            // Withdrawn by the customer, or merged into the case that carries the request on: the
            // provider delivered nothing here, so no clock is met — it is cancelled, or stays breached.
            let delivered = ended?.byProvider ?? true
            let meaning: ResolutionMeaning = delivered ? metric.onResolution : .cancelled
            let how = switch ended { case .withdrawn?: "withdrawn"; case .duplicate?: "merged into another case"; default: "resolved" }
            if status.state == .breached {
                derived.ending = "the case was \(how) after the due had passed: the breach stands"
            } else if meaning == .cancelled {
                derived.cancelled = true
                derived.ending = switch ended {
                case .withdrawn?: "the customer withdrew the request: the clock no longer applies"
                case .duplicate?: "the case was merged into another, whose clocks carry the request on: this one no longer applies"
                default: "the case was resolved before the \(metric.name.lowercased()) was given: it no longer applies"
                }
            } else {
                derived.ending = "met by the case's resolution\(ended.map { " (\($0.rawValue))" } ?? "")"
            }
        }
        if status.stoppedAt == nil, status.state == .running || status.state == .breached {
            let percents = policy.rules.warnAtPercent
            do {
                derived.alarms = (zip(percents, try clock.instants(whenPercentsUsed: percents)).map { ClockAlarm(kind: "warning-\($0)", at: $1) }
                    + [ClockAlarm(kind: ClockAlarm.breach, at: status.due)]).map { $0.inCycle(run.cycle) }
            } catch {
                throw .invalid(field: "timeline", value: "", reason: error.description)
            }
        }
        if metric.notifyWhenLate, !derived.cancelled {
            let notice = LateNotice(status: status, latest: timeline.latestLateNotice(since: start), at: now)
            derived.lateNotice = notice
            // The estimate given to the customer is a promise too: staff hear when it passes.
            if let estimate = notice.estimate, !derived.alarms.isEmpty {
                derived.alarms.append(ClockAlarm(kind: ClockAlarm.estimatePassed(estimate), at: estimate))
            }
        }
        return (derived, clock)
    }

    /// A clock that has not started: its target shows when the policy sets one (else `no-target`).
    private func notStarted(_ metric: Metric, priority: String?, cvss: Double?, note: String) -> Clock {
        guard let target = target(metric, priority: priority, cvss: cvss) else {
            return Clock(metric: metric.id, target: nil, status: nil, note: "no target")
        }
        return Clock(metric: metric.id, target: target.description, status: nil, note: note)
    }

    private func target(_ metric: Metric, priority: String?, cvss: Double?) -> TimeTarget? {
        if metric.kind == .patch { return cvss.flatMap(metric.band(forCVSS:))?.target }
        if case .target(let target) = metric.target(plan: plan, priority: priority) { return target }
        return nil
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

    /// Whether `kind` is a breach: `breach`, or `breach@N` for run N of a recurring clock.
    public static func isBreach(_ kind: String) -> Bool { kind == breach || kind.hasPrefix(breach + "@") }

    /// The alarm's kind for run `cycle` of a recurring clock: runs after the first carry `@N`
    /// (`warning-75@2`, `breach@2`), so that each run is warned about and breached once.
    public func inCycle(_ cycle: Int?) -> ClockAlarm {
        guard let cycle, cycle > 1 else { return self }
        return ClockAlarm(kind: "\(kind)@\(cycle)", at: at)
    }

    public let kind: String
    public let at: Int64

    public init(kind: String, at: Int64) {
        self.kind = kind
        self.at = at
    }
}
