/// What a customer's plan promises, as the customer may read it: each priority with the contract's
/// definition and, per metric, the target and the hours it counts in; the plan's entitlements; the
/// renewal terms and the reopen window. A view of the policy for customers, who do not see the
/// policy itself (its teams, routing and internal targets stay with the provider).
public struct PlanSummary: Sendable, Equatable {
    /// One promised time for one priority.
    public struct Promise: Sendable, Equatable {
        public let metric: String
        public let metricName: String
        /// The target in the policy's words ("2 business hours").
        public let target: String
        /// How it counts: `business time`, `business days` (the calendar's open hours and
        /// holidays), `calendar time` or `calendar days` (everything counts; days in its zone).
        public let measure: String
        /// The calendar the target counts in (open hours, holidays and zone).
        public let calendar: String
    }

    /// A priority (or none, for policies whose cases carry none) and what is promised for it (an
    /// empty list: no promised time, such as a free plan's).
    public struct PriorityPromises: Sendable, Equatable {
        public let priority: String?
        public let name: String?
        public let definition: String?
        public let promises: [Promise]
    }

    public let policy: String
    public let policyName: String
    public let policyVersion: String
    public let plan: String
    public let planName: String
    /// The calendar of the customer's region (or the plan's own, such as 24×7), in the policy's terms.
    public let hours: String
    public let priorities: [PriorityPromises]
    public let entitlements: Entitlements
    public let reopenWithinDays: Int
    public let renewal: Renewal?

    /// The summary of `planID` for a customer served from `regionID`; nil when either is unknown.
    public init?(policy: Policy, planID: String, regionID: String) {
        guard let plan = policy.plan(planID), let region = policy.region(regionID) else { return nil }
        self.policy = policy.id
        policyName = policy.name
        policyVersion = policy.version
        self.plan = plan.id
        planName = plan.name
        hours = plan.calendar ?? region.calendar
        let levels: [Priority?] = policy.priorities.isEmpty ? [nil] : policy.priorities
        priorities = levels.map { priority in
            let promises = policy.metrics.filter { $0.kind != .patch }.compactMap { metric -> Promise? in
                // Only what is promised: a metric with no target for this plan and priority is left out.
                guard case .target(let target) = metric.target(plan: plan.id, priority: priority?.id) else { return nil }
                return Promise(metric: metric.id, metricName: metric.name, target: target.description, measure: target.kind.rawValue,
                               calendar: policy.calendarID(metric: metric, plan: plan, region: region))
            }
            return PriorityPromises(priority: priority?.id, name: priority?.name, definition: priority?.definition, promises: promises)
        }
        entitlements = plan.entitlements
        reopenWithinDays = policy.rules.reopenWithinDays
        renewal = policy.rules.renewal
    }
}
