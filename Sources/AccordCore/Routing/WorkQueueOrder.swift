public import BusinessTime

/// The order a team works its waiting cases in, from the policy's `queue-order`, and the reason
/// each case stands where it does. The store's "take next" sorts by the same keys
/// (``sortColumns``); the queue view sorts here, and the tests hold the two to the same order.
public struct WorkQueueOrder: Sendable {
    public let keys: [QueueOrderKey]
    /// The policy's priorities, most urgent first.
    public let priorities: [String]

    public init(policy: Policy) {
        self.keys = policy.routing.queueOrder
        self.priorities = policy.priorities.map(\.id)
    }

    /// What the order looks at for one waiting case.
    public struct Item: Sendable, Hashable {
        public let id: String
        public let inPriorityQueue: Bool
        /// The plan's ticket priority: `standard`, `higher` or `highest`.
        public let planRank: String
        public let priority: String?
        /// The earliest due instant of its running contract clocks.
        public let due: Int64?
        public let arrival: Int64

        public init(id: String, inPriorityQueue: Bool, planRank: String, priority: String?, due: Int64?, arrival: Int64) {
            self.id = id
            self.inPriorityQueue = inPriorityQueue
            self.planRank = planRank
            self.priority = priority
            self.due = due
            self.arrival = arrival
        }
    }

    /// A case's place in the queue and why it is there.
    public struct Position: Sendable, Hashable {
        public let item: Item
        /// Why it comes after the case before it (for the first: why it leads).
        public let reason: String
    }

    /// A plan's ticket priorities, the one that goes first first; a plan without one is `standard`.
    public static let ticketPriorities = ["highest", "higher", "standard"]

    /// Ticket-priority ranks, the one that goes first with 0.
    public static func rank(ofTicketPriority name: String?) -> Int {
        name.flatMap(ticketPriorities.firstIndex(of:)) ?? ticketPriorities.count - 1
    }

    /// The ticket priority of a stored rank.
    public static func ticketPriority(rank: Int) -> String {
        ticketPriorities[min(ticketPriorities.count - 1, max(0, rank))]
    }

    /// Sorts `items` and explains each position.
    public func ordered(_ items: [Item]) -> [Position] {
        let sorted = items.sorted { deciding($0, $1).first }
        return sorted.enumerated().map { index, item in
            guard index > 0 else { return Position(item: item, reason: "first: " + facts(item)) }
            let before = sorted[index - 1]
            guard let key = deciding(before, item).key else {
                return Position(item: item, reason: "after \(before.id): level on every key (\(facts(item))); the lower case number goes first")
            }
            return Position(item: item, reason: "after \(before.id): " + explain(key, before, item))
        }
    }

    /// Whether `a` goes before `b`, and the first key on which they differ (nil: level on every
    /// key, so the case number decides).
    private func deciding(_ a: Item, _ b: Item) -> (first: Bool, key: QueueOrderKey?) {
        for key in keys {
            let (x, y) = (value(key, a), value(key, b))
            if x != y { return (x < y, key) }
        }
        return (a.id < b.id, nil)
    }

    /// Each key as a number where smaller goes first.
    private func value(_ key: QueueOrderKey, _ item: Item) -> Int64 {
        switch key {
        case .queue: item.inPriorityQueue ? 0 : 1
        case .planRank: Int64(Self.rank(ofTicketPriority: item.planRank))
        case .priority: Int64(item.priority.flatMap(priorities.firstIndex(of:)) ?? priorities.count)
        case .due: item.due ?? Int64.max
        case .arrival: item.arrival
        }
    }

    private func facts(_ item: Item) -> String {
        keys.map { describe($0, item) }.joined(separator: "; ")
    }

    private func describe(_ key: QueueOrderKey, _ item: Item) -> String {
        switch key {
        case .queue: item.inPriorityQueue ? "priority queue" : "standard queue"
        case .planRank: "ticket priority \(item.planRank)"
        case .priority: "priority \(item.priority ?? "none")"
        case .due: item.due.map { "due \(ISO8601.utc($0))" } ?? "no running clock"
        case .arrival: "logged \(ISO8601.utc(item.arrival))"
        }
    }

    private func explain(_ key: QueueOrderKey, _ before: Item, _ item: Item) -> String {
        let level = keys.prefix { $0 != key }
        let same = level.isEmpty ? "" : "same " + level.map { $0 == .due ? "due" : $0.rawValue }.joined(separator: ", ") + "; "
        return same + "\(describe(key, item)) comes after \(describe(key, before))"
    }
}
