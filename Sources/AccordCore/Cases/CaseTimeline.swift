/// The SLA-relevant facts of a case, in time order: what the clocks are derived from.
public struct CaseTimeline: Sendable, Equatable {
    public enum Event: Sendable, Equatable {
        /// A public reply by provider staff.
        case providerReply(at: Int64)
        /// A message from the customer.
        case customerMessage(at: Int64)
        /// A change of status; a change to `resolved` carries its outcome.
        case statusChange(to: CaseStatus, at: Int64, resolution: Resolution? = nil)
        case priorityChange(to: String?, at: Int64)
        case defectConfirmed(at: Int64)
        /// An official patch became available at `since` (recorded at `at`; `since` may be earlier).
        case patchAvailable(since: Int64, at: Int64)
        /// The request was classified out of scope (`consultancy`).
        case outOfScope(classification: String, at: Int64)
        /// The customer was told the defect can't be rectified in its period, with when it will be.
        case lateNotice(estimate: Int64, at: Int64)

        public var at: Int64 {
            switch self {
            case .providerReply(let at), .customerMessage(let at), .statusChange(_, let at, _), .priorityChange(_, let at),
                 .defectConfirmed(let at), .patchAvailable(_, let at), .outOfScope(_, let at), .lateNotice(_, let at): at
            }
        }
    }

    public let loggedAt: Int64
    /// The priority the case was logged with.
    public let priority: String?
    public let cvss: Double?
    public private(set) var events: [Event]

    public init(loggedAt: Int64, priority: String?, cvss: Double? = nil, events: [Event] = []) {
        self.loggedAt = loggedAt
        self.priority = priority
        self.cvss = cvss
        self.events = events.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
    }

    public mutating func append(_ event: Event) {
        // Stable: events of one instant keep the order they were recorded in.
        let index = events.lastIndex { $0.at <= event.at }.map { $0 + 1 } ?? 0
        events.insert(event, at: index)
    }

    /// The priority in force now (the latest change, or the logged one).
    public var currentPriority: String? {
        var priority = self.priority
        for case .priorityChange(let to, _) in events { priority = to }
        return priority
    }

    /// Every change of priority, with the priority it replaced.
    public var priorityChanges: [(from: String?, to: String?, at: Int64)] {
        var priority = self.priority
        var changes: [(from: String?, to: String?, at: Int64)] = []
        for case .priorityChange(let to, let at) in events {
            changes.append((priority, to, at))
            priority = to
        }
        return changes
    }

    /// Pauses: the stretches spent in `statuses`, the last one possibly still open (end nil).
    public func pauses(whileIn statuses: [String]) -> (closed: [(Int64, Int64)], openSince: Int64?) {
        var closed: [(Int64, Int64)] = []
        var since: Int64?
        for case .statusChange(let status, let at, _) in events {
            let pausing = statuses.contains(status.rawValue)
            if pausing, since == nil {
                since = at
            } else if !pausing, let start = since {
                if at > start { closed.append((start, at)) }
                since = nil
            }
        }
        return (closed, since)
    }

    /// The stretches a case spent resolved or closed before it was reopened: no clock counts them.
    public var endedStretches: [(Int64, Int64)] {
        var stretches: [(Int64, Int64)] = []
        var since: Int64?
        for case .statusChange(let status, let at, _) in events {
            switch status {
            case .resolved, .closed: if since == nil { since = at }
            default:
                if let start = since, at > start { stretches.append((start, at)) }
                since = nil
            }
        }
        return stretches
    }

    public var firstProviderReply: Int64? {
        events.lazy.compactMap { if case .providerReply(let at) = $0 { at } else { nil } }.first
    }

    /// When the case was resolved after its last reopening (closing keeps that instant), and the
    /// outcome recorded then; nil while the case is not resolved or closed.
    public var closure: (at: Int64, resolution: Resolution?)? {
        var closure: (at: Int64, resolution: Resolution?)?
        for case .statusChange(let status, let at, let resolution) in events {
            switch status {
            case .resolved, .closed: if closure == nil { closure = (at, resolution) }
            default: closure = nil
            }
        }
        return closure
    }

    /// When the case was first resolved, or closed, after its last reopening.
    public var resolvedAt: Int64? { closure?.at }

    public var defectConfirmedAt: Int64? {
        events.lazy.compactMap { if case .defectConfirmed(let at) = $0 { at } else { nil } }.first
    }

    /// Since when an official patch is available, as first recorded.
    public var patchAvailableAt: Int64? {
        events.lazy.compactMap { if case .patchAvailable(let since, _) = $0 { since } else { nil } }.first
    }

    /// The case's conversation: customer messages and public replies, for the recurring clocks.
    public var messages: [ClockCycles.Message] {
        events.compactMap { event in
            switch event {
            case .providerReply(let at): .publicReply(at: at)
            case .customerMessage(let at): .customer(at: at)
            default: nil
            }
        }
    }

    /// The latest notice to the customer that the rectification will be late, given at or after
    /// `since` (the clock's start): when it was given and the estimate it named.
    public func latestLateNotice(since: Int64) -> (at: Int64, estimate: Int64)? {
        events.lazy.compactMap { if case .lateNotice(let estimate, let at) = $0, at >= since { (at, estimate) } else { nil } }.last
    }

    /// The classification of the request as out of scope and when it was made, if it was.
    public var outOfScopeMarking: (classification: String, at: Int64)? {
        events.lazy.compactMap { if case .outOfScope(let classification, let at) = $0 { (classification, at) } else { nil } }.first
    }

    /// The timeline as it stood when the request was classified out of scope: the events recorded
    /// before the classification (all of them when there is none).
    public var beforeOutOfScope: CaseTimeline {
        var truncated = self
        truncated.events = Array(events.prefix { if case .outOfScope = $0 { false } else { true } })
        return truncated
    }
}

/// How a resolved case ended: the provider's `fix` or `workaround`, or the customer's `withdrawn`
/// request (never counted as a promise kept).
public enum Resolution: String, Sendable, Hashable, CaseIterable {
    case fix
    case workaround
    case withdrawn
    /// Merged into another case that carries the request on: only a merge records it.
    case duplicate

    /// Whether the provider delivered something: only then may a resolution or patch clock be met.
    public var byProvider: Bool { self != .withdrawn && self != .duplicate }
}
