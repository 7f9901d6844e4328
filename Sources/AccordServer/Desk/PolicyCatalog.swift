import AccordCore
import AccordStore
import Foundation
import Synchronization

/// The policies the desk runs. Every version lives in the database (the presets are stored at first
/// start); each is parsed once and kept. Which version new cases are logged under is re-read from the
/// database at most every few seconds, so servers sharing one database agree within that time. Cases
/// keep the version they were logged under.
final class PolicyCatalog: Sendable {
    private struct Key: Hashable {
        let id: String
        let version: String
    }

    private struct State {
        var parsed: [Key: Policy] = [:]
        var current: [String: String] = [:]
        var refreshedAt: ContinuousClock.Instant?
    }

    private let state = Mutex(State())
    private let refreshInterval: Duration = .seconds(3)

    /// Stores the preset versions the database lacks — published when their policy has no current
    /// version yet, otherwise as drafts for an admin to publish — and reads the current versions.
    static func open(store: DeskStore, at instant: Date) async throws -> PolicyCatalog {
        let current = try await store.currentPolicyVersions()
        for name in Presets.names {
            let policy = try Presets.policy(name)
            guard try await store.storedPolicy(policy.id, version: policy.version) == nil else { continue }
            do {
                _ = try await store.addPolicy(policy.id, version: policy.version, yaml: try Presets.yaml(name), by: nil, at: instant,
                                              publish: current[policy.id] == nil)
            } catch StoreError.conflict {
                // Another server sharing the database stored it first.
            }
        }
        let catalog = PolicyCatalog()
        try await catalog.refresh(store, force: true)
        return catalog
    }

    /// Parses a policy text exactly as `accord policy check` does; file references are not allowed
    /// in uploads (the server reads no files on a client's behalf).
    static func parse(_ yaml: String, file: String) throws(PolicyIssues) -> Policy {
        try PolicyLoader().load(yaml: yaml, file: file)
    }

    private func refresh(_ store: DeskStore, force: Bool = false) async throws {
        let now = ContinuousClock.now
        let stale = state.withLock { state in state.refreshedAt.map { now - $0 > refreshInterval } ?? true }
        guard force || stale else { return }
        let current = try await store.currentPolicyVersions()
        state.withLock { state in
            state.current = current
            state.refreshedAt = now
        }
    }

    /// Forgets when the current versions were read, so the next call reads them again (after a publication here).
    func invalidate() {
        state.withLock { $0.refreshedAt = nil }
    }

    /// The version new cases of `id` are logged under.
    func current(_ id: String, store: DeskStore) async throws -> Policy {
        try await refresh(store)
        let (version, known) = state.withLock { ($0.current[id], $0.current.keys.sorted()) }
        guard let version else { throw QueryError.unknown(field: "policy", value: id, choices: known) }
        return try await policy(id, version: version, store: store)
    }

    /// The authorized-contact allowance of the plan `organization` has today (at `instant`, in its
    /// policy's zone): what adding or promoting an authorized contact is checked against.
    func contactAllowance(of organization: Organization, at instant: Date, feeAcknowledged: Bool, store: DeskStore) async throws -> ContactAllowance? {
        let policy = try await current(organization.policyID, store: store)
        let today = try policy.day(at: CaseService.seconds(instant))
        return ContactAllowance(policy.plan(organization.subscription.plan(on: today))?.entitlements.authorizedContacts, feeAcknowledged: feeAcknowledged)
    }

    /// Every policy's current version, by id.
    func currentPolicies(store: DeskStore) async throws -> [String: Policy] {
        try await refresh(store)
        var result: [String: Policy] = [:]
        for (id, version) in state.withLock({ $0.current }) { result[id] = try await policy(id, version: version, store: store) }
        return result
    }

    /// A given version, as cases logged under it need.
    /// Gives every current policy's queue order its index (see `DeskStore.ensureWaitingIndex`).
    func indexQueues(store: DeskStore) async throws {
        for order in Set(try await currentPolicies(store: store).values.map(\.routing.queueOrder)) {
            try await store.ensureWaitingIndex(for: order)
        }
    }

    func policy(_ id: String, version: String, store: DeskStore) async throws -> Policy {
        let key = Key(id: id, version: version)
        if let cached = state.withLock({ $0.parsed[key] }) { return cached }
        guard let stored = try await store.storedPolicy(id, version: version) else {
            throw StoreError.notFound("policy \(id) version \(version)")
        }
        let policy = try Self.parse(stored.yaml, file: "\(id)@\(version).yaml")
        state.withLock { $0.parsed[key] = policy }
        return policy
    }
}
