public import BusinessTime

/// The internal targets (OLAs) of a case: for each time the case reached a tier, how long that
/// tier's team may take to pick it up, counted on the team's own calendar. They are derived beside
/// the contract clocks and never feed them.
public struct OperationalClocks: Sendable {
    public let policy: Policy

    public init(policy: Policy) {
        self.policy = policy
    }

    /// One stay of the case with a team: from reaching it until an agent of it took the case.
    public struct Stint: Sendable, Hashable {
        public let team: String
        public let tier: Int
        public let reachedAt: Int64
        public let pickedUpAt: Int64?

        public init(team: String, tier: Int, reachedAt: Int64, pickedUpAt: Int64?) {
            self.team = team
            self.tier = tier
            self.reachedAt = reachedAt
            self.pickedUpAt = pickedUpAt
        }
    }

    /// An OLA clock of one stint.
    public struct Clock: Sendable, Equatable {
        public let ola: String
        public let name: String
        public let team: String
        public let target: String
        public let status: ClockStatus
    }

    /// A step of a case's routing, as its timeline records it.
    public enum Step: Sendable, Equatable {
        /// Routed or escalated to a team.
        case reached(team: String, at: Int64)
        /// An agent took the case.
        case assigned(at: Int64)
    }

    /// The case's stays with the policy's teams: from each routing or escalation to a team the
    /// policy has until the first assignment after it.
    public func stints(_ steps: [Step]) -> [Stint] {
        var stints: [Stint] = []
        for step in steps {
            switch step {
            case .reached(let id, let at):
                guard let team = policy.team(id) else { continue }
                stints.append(Stint(team: id, tier: team.tier, reachedAt: at, pickedUpAt: nil))
            case .assigned(let at):
                if let last = stints.last, last.pickedUpAt == nil {
                    stints[stints.count - 1] = Stint(team: last.team, tier: last.tier, reachedAt: last.reachedAt, pickedUpAt: at)
                }
            }
        }
        return stints
    }

    /// An OLA clock as a report keeps it, whenever it is read: decided (`met` or `breached`, with
    /// the time it used) or `running` toward its due — past which it counts as breached while running.
    public struct Kept: Sendable, Equatable {
        public let ola: String
        public let team: String
        public let tier: Int
        /// `met`, `breached` or `running`, as a stored contract clock words it.
        public let state: String
        public let due: Int64
        /// Open seconds of the team's calendar (or elapsed seconds, as the target counts) from
        /// reaching the team to the pick-up; nil while running.
        public let used: Int64?
        public let measure: AttainmentSample.Measure
    }

    /// The OLA clocks of `stints` as reports keep them, oldest stint first.
    public func kept(for stints: [Stint]) throws(RoutingError) -> [Kept] {
        try each(stints) { stint, team, ola, clock throws(DeadlineError) in
            let status = try clock.status(at: stint.pickedUpAt ?? stint.reachedAt)
            let decided = stint.pickedUpAt != nil
            return Kept(ola: ola.id, team: team.id, tier: stint.tier, state: decided ? status.state.rawValue : "running", due: status.due,
                        used: decided ? status.elapsed : nil, measure: AttainmentSample.Measure(ola.target.kind))
        }
    }

    /// Every OLA clock of `stints` at `now`, oldest stint first.
    public func clocks(for stints: [Stint], at now: Int64) throws(RoutingError) -> [Clock] {
        try each(stints) { _, team, ola, clock throws(DeadlineError) in
            Clock(ola: ola.id, name: ola.name, team: team.id, target: ola.target.description, status: try clock.status(at: now))
        }
    }

    /// `make` of each stint's OLA clocks — every OLA of the stint's tier, counted on its team's
    /// calendar from reaching the team to the pick-up — oldest stint first.
    private func each<T>(_ stints: [Stint], _ make: (Stint, Team, OperationalTarget, SLAClock) throws(DeadlineError) -> T) throws(RoutingError) -> [T] {
        var result: [T] = []
        for stint in stints {
            guard let team = policy.team(stint.team) else { continue }
            for ola in policy.routing.olas where ola.tier == stint.tier {
                let calendar = policy.calendar(of: team, at: stint.reachedAt)
                let clock = SLAClock(target: ola.target, startEvent: stint.reachedAt, stoppedAt: stint.pickedUpAt, calendar: calendar)
                do {
                    result.append(try make(stint, team, ola, clock))
                } catch {
                    throw .calendar(team.id, error.description)
                }
            }
        }
        return result
    }
}
