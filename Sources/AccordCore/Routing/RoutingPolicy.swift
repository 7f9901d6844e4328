public import BusinessTime

/// How arriving cases find their team and in which order a team's queue is worked: ordered inbound
/// rules (first match wins), the overflow to a global English team, the queue order, and the
/// internal targets (OLAs) per tier.
public struct RoutingPolicy: Sendable, Hashable {
    /// Inbound rules in order; the first whose conditions all hold names the candidate teams.
    public var rules: [RoutingRule] = []
    /// Candidate teams when no rule matches; empty means every tier-1 team.
    public var defaultTeams: [String] = []
    public var englishOverflow: EnglishOverflow?
    public var queueOrder: [QueueOrderKey] = QueueOrderKey.defaultOrder
    public var olas: [OperationalTarget] = []

    public init() {}
}

/// One inbound routing rule: conditions on the arriving case and the teams that may take it.
/// A condition left out matches anything; a list matches any of its values.
public struct RoutingRule: Sendable, Hashable {
    public var channels: [String] = []
    /// Support addresses the case was sent to.
    public var mailboxes: [String] = []
    public var regions: [String] = []
    public var languages: [String] = []
    public var priorities: [String] = []
    /// The customer's plan (Plixer's 24/7 Tier 2 plan goes to the around-the-clock team).
    public var plans: [String] = []
    /// Candidate teams; with several, follow-the-sun picks one.
    public var teams: [String] = []

    public init() {}

    /// The conditions in words: `region norway or iceland, priority p1`, or `any case`.
    public var conditions: String {
        let parts = [("channel", channels), ("mailbox", mailboxes), ("region", regions), ("language", languages), ("priority", priorities),
                     ("plan", plans)].filter { !$0.1.isEmpty }.map { "\($0.0) \($0.1.joined(separator: " or "))" }
        return parts.isEmpty ? "any case" : parts.joined(separator: ", ")
    }
}

/// Cases whose requester consented to English support move to a global English team when their
/// regional team's backlog is larger than `backlogAbove` (PLM Group's global support).
public struct EnglishOverflow: Sendable, Hashable {
    public let team: String
    public let backlogAbove: Int

    public init(team: String, backlogAbove: Int) {
        self.team = team
        self.backlogAbove = backlogAbove
    }
}

/// A key of a work queue's order, most significant first in the policy's `queue-order`.
public enum QueueOrderKey: String, Sendable, Hashable, CaseIterable {
    /// The priority queue before the standard queue.
    case queue
    /// The plan's ticket priority: `highest` before `higher` before `standard`.
    case planRank = "plan-rank"
    /// The case's priority, in the policy's order (most urgent first).
    case priority
    /// The earliest due instant of the case's running contract clocks; cases without one last.
    case due
    /// First come, first served.
    case arrival

    public static let defaultOrder: [QueueOrderKey] = [.queue, .planRank, .due, .arrival]
}

/// An internal target (OLA): a tier's team picks up a case within `target` of its own calendar,
/// counted from the moment the case reached the tier (logged for tier 1, escalated for higher
/// tiers) until an agent of that tier takes it. OLAs never change the contract's deadlines.
public struct OperationalTarget: Sendable, Hashable {
    public let id: String
    public let name: String
    public let tier: Int
    public let target: TimeTarget

    public init(id: String, name: String, tier: Int, target: TimeTarget) {
        self.id = id
        self.name = name
        self.tier = tier
        self.target = target
    }
}
