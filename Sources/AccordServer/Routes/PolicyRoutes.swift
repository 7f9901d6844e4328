import AccordCore
import AccordStore
import BusinessTime
import Foundation
import Vapor

/// `/api/v1/policies`: the policies the desk runs, their versions, upload and publication.
struct PolicyRoutes: RouteCollection {
    let store: @Sendable (Request) -> DeskStore
    let catalog: PolicyCatalog
    let now: @Sendable () -> Date

    struct Summary: Content {
        let id: String
        let name: String
        let currentVersion: String
        let versions: [Version]
    }

    struct Version: Content {
        let version: String
        let uploadedAt: String
        let uploadedBy: UUID?
        let publishedAt: String?
        let current: Bool

        init(_ stored: StoredPolicy) {
            version = stored.version
            uploadedAt = ISO8601.utc(CaseService.seconds(stored.uploadedAt))
            uploadedBy = stored.uploadedBy
            publishedAt = stored.publishedAt.map { ISO8601.utc(CaseService.seconds($0)) }
            current = stored.current
        }
    }

    func boot(routes: any RoutesBuilder) throws {
        let policies = routes.grouped("policies")
        policies.get(use: list)
        policies.post(use: upload)
        policies.get(":id", "versions", ":version", use: show)
        policies.post(":id", "versions", ":version", "publish", use: publish)
    }

    func list(_ request: Request) async throws -> [Summary] {
        _ = try request.requireStaff(Role.staff)
        let store = store(request)
        let current = try await catalog.currentPolicies(store: store)
        let versions = Dictionary(grouping: try await store.storedPolicies(), by: \.policyID)
        return current.keys.sorted().compactMap { id in
            guard let policy = current[id] else { return nil }
            return Summary(id: id, name: policy.name, currentVersion: policy.version, versions: (versions[id] ?? []).map(Version.init))
        }
    }

    /// The YAML text of one version.
    func show(_ request: Request) async throws -> Response {
        _ = try request.requireStaff(Role.staff)
        let (id, version) = try key(request)
        guard let stored = try await store(request).storedPolicy(id, version: version) else {
            throw StoreError.notFound("policy \(id) version \(version)")
        }
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "application", subType: "yaml", parameters: ["charset": "utf-8"])
        return Response(status: .ok, headers: headers, body: .init(string: stored.yaml))
    }

    /// Uploads a policy version (YAML body), checked exactly as `accord policy check` checks a file;
    /// `?publish=true` makes it current at once, otherwise it waits as a draft.
    func upload(_ request: Request) async throws -> Response {
        let caller = try request.requireStaff([.admin])
        guard let type = request.headers.contentType, ["yaml", "x-yaml"].contains(type.subType) else {
            throw Problem(.unsupportedMediaType, "send the policy as YAML: Content-Type: application/yaml")
        }
        guard let buffer = request.body.data, let yaml = buffer.getString(at: buffer.readerIndex, length: buffer.readableBytes) else {
            throw Problem(.badRequest, "the body is empty: send the policy's YAML text")
        }
        let publish = try flag(request, "publish")
        let stored: StoredPolicy
        do {
            stored = try await versions(request).upload(yaml, publish: publish, by: caller)
        } catch let issues as PolicyIssues {
            throw PolicyVersions.problem(issues)
        }
        let response = Response(status: .created)
        try response.content.encode(Version(stored))
        return response
    }

    func publish(_ request: Request) async throws -> Version {
        let caller = try request.requireStaff([.admin])
        let (id, version) = try key(request)
        return Version(try await versions(request).publish(id, version: version, by: caller))
    }

    private func versions(_ request: Request) -> PolicyVersions {
        PolicyVersions(store: store(request), catalog: catalog, threadPool: request.application.threadPool, now: now)
    }

    private func key(_ request: Request) throws -> (String, String) {
        guard let id = request.parameters.get("id"), let version = request.parameters.get("version") else {
            throw Problem(.notFound, "no such policy version")
        }
        return (id, version)
    }

    private func flag(_ request: Request, _ name: String) throws -> Bool {
        guard let text = try? request.query.get(String.self, at: name) else { return false }
        switch text {
        case "true": return true
        case "false": return false
        default: throw Problem(.badRequest, "\(name) must be true or false", field: name)
        }
    }
}
