public import BusinessTime

/// Decides where an arriving or escalated case goes: its region (a support mailbox may name it),
/// its team (the policy's routing rules, follow-the-sun among candidates, the English overflow)
/// and its queue (priority or standard). Pure: the backlog counts and `now` come in.
public struct CaseRouter: Sendable {
    public let policy: Policy

    public init(policy: Policy) {
        self.policy = policy
    }

    /// What is known about a case when it arrives.
    public struct Arrival: Sendable, Hashable {
        public var channel: String
        /// The support address the case was sent to, for cases that came by mail.
        public var mailbox: String?
        /// The customer's region.
        public var region: String
        /// The case's language; nil means the region's first language.
        public var language: String?
        public var priority: String?
        public var plan: String?
        /// The requester accepts English support from a global team.
        public var englishConsent: Bool?

        public init(channel: String, mailbox: String? = nil, region: String, language: String? = nil, priority: String? = nil,
                    plan: String? = nil, englishConsent: Bool? = nil) {
            self.channel = channel
            self.mailbox = mailbox
            self.region = region
            self.language = language
            self.priority = priority
            self.plan = plan
            self.englishConsent = englishConsent
        }
    }

    /// Where a case goes, with the reasons in words an agent can check.
    public struct Decision: Sendable, Hashable {
        public let region: String
        public let language: String?
        /// Nil when the policy declares no team that may take it.
        public let team: String?
        public let tier: Int
        public let reasons: [String]
    }

    /// Routes a new case at `now`. `backlog` tells how many cases wait with a team (for the overflow).
    public func route(_ arrival: Arrival, at now: Int64, backlog: (String) -> Int = { _ in 0 }) throws(RoutingError) -> Decision {
        var reasons: [String] = []
        let region = try region(of: arrival, reasons: &reasons)
        let language = arrival.language ?? policy.region(region)?.languages.first
        let candidates: [String]
        if let (index, rule) = policy.routing.rules.enumerated().first(where: { matches($0.element, arrival, region: region, language: language) }) {
            candidates = rule.teams
            reasons.append("routing rule \(index + 1) (\(rule.conditions)) names \(rule.teams.joined(separator: ", "))")
        } else {
            candidates = policy.routing.defaultTeams.isEmpty ? policy.teams.filter { $0.tier == 1 }.map(\.id) : policy.routing.defaultTeams
            if !candidates.isEmpty { reasons.append("no routing rule matches; the default teams are \(candidates.joined(separator: ", "))") }
        }
        guard var team = try pick(candidates, language: language, at: now, reasons: &reasons) else {
            reasons.append("the policy declares no team for it")
            return Decision(region: region, language: language, team: nil, tier: 1, reasons: reasons)
        }
        if let overflow = policy.routing.englishOverflow, team.id != overflow.team, arrival.englishConsent == true {
            let waiting = backlog(team.id)
            if waiting > overflow.backlogAbove, let global = policy.team(overflow.team) {
                reasons.append("\(team.name) has \(waiting) cases waiting, more than \(overflow.backlogAbove), and the requester accepts English support: \(global.name) takes it")
                team = global
            }
        }
        return Decision(region: region, language: language, team: team.id, tier: team.tier, reasons: reasons)
    }

    /// The team of `tier` that takes an escalated case at `now`: one that speaks its language and
    /// is open now, otherwise the one that opens first.
    public func escalate(language: String?, to tier: Int, at now: Int64) throws(RoutingError) -> (team: Team, reasons: [String]) {
        let candidates = policy.teams.filter { $0.tier == tier }.map(\.id)
        var reasons: [String] = []
        guard let team = try pick(candidates, language: language, at: now, reasons: &reasons) else {
            let tiers = Set(policy.teams.map(\.tier)).sorted().map(String.init).joined(separator: ", ")
            throw .noTeam("\(policy.name) has no tier-\(tier) team; tiers: \(tiers.isEmpty ? "none" : tiers)")
        }
        return (team, reasons)
    }

    /// The region a case is served in: a support mailbox names its region, unless the mailbox also
    /// serves the customer's own region (Norway's address serves Iceland).
    private func region(of arrival: Arrival, reasons: inout [String]) throws(RoutingError) -> String {
        guard let mailbox = arrival.mailbox?.lowercased() else { return arrival.region }
        let served = policy.regions(servedBy: mailbox)
        guard let first = served.first else {
            let known = Set(policy.regions.compactMap(\.mailbox)).sorted()
            throw .unknownMailbox("'\(mailbox)' is not a support address of \(policy.name)" + (known.isEmpty ? "; it has none" : "; addresses: \(known.joined(separator: ", "))"))
        }
        if served.contains(where: { $0.id == arrival.region }) {
            reasons.append("sent to \(mailbox), which serves the customer's region \(arrival.region)")
            return arrival.region
        }
        reasons.append("sent to \(mailbox): region \(first.id)")
        return first.id
    }

    private func matches(_ rule: RoutingRule, _ arrival: Arrival, region: String, language: String?) -> Bool {
        func holds(_ values: [String], _ value: String?) -> Bool { values.isEmpty || value.map { values.contains($0) } == true }
        return holds(rule.channels, arrival.channel) && holds(rule.mailboxes.map { $0.lowercased() }, arrival.mailbox?.lowercased())
            && holds(rule.regions, region) && holds(rule.languages, language) && holds(rule.priorities, arrival.priority)
            && holds(rule.plans, arrival.plan)
    }

    /// Follow-the-sun: among `candidates` that speak `language` (all of them when none does), the
    /// first open at `now`, otherwise the one that opens first (ties: the order listed).
    private func pick(_ candidates: [String], language: String?, at now: Int64, reasons: inout [String]) throws(RoutingError) -> Team? {
        let teams = candidates.compactMap(policy.team)
        guard !teams.isEmpty else { return nil }
        var speaking = teams.filter { $0.speaks(language) }
        if speaking.isEmpty {
            reasons.append("no candidate team speaks '\(language ?? "")'; all candidates considered")
            speaking = teams
        }
        if speaking.count == 1 {
            reasons.append("\(speaking[0].name) takes it")
            return speaking[0]
        }
        var best: (team: Team, opens: Int64)?
        for team in speaking {
            let opens: Int64
            do { opens = try policy.calendar(of: team, at: now).firstOpenInstant(atOrAfter: now) } catch { throw .calendar(team.id, error.description) }
            if opens == now {
                reasons.append("follow-the-sun: \(team.name) speaks \(language ?? "the case's language") and is open now")
                return team
            }
            if best.map({ opens < $0.opens }) ?? true { best = (team, opens) }
        }
        reasons.append("follow-the-sun: no candidate is open now; \(best!.team.name) opens first, at \(ISO8601.utc(best!.opens))")
        return best!.team
    }
}

/// Why a case could not be routed.
public enum RoutingError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownMailbox(String)
    case noTeam(String)
    case calendar(String, String)

    public var description: String {
        switch self {
        case .unknownMailbox(let message), .noTeam(let message): message
        case .calendar(let team, let message): "team \(team)'s calendar: \(message)"
        }
    }
}
