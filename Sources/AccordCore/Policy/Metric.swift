public import BusinessTime

/// One promised time: what starts and stops its clock, and its target for each plan × priority.
public struct Metric: Sendable {
    public let id: String
    public let name: String
    public let kind: MetricKind
    public let start: StartEvent
    /// Case statuses during which the clock is paused (`awaiting-customer`).
    public let pausedBy: [String]
    /// A calendar used instead of the plan's or region's for this metric.
    public let calendar: String?
    /// Targets by plan, then priority (`nil` key: any priority). A `nil` target means "no target".
    public let targets: [String: [String?: TimeTarget?]]
    /// For patch metrics: targets by CVSS score instead of priority.
    public let cvssBands: [CVSSBand]
    /// Whether the customer must be told, with reasons and an estimated date, when the target can't be met.
    public let notifyWhenLate: Bool
    /// What the case being resolved (or closed) means for a clock still counting: `met` (the
    /// resolution answers it) or `cancelled` (it no longer applies). A request the customer
    /// withdraws cancels every clock; a clock already past its due stays breached.
    public let onResolution: ResolutionMeaning

    public init(id: String, name: String, kind: MetricKind, start: StartEvent, pausedBy: [String], calendar: String?,
                targets: [String: [String?: TimeTarget?]], cvssBands: [CVSSBand], notifyWhenLate: Bool, onResolution: ResolutionMeaning? = nil) {
        self.id = id
        self.name = name
        self.kind = kind
        self.start = start
        self.pausedBy = pausedBy
        self.calendar = calendar
        self.targets = targets
        self.cvssBands = cvssBands
        self.notifyWhenLate = notifyWhenLate
        self.onResolution = onResolution ?? kind.defaultOnResolution
    }

    /// The target for `plan` and `priority`: `.target`, `.noTarget` (declared as none, or not declared
    /// for this plan), or `nil` when the priority is needed but missing.
    public func target(plan: String, priority: String?) -> TargetLookup {
        guard let byPriority = targets[plan] else { return .noTarget }
        if let priority, let cell = byPriority[priority] { return cell.map(TargetLookup.target) ?? .noTarget }
        if let cell = byPriority[nil] { return cell.map(TargetLookup.target) ?? .noTarget }
        return priority == nil ? .priorityRequired : .noTarget
    }

    /// The band a CVSS score falls in.
    public func band(forCVSS score: Double) -> CVSSBand? {
        cvssBands.first { score >= $0.minimum && (($0.below.map { score < $0 }) ?? true) }
    }
}

public enum TargetLookup: Sendable, Equatable {
    case target(TimeTarget)
    case noTarget
    case priorityRequired
}

/// What a metric measures; decides how its clocks start, restart and stop.
public enum MetricKind: String, Sendable, CaseIterable {
    /// Logged → first public reply by provider staff.
    case initialResponse = "initial-response"
    /// Defect confirmed → defect rectified.
    case resolution
    /// Vulnerability: later of notification and patch availability → patch deployed.
    case patch
    /// Restarts at each customer message; met by the next public reply.
    case nextReply = "next-reply"
    /// The customer hears from the provider at least every target while the case is open.
    case periodicUpdate = "periodic-update"
}

extension MetricKind {
    /// The first response and the next reply no longer apply once the case is resolved; the
    /// resolution meets a rectification, a patch clock and the periodic update.
    public var defaultOnResolution: ResolutionMeaning {
        switch self {
        case .initialResponse, .nextReply: .cancelled
        case .resolution, .patch, .periodicUpdate: .met
        }
    }
}

/// What resolving a case means for a clock that is still counting.
public enum ResolutionMeaning: String, Sendable, CaseIterable {
    /// The resolution meets the clock (on time or late).
    case met
    /// The clock no longer applies: `cancelled`, neither met nor breached (unless already past its due).
    case cancelled
}

/// The event that starts a clock.
public enum StartEvent: String, Sendable, CaseIterable {
    case caseLogged = "case-logged"
    case defectConfirmed = "defect-confirmed"
    /// The later of the notification (case logged) and the moment an official patch becomes available.
    case laterOfNotificationAndPatchAvailable = "later-of-notification-and-patch-available"
    case customerMessage = "customer-message"
    case lastProviderUpdate = "last-provider-update"
}

/// A CVSS score range and its target: `minimum <= score < below`.
public struct CVSSBand: Sendable, Hashable {
    public let name: String
    public let minimum: Double
    public let below: Double?
    public let target: TimeTarget
}
