public import BusinessTime

/// A support contract as configuration: calendars and regions, plans, priorities, the metrics with
/// their targets per plan × priority, and the entitlements and rules each plan carries.
/// Built by ``PolicyLoader`` from YAML (see `docs/policy-format.md`).
public struct Policy: Sendable {
    public let id: String
    public let name: String
    public let version: String
    /// Who sells the contract (`provider:`, else the policy's name): a cut of attainment reports.
    public let provider: String
    /// Where the contract comes from, for people reading the policy.
    public let source: String?
    /// The zone dates in the policy (effective dates, terms) are read in.
    public let zoneIdentifier: String
    public let calendars: [String: VersionedCalendar]
    public let regions: [Region]
    public let defaultRegion: String?
    /// Priorities in order, most urgent first; empty when cases carry none.
    public let priorities: [Priority]
    public let plans: [Plan]
    public let metrics: [Metric]
    public let rules: ContractRules
    /// The teams that work the policy's cases, by tier.
    public let teams: [Team]
    public let routing: RoutingPolicy

    public func team(_ id: String) -> Team? { teams.first { $0.id == id } }

    /// The calendar `team` works on at `instant` (the loader checks that every team's calendar exists).
    public func calendar(of team: Team, at instant: Int64) -> BusinessCalendar {
        calendars[team.calendar]!.calendar(forClockStartedAt: instant)
    }
    public func plan(_ id: String) -> Plan? { plans.first { $0.id == id } }
    public func priority(_ id: String) -> Priority? { priorities.first { $0.id == id } }
    /// A priority's place in the policy's list, 0 most urgent; none (or one not listed) ranks last.
    public func rank(ofPriority id: String?) -> Int {
        id.flatMap { id in priorities.firstIndex { $0.id == id } } ?? priorities.count
    }
    public func region(_ id: String) -> Region? { regions.first { $0.id == id } }
    /// The regions a support mailbox serves, in the policy's order (Norway's address serves Iceland too).
    public func regions(servedBy mailbox: String) -> [Region] { regions.filter { $0.mailbox?.lowercased() == mailbox.lowercased() } }
    public func metric(_ id: String) -> Metric? { metrics.first { $0.id == id } }
    /// The day `instant` falls on in the policy's zone, where its contract dates (terms, notices,
    /// plan changes) are read.
    public func day(at instant: Int64) throws -> LocalDate {
        try ZoneClock(identifier: zoneIdentifier).date(at: instant)
    }
    /// The calendar a metric's target counts in for a plan and region: the metric's own, else the
    /// plan's (Plixer Tier 2: 24×7), else the region's. The one rule for clocks and for what a
    /// customer is told.
    public func calendarID(metric: Metric, plan: Plan, region: Region) -> String {
        metric.calendar ?? plan.calendar ?? region.calendar
    }
}

/// Where a customer is served from: its calendar (and so zone and holidays) and its mailbox.
public struct Region: Sendable, Hashable {
    public let id: String
    public let name: String
    public let calendar: String
    public let mailbox: String?
    public let languages: [String]
}

/// A case priority (or category, severity, business impact) with the contract's definition.
public struct Priority: Sendable, Hashable {
    public let id: String
    public let name: String
    public let definition: String
}

/// A plan a customer subscribes to.
public struct Plan: Sendable, Hashable {
    public let id: String
    public let name: String
    /// A calendar that replaces the region's for this plan's business targets (Plixer Tier 2: 24×7).
    public let calendar: String?
    public let entitlements: Entitlements
}

/// What a plan grants beyond response times.
public struct Entitlements: Sendable, Hashable {
    public var authorizedContacts: AuthorizedContacts?
    /// Rank of the customer's tickets in work queues: `standard`, `higher`, `highest`.
    public var ticketPriority: String?
    /// `none`, `reactive`, `proactive` or `named`.
    public var technicalAccountManager: String?
    /// The kind of technical account manager the plan grants (`reactive`, `proactive`, `named`), or nil.
    public var grantedTechnicalAccountManager: String? {
        technicalAccountManager.flatMap { $0 == "none" ? nil : $0 }
    }
    public var businessReviews: [String] = []
    public var premiumCommunity = false
    public var escalationAdvocate = false
    public var automationFairPasses = 0
    public var dedicatedSupportDesk = false
    /// Cases from listed sender addresses or domains go to a priority queue.
    public var priorityQueue = false
    /// Other grants, as the contract words them.
    public var notes: [String] = []

    public init() {}
}

/// How many authorized contacts a plan includes, and whether more may be added at a fee.
public struct AuthorizedContacts: Sendable, Hashable {
    public let included: Int
    public let extraAtFee: Bool
}
