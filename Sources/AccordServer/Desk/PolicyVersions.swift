import AccordCore
import AccordStore
import Foundation
import NIOPosix

/// Policy versions: an upload checked exactly as `accord policy check` checks a file, kept as a
/// draft or made current at once, and a draft published later. Administrators only. The API's
/// `/policies` routes and the console's policy pages both come here.
struct PolicyVersions: Sendable {
    let store: DeskStore
    let catalog: PolicyCatalog
    /// Where a policy is parsed: never on an event loop, so a large one stalls no other request
    /// (the loader's expansion budget bounds how long any text takes).
    let threadPool: NIOThreadPool
    let now: @Sendable () -> Date

    /// Stores `yaml` as a new version of the policy it names. Throws `PolicyIssues` with every
    /// problem at its line and column when the text is not a valid policy.
    func upload(_ yaml: String, publish: Bool, by caller: Person) async throws -> StoredPolicy {
        try Self.mayChange(caller)
        let policy = try await threadPool.runIfActive { try PolicyCatalog.parse(yaml, file: "upload.yaml") }
        let stored = try await store.addPolicy(policy.id, version: policy.version, yaml: yaml, by: caller.id, at: now(), publish: publish)
        catalog.invalidate()
        if publish { try await catalog.indexQueues(store: store) }
        return stored
    }

    /// Makes a stored version the one new cases are logged under.
    func publish(_ policyID: String, version: String, by caller: Person) async throws -> StoredPolicy {
        try Self.mayChange(caller)
        let stored = try await store.publishPolicy(policyID, version: version, at: now())
        catalog.invalidate()
        try await catalog.indexQueues(store: store)
        return stored
    }

    /// The API's answer to a policy with problems: 422, every problem with its line and column.
    static func problem(_ issues: PolicyIssues) -> Problem {
        Problem(.unprocessableEntity, "the policy has \(issues.issues.count) problem\(issues.issues.count == 1 ? "" : "s"):\n\(issues.description)",
                errors: issues.issues.map { .init(field: $0.path.isEmpty ? "(document)" : $0.path, detail: "line \($0.line), column \($0.column): \($0.message)") })
    }

    static func mayChange(_ caller: Person) throws {
        guard caller.role == .admin else { throw Problem(.forbidden, "this needs the role admin; you are \(caller.role.rawValue)") }
    }
}
