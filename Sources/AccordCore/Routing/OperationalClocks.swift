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

    /// Every OLA clock of `stints` at `now`, oldest stint first.
    public func clocks(for stints: [Stint], at now: Int64) throws(RoutingError) -> [Clock] {
        var result: [Clock] = []
        for stint in stints {
            guard let team = policy.team(stint.team) else { continue }
            for ola in policy.routing.olas where ola.tier == stint.tier {
                let calendar = policy.calendar(of: team, at: stint.reachedAt)
                let clock = SLAClock(target: ola.target, startEvent: stint.reachedAt, stoppedAt: stint.pickedUpAt, calendar: calendar)
                do {
                    result.append(Clock(ola: ola.id, name: ola.name, team: team.id, target: ola.target.description, status: try clock.status(at: now)))
                } catch {
                    throw .calendar(team.id, error.description)
                }
            }
        }
        return result
    }
}
