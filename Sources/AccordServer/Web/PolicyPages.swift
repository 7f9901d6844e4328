import AccordCore
import AccordStore
import Foundation
import Vapor

/// `/console/policies`: the contracts the desk runs and their versions; for administrators, an
/// upload (pasted or a file) checked as `accord policy check` checks it — refused, every problem is
/// shown at its line and column in the text sent — a version's differences from the one in force,
/// and its publication. All through `PolicyVersions`, as `/api/v1/policies`.
struct PolicyPages: RouteCollection {
    let store: @Sendable (Request) -> DeskStore
    let catalog: PolicyCatalog
    let pages: PageRenderer
    let now: @Sendable () -> Date

    func boot(routes: any RoutesBuilder) throws {
        routes.get("console", "policies", use: list)
        routes.post("console", "policies", use: upload)
        routes.get("console", "policies", ":id", "versions", ":version", use: show)
        routes.post("console", "policies", ":id", "versions", ":version", "publish", use: publish)
    }

    private func staff(_ request: Request) throws -> Person {
        let person = try request.webSession.person
        guard person.role.isStaff else { throw Problem(.forbidden, "the console is for the provider's staff") }
        return person
    }

    private func versions(_ request: Request) -> PolicyVersions {
        PolicyVersions(store: store(request), catalog: catalog, threadPool: request.application.threadPool, now: now)
    }

    // MARK: The list and the upload

    struct ListContent: Encodable, Sendable {
        let policies: [PolicyRow]
        let forms: [WebForm]
        /// The text of a refused upload, each line with its problems.
        let refused: [SourceLine]?
        let problems: [ProblemLine]
    }

    struct PolicyRow: Encodable, Sendable {
        let id: String
        let name: String
        let versions: [VersionRow]
    }

    struct VersionRow: Encodable, Sendable {
        let policy: String
        let version: String
        let uploaded: String
        let published: String?
        let current: Bool
    }

    struct SourceLine: Encodable, Sendable {
        let number: Int
        let text: String
        let problems: [String]
    }

    struct ProblemLine: Encodable, Sendable {
        let line: Int
        let text: String
    }

    func list(_ request: Request) async throws -> Response {
        try await renderList(request, problem: nil, issues: nil, values: [:], status: .ok)
    }

    private func renderList(_ request: Request, problem: Problem?, issues: (yaml: String, issues: [PolicyIssue])?, values: [String: String],
                            status: HTTPResponseStatus) async throws -> Response {
        let caller = try staff(request)
        let store = store(request)
        let format = WebFormat(request)
        let current = try await catalog.currentPolicies(store: store)
        let stored = Dictionary(grouping: try await store.storedPolicies(), by: \.policyID)
        let rows = stored.keys.sorted().map { id in
            PolicyRow(id: id, name: current[id]?.name ?? id, versions: (stored[id] ?? []).reversed().map {
                VersionRow(policy: id, version: $0.version, uploaded: format.time($0.uploadedAt, contractZone: nil).viewer,
                           published: $0.publishedAt.map { format.time($0, contractZone: nil).viewer }, current: $0.current)
            })
        }
        var forms: [WebForm] = []
        if caller.role == .admin {
            var form = WebForm(id: "upload", title: "Upload a policy version", action: "/console/policies", submit: "Check and upload", fields: [
                .textarea("yaml", "The policy's YAML", hint: "Paste the text, or choose its file below. Its id and version say which policy and version it is.",
                          maxLength: 1_000_000),
                WebField(name: "file", label: "Or the policy's file", kind: "file"),
                .checkbox("publish", "Publish at once (new cases are then logged under it)"),
            ], hint: "Checked as accord policy check checks a file; nothing is stored while it has a problem.", multipart: true)
            if let problem { form = form.refused(problem, values: values) }
            forms = [form]
        }
        let refused = issues.map { sent in
            let byLine = Dictionary(grouping: sent.issues, by: \.line)
            return Self.lines(sent.yaml).enumerated().map { index, text in
                SourceLine(number: index + 1, text: text, problems: (byLine[index + 1] ?? []).map(Self.describe))
            }
        }
        let problems = (issues?.issues ?? []).map { ProblemLine(line: $0.line, text: Self.describe($0)) }
        return try await pages.render("policies", title: "Policies", content: ListContent(policies: rows, forms: forms, refused: refused, problems: problems),
                                      on: request, status: status, section: "/console/policies")
    }

    static func describe(_ issue: PolicyIssue) -> String {
        "line \(issue.line), column \(issue.column)\(issue.path.isEmpty ? "" : " (\(issue.path))"): \(issue.message)"
    }

    struct UploadForm: Content {
        var yaml: String?
        var file: File?
        var publish: String?
    }

    /// Checks and stores an uploaded version, then shows it; refused, the list again with every
    /// problem at its place in the text.
    func upload(_ request: Request) async throws -> Response {
        let caller = try staff(request)
        let form = try request.content.decode(UploadForm.self)
        // A browser sends a textarea's lines ended by CR LF (HTML's rule), whatever was pasted.
        let typed = (form.yaml ?? "").replacingOccurrences(of: "\r\n", with: "\n")
        var values = ["yaml": typed]
        if form.publish == "yes" { values["publish"] = "yes" }
        var yaml = typed
        do {
            if let file = form.file, file.data.readableBytes > 0 {
                guard let text = file.data.getString(at: file.data.readerIndex, length: file.data.readableBytes, encoding: .utf8) else {
                    throw Problem(.unprocessableEntity, "\(file.filename) is not UTF-8 text: a policy is a YAML file", field: "file")
                }
                yaml = text
            }
            guard !yaml.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw Problem(.unprocessableEntity, "paste the policy's YAML or choose its file", field: "yaml")
            }
            let stored = try await versions(request).upload(yaml, publish: form.publish == "yes", by: caller)
            return request.redirect(to: Self.path(stored.policyID, stored.version) + "?done=1", redirectType: .normal)
        } catch let issues as PolicyIssues {
            values["yaml"] = yaml
            return try await renderList(request, problem: PolicyVersions.problem(issues), issues: (yaml, issues.issues), values: values,
                                        status: .unprocessableEntity)
        } catch {
            let problem = try WebRefusal.problem(error, request)
            return try await renderList(request, problem: problem, issues: nil, values: values, status: HTTPResponseStatus(statusCode: problem.status))
        }
    }

    static func path(_ policy: String, _ version: String) -> String {
        var components = URLComponents()
        components.path = "/console/policies/\(policy)/versions/\(version)"
        return components.percentEncodedPath
    }

    // MARK: A version

    struct VersionContent: Encodable, Sendable {
        let policy: String
        let name: String
        let version: String
        let uploaded: String
        let uploadedBy: String?
        let published: String?
        let current: Bool
        /// The version in force it is compared with (none when this is it).
        let against: String?
        let changes: [DiffRow]
        let exact: Bool
        let source: [SourceLine]
        let canPublish: Bool
        let publishPath: String
        let notice: String?
        let problem: String?
    }

    struct DiffRow: Encodable, Sendable {
        /// `kept`, `removed`, `added`, or `gap` for unchanged lines left out.
        let kind: String
        let old: String
        let new: String
        let text: String
    }

    func show(_ request: Request) async throws -> Response {
        try await renderVersion(request, problem: nil, status: .ok)
    }

    private func renderVersion(_ request: Request, problem: String?, status: HTTPResponseStatus) async throws -> Response {
        let caller = try staff(request)
        let store = store(request)
        guard let id = request.parameters.get("id"), let version = request.parameters.get("version"),
              let stored = try await store.storedPolicy(id, version: version) else { throw Problem(.notFound, "no such policy version") }
        // The version in force, as the catalog knows it: one stored text read, not every version's.
        let current = try await catalog.currentPolicies(store: store)[id]
        var inForce: StoredPolicy? = stored.current ? stored : nil
        if inForce == nil, let current { inForce = try await store.storedPolicy(id, version: current.version) }
        let format = WebFormat(request)
        var changes: [DiffRow] = []
        var exact = true
        if let inForce, inForce.version != version {
            let diff = LineDiff(old: Self.lines(inForce.yaml), new: Self.lines(stored.yaml))
            exact = diff.exact
            changes = diff.hunks().map { line in
                guard let line else { return DiffRow(kind: "gap", old: "", new: "", text: "…") }
                return DiffRow(kind: line.kind.rawValue, old: line.old.map(String.init) ?? "", new: line.new.map(String.init) ?? "", text: line.text)
            }
        }
        var uploader: String?
        if let by = stored.uploadedBy { uploader = try await store.person(by)?.name }
        let content = VersionContent(
            policy: id, name: current?.name ?? id, version: version,
            uploaded: format.time(stored.uploadedAt, contractZone: nil).viewer, uploadedBy: uploader,
            published: stored.publishedAt.map { format.time($0, contractZone: nil).viewer }, current: stored.current,
            against: stored.current ? nil : inForce?.version, changes: changes, exact: exact,
            source: Self.lines(stored.yaml).enumerated().map { SourceLine(number: $0 + 1, text: $1, problems: []) },
            canPublish: caller.role == .admin && !stored.current, publishPath: Self.path(id, version) + "/publish",
            notice: request.query[String.self, at: "done"] != nil ? (stored.current ? "Uploaded and published: new cases are logged under \(version)."
                                                                                   : "Uploaded as a draft; publish it when it should take effect.") : nil,
            problem: problem)
        return try await pages.render("policy", title: "\(content.name) \(version)", content: content, on: request, status: status,
                                      section: "/console/policies")
    }

    /// The text's lines as YAML counts them, without their ends (LF, CR LF — one `Character` in
    /// Swift — or CR: a file made on Windows compares equal).
    static func lines(_ text: String) -> [String] {
        text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }).map(String.init)
    }

    /// Makes the version current (`PolicyVersions.publish`).
    func publish(_ request: Request) async throws -> Response {
        let caller = try staff(request)
        guard let id = request.parameters.get("id"), let version = request.parameters.get("version") else { throw Problem(.notFound, "no such policy version") }
        do {
            _ = try await versions(request).publish(id, version: version, by: caller)
            return request.redirect(to: Self.path(id, version) + "?done=1", redirectType: .normal)
        } catch {
            let problem = ProblemMiddleware.problem(for: error, request: request)
            guard problem.status < 500, problem.status != 404 else { throw error }
            return try await renderVersion(request, problem: problem.detail, status: HTTPResponseStatus(statusCode: problem.status))
        }
    }
}
