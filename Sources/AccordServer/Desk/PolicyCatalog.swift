import AccordCore

/// The policies the desk runs, by id: the presets load at start.
struct PolicyCatalog: Sendable {
    let policies: [String: Policy]

    static func presets() throws -> PolicyCatalog {
        PolicyCatalog(policies: Dictionary(uniqueKeysWithValues: try Presets.names.map { ($0, try Presets.policy($0)) }))
    }

    func policy(_ id: String) throws -> Policy {
        guard let policy = policies[id] else {
            throw QueryError.unknown(field: "policy", value: id, choices: policies.keys.sorted())
        }
        return policy
    }
}
