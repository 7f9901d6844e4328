/// The contract's rules that are not clocks: who may log what through which channel, renewals,
/// maintenance limits, required intake information, scope, supported versions and visibility.
/// The case desk enforces them; the policy carries them so that nothing is hard-coded per vendor.
public struct ContractRules: Sendable, Hashable {
    public var intake: [IntakeRule] = []
    public var phoneSupport: PhoneSupport?
    public var renewal: Renewal?
    public var maintenanceLimits: [MaintenanceLimit] = []
    public var requiredInformation: [RequiredField] = []
    public var scopeExclusions: ScopeExclusions?
    public var supportedVersions: SupportedVersions?
    public var visibility: Visibility = .organization
    public var priorityQueue: PriorityQueueRule?
    /// How cases by mail start.
    public var email: EmailIntake?
    /// How many days after resolution a case may be reopened; afterwards the customer logs a new one.
    public var reopenWithinDays = 14
    /// How a priority change re-targets running clocks, for upgrades and downgrades.
    public var priorityChange = PriorityChangeRules(upgrade: .retroactive, downgrade: .retroactive)
    /// The shares of a clock's budget, in percent and rising, at which the SLA monitor warns before
    /// the breach (raised at the due instant itself).
    public var warnAtPercent = [75, 90]

    public init() {}
}

/// How a case logged by mail starts: a mail says no priority, and its sender may be no one the desk knows.
public struct EmailIntake: Sendable, Hashable {
    /// What the desk does with mail from an address it does not know.
    public enum UnknownSenders: String, Sendable, Hashable, CaseIterable {
        /// Answer politely that the address is not registered, and log nothing.
        case refuse
        /// Add the sender as a user of the customer whose domain the address is at (the domain of
        /// an existing person of exactly one customer), then log the case; else refuse.
        case joinOrganizationByDomain = "join-organization-by-domain"
    }

    /// The priority a mailed case starts with, until someone triages it (nil: the policy has none).
    public let defaultPriority: String?
    public let unknownSenders: UnknownSenders

    public init(defaultPriority: String?, unknownSenders: UnknownSenders) {
        self.defaultPriority = defaultPriority
        self.unknownSenders = unknownSenders
    }
}

/// Who may log cases of some priorities, and through which channels.
public struct IntakeRule: Sendable, Hashable {
    /// Priorities the rule covers; empty means all.
    public let priorities: [String]
    /// `user`, `authorized-contact`, `case-team-contact`, `primary-contact`.
    public let who: [String]
    /// `web`, `email`, `phone`, `chat`.
    public let channels: [String]
}

/// When the phone line takes cases: for which priorities and plans, in which hours. A phone case
/// is logged by the provider's staff taking the call; outside these the call is not a case.
public struct PhoneSupport: Sendable, Hashable {
    /// Priorities a phone case may have; empty means all.
    public let priorities: [String]
    /// A calendar id, or `24x7`.
    public let hours: String
    public let languages: [String]
    /// Plans whose customers may call; empty means all.
    public var plans: [String] = []
    /// Other hours for some plans (Plixer's Tier 2 around the clock): plan → calendar id or `24x7`.
    public var hoursByPlan: [String: String] = [:]

    public init(priorities: [String], hours: String, languages: [String], plans: [String] = [], hoursByPlan: [String: String] = [:]) {
        self.priorities = priorities
        self.hours = hours
        self.languages = languages
        self.plans = plans
        self.hoursByPlan = hoursByPlan
    }

    /// The phone hours of `plan`.
    public func hours(of plan: String) -> String { hoursByPlan[plan] ?? hours }
}

public struct Renewal: Sendable, Hashable {
    public let automatic: Bool
    /// Notice of non-renewal must arrive at least this many days before the term ends.
    public let noticeDays: Int
    /// What remains after a lapse: `no-support`, or a plan id to fall back to.
    public let afterLapse: String
    /// How a lapsed subscription may be taken up again.
    public var reactivation = Reactivation(termStartsAtExpiry: false, requiresFeesCurrent: false)

    public init(automatic: Bool, noticeDays: Int, afterLapse: String) {
        self.automatic = automatic
        self.noticeDays = noticeDays
        self.afterLapse = afterLapse
    }
}

/// The conditions of a reactivation after a lapse (plex: "a new Customer Care plan at then-current
/// prices with a Term of Use beginning on the date of expiration", only when "current on all Fees").
public struct Reactivation: Sendable, Hashable {
    /// Whether the new term starts on the expiry of the previous one (so the lapse is paid for), or
    /// on the day of the reactivation.
    public let termStartsAtExpiry: Bool
    /// Whether staff must confirm the customer is current on all fees.
    public let requiresFeesCurrent: Bool

    public init(termStartsAtExpiry: Bool, requiresFeesCurrent: Bool) {
        self.termStartsAtExpiry = termStartsAtExpiry
        self.requiresFeesCurrent = requiresFeesCurrent
    }
}

/// Scheduled-maintenance limit: at most `minutes` of maintenance in a calendar month, for `monthsPerYear`
/// months of a calendar year (`MaintenanceYear` holds a year to them).
public struct MaintenanceLimit: Sendable, Hashable {
    public let minutes: Int
    public let monthsPerYear: Int
}

/// A piece of information a request must contain.
public struct RequiredField: Sendable, Hashable {
    public let field: String
    public let label: String
    public let required: Bool
    /// A regular expression the value must match (`^20\d\d$`).
    public let pattern: String?
}

public struct ScopeExclusions: Sendable, Hashable {
    /// How excluded requests are classified (`consultancy`).
    public let classification: String
    public let items: [String]
    /// Whether excluded requests leave the SLA.
    public let leavesSLA: Bool
}

/// Product versions supported: the current one and `prior` before it.
public struct SupportedVersions: Sendable, Hashable {
    public let current: Int
    public let prior: Int

    public func isSupported(_ version: Int) -> Bool { version <= current && version >= current - prior }
}

/// How a priority change re-targets the clocks still running, by its direction: an upgrade moves
/// to a priority listed earlier in the policy (more urgent), a downgrade to one listed later.
public struct PriorityChangeRules: Sendable, Hashable {
    public var upgrade: PriorityChangeRule
    public var downgrade: PriorityChangeRule

    public init(upgrade: PriorityChangeRule, downgrade: PriorityChangeRule) {
        self.upgrade = upgrade
        self.downgrade = downgrade
    }

    public func rule(upgrade isUpgrade: Bool) -> PriorityChangeRule { isUpgrade ? upgrade : downgrade }
}

/// How a priority change re-targets the clocks still running.
public enum PriorityChangeRule: String, Sendable, Hashable, CaseIterable {
    /// The new priority's target counts from the case's original start, pause time carried over.
    case retroactive
    /// The new priority's target counts afresh from the moment of the change.
    case fromChange = "from-change"
}

/// Who may see a case besides provider staff.
public enum Visibility: String, Sendable, Hashable, CaseIterable {
    /// Everyone in the customer's organization.
    case organization
    /// The requester, CC'd users and case team; authorized contacts oversee their organization's cases.
    case authorizedContactsOversee = "authorized-contacts-oversee"
    /// The requester, CC'd users and case team only (GDPR): not even the customer's admins.
    case requesterOnly = "requester-only"
}

/// Cases from listed sender addresses or domains are routed to a priority queue.
public struct PriorityQueueRule: Sendable, Hashable {
    public let matchBy: [String]
    public let maintainedBy: String
}

extension PriorityQueueRule {
    /// The entry of a customer's list that `sender` matches, if any: an address entry
    /// (`ann@acme.example`) matches that address, a domain entry (`acme.example`) every address at
    /// that domain — each only where the rule matches by it. Case does not matter.
    public func matchingEntry(for sender: String, in list: [String]) -> String? {
        let sender = sender.lowercased()
        let domain = sender.split(separator: "@").last.map(String.init) ?? ""
        return list.first { entry in
            let entry = entry.lowercased()
            if entry.contains("@") { return matchBy.contains("sender-address") && entry == sender }
            return matchBy.contains("sender-domain") && entry == domain
        }
    }
}
