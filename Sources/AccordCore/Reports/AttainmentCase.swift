/// A case as attainment reports count it: where it stands on every cut and its clocks — the
/// contract's as the desk keeps them, and the OLAs derived from its routing (`OperationalClocks.kept`).
/// Whenever it is read, `samples(at:)` says how each clock counts then.
public struct AttainmentCase: Sendable, Equatable {
    /// The case's id (as reports write it, upper-case), so that every breach leads to it.
    public let caseID: String
    public let number: String
    public let loggedAt: Int64
    /// The values of the cuts the case has (provider, policy, customer, plan, priority, region,
    /// team, tier, agent, channel); a cut it has no value for (no team yet) is absent.
    public let cut: [AttainmentCut: String]
    /// The policy version the case runs under, and the names that version gives the codes of its
    /// cuts (policy, plan, region, team): a report names each code as the latest version among
    /// its cases does (`AttainmentNames`).
    public let policyVersion: String
    public let names: [AttainmentCut: String]
    public let clocks: [Clock]

    /// One clock of the case, as kept: its state in the words of a stored clock (`met`,
    /// `breached`, `running`, `paused`, `cancelled`, `not-started`, `no-target`, `excluded`), a
    /// clock counting past its due kept as `running`.
    public struct Clock: Sendable, Equatable {
        public let metric: String
        public let agreement: AttainmentSample.Agreement
        public let state: String
        public let due: Int64?
        public let used: Int64?
        public let measure: AttainmentSample.Measure?
        /// An OLA's team, its name and tier, which take the case's place on those cuts: the team
        /// that had to pick the case up, not the one holding it now.
        public let team: String?
        public let teamName: String?
        public let tier: Int?

        public init(metric: String, agreement: AttainmentSample.Agreement, state: String, due: Int64?, used: Int64?, measure: AttainmentSample.Measure?,
                    team: String? = nil, teamName: String? = nil, tier: Int? = nil) {
            self.metric = metric
            self.agreement = agreement
            self.state = state
            self.due = due
            self.used = used
            self.measure = measure
            self.team = team
            self.teamName = teamName
            self.tier = tier
        }

        /// An OLA clock as `OperationalClocks.kept` keeps it, its team named `teamName`.
        public init(_ ola: OperationalClocks.Kept, teamName: String) {
            self.init(metric: ola.ola, agreement: .ola, state: ola.state, due: ola.due, used: ola.used, measure: ola.measure, team: ola.team,
                      teamName: teamName, tier: ola.tier)
        }
    }

    public init(caseID: String, number: String, loggedAt: Int64, cut: [AttainmentCut: String], policyVersion: String, names: [AttainmentCut: String],
                clocks: [Clock]) {
        self.caseID = caseID
        self.number = number
        self.loggedAt = loggedAt
        self.cut = cut
        self.policyVersion = policyVersion
        self.names = names
        self.clocks = clocks
    }

    /// The order of a report's cases, and so of the breaches it lists: as they were logged, then by number.
    public static func inReportOrder(_ a: AttainmentCase, _ b: AttainmentCase) -> Bool {
        (a.loggedAt, a.number) < (b.loggedAt, b.number)
    }

    /// A state no stored clock has.
    public struct UnknownState: Error, Equatable, CustomStringConvertible {
        public let number: String
        public let metric: String
        public let state: String

        public var description: String { "case \(number) has a clock '\(metric)' in an unknown state '\(state)'" }
    }

    /// How each clock counts at `instant` (see `AttainmentSample.outcome(ofStored:due:at:)`).
    public func samples(at instant: Int64) throws(UnknownState) -> [AttainmentSample] {
        var samples: [AttainmentSample] = []
        samples.reserveCapacity(clocks.count)
        for clock in clocks {
            guard let outcome = AttainmentSample.outcome(ofStored: clock.state, due: clock.due, at: instant) else {
                throw UnknownState(number: number, metric: clock.metric, state: clock.state)
            }
            var cut = self.cut
            if clock.agreement == .ola {
                cut[.team] = clock.team
                cut[.tier] = clock.tier.map(String.init)
            }
            samples.append(AttainmentSample(caseID: caseID, metric: clock.metric, agreement: clock.agreement, outcome: outcome,
                                            used: [.met, .breached].contains(outcome) ? clock.used : nil, measure: clock.measure, cut: cut))
        }
        return samples
    }
}
