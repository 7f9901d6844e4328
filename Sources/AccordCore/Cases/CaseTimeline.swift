/// The SLA-relevant facts of a case, in time order: what the clocks are derived from.
public struct CaseTimeline: Sendable, Equatable {
    public enum Event: Sendable, Equatable {
        /// A public reply by provider staff.
        case providerReply(at: Int64)
        /// A message from the customer.
        case customerMessage(at: Int64)
        case statusChange(to: CaseStatus, at: Int64)
        case priorityChange(to: String?, at: Int64)
        case defectConfirmed(at: Int64)
        case patchAvailable(at: Int64)
        /// The request was classified out of scope (`consultancy`).
        case outOfScope(classification: String, at: Int64)
        /// The customer was told the defect can't be rectified in its period, with when it will be.
        case lateNotice(estimate: Int64, at: Int64)

        public var at: Int64 {
            switch self {
            case .providerReply(let at), .customerMessage(let at), .statusChange(_, let at), .priorityChange(_, let at),
                 .defectConfirmed(let at), .patchAvailable(let at), .outOfScope(_, let at), .lateNotice(_, let at): at
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
        self.events = events.sorted { $0.at < $1.at }
    }

    public mutating func append(_ event: Event) {
        events.append(event)
        events.sort { $0.at < $1.at }
    }

    /// The priority in force now (the latest change, or the logged one).
    public var currentPriority: String? {
        var priority = self.priority
        for case .priorityChange(let to, _) in events { priority = to }
        return priority
    }

    /// Pauses: the stretches spent in `statuses`, the last one possibly still open (end nil).
    public func pauses(whileIn statuses: [String]) -> (closed: [(Int64, Int64)], openSince: Int64?) {
        var closed: [(Int64, Int64)] = []
        var since: Int64?
        for case .statusChange(let status, let at) in events {
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

    public var firstProviderReply: Int64? {
        events.lazy.compactMap { if case .providerReply(let at) = $0 { at } else { nil } }.first
    }

    /// When the case was first resolved, or closed, after its last reopening.
    public var resolvedAt: Int64? {
        var resolved: Int64?
        for case .statusChange(let status, let at) in events {
            switch status {
            case .resolved, .closed: if resolved == nil { resolved = at }
            default: resolved = nil
            }
        }
        return resolved
    }

    public var defectConfirmedAt: Int64? {
        events.lazy.compactMap { if case .defectConfirmed(let at) = $0 { at } else { nil } }.first
    }

    public var patchAvailableAt: Int64? {
        events.lazy.compactMap { if case .patchAvailable(let at) = $0 { at } else { nil } }.first
    }

    /// When the priority last changed.
    public var lastPriorityChange: Int64? {
        events.lazy.compactMap { if case .priorityChange(_, let at) = $0 { at } else { nil } }.last
    }

    /// The latest notice to the customer that the rectification will be late, given at or after
    /// `since` (the clock's start): when it was given and the estimate it named.
    public func latestLateNotice(since: Int64) -> (at: Int64, estimate: Int64)? {
        events.lazy.compactMap { if case .lateNotice(let estimate, let at) = $0, at >= since { (at, estimate) } else { nil } }.last
    }

    /// The out-of-scope classification, if the request was so marked.
    public var outOfScope: String? {
        events.lazy.compactMap { if case .outOfScope(let classification, _) = $0 { classification } else { nil } }.first
    }
}
