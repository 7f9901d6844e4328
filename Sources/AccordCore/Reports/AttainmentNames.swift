/// The names a report gives the codes of its cuts (policy, plan, region, team): each code as the
/// latest policy version among the counted cases names it — the same whichever way the report was
/// computed, case by case or from packed facts, and whatever order the cases came in.
public struct AttainmentNames: Sendable {
    private var best: [AttainmentCut: [String: (version: String, name: String)]] = [:]

    public init() {}

    /// Notes that a counted case under policy `version` names `value` of `cut` as `name`.
    public mutating func note(_ cut: AttainmentCut, _ value: String, _ name: String, version: String) {
        if let known = best[cut]?[value], (known.version, known.name) >= (version, name) { return }
        best[cut, default: [:]][value] = (version, name)
    }

    /// Notes the names a case's counted clocks carry: its policy, plan and region; its team when
    /// a `contract` clock counted (an OLA's row is on the OLA's team); each counted OLA's team.
    public mutating func note(_ attainmentCase: AttainmentCase, contract: Bool, olaTeams: [(team: String, name: String)]) {
        for (cut, name) in attainmentCase.names where cut != .team || contract {
            if let value = attainmentCase.cut[cut] { note(cut, value, name, version: attainmentCase.policyVersion) }
        }
        for (team, name) in olaTeams { note(.team, team, name, version: attainmentCase.policyVersion) }
    }

    public var names: [AttainmentCut: [String: String]] { best.mapValues { $0.mapValues(\.name) } }
}
