import AccordCore
import AccordStore
import Foundation
import Vapor

/// `/console/queues`: every team's queue with its length and whether it is open; one queue in its
/// policy's order with the reason for each place; "take next" — all through `WorkService`, as the API.
struct QueuePages: RouteCollection {
    let service: @Sendable (Request) -> CaseService
    let pages: PageRenderer

    /// The waiting cases a queue's page lists, first in order (the page stays small however long the queue).
    static let pageSize = 50
    /// Beyond the page, waiting cases are counted up to this many ("1,000 or more").
    static let countCap = 1000

    func boot(routes: any RoutesBuilder) throws {
        routes.get("console", "queues", use: list)
        routes.get("console", "queues", ":queue", use: show)
        routes.post("console", "take-next", use: takeNext)
        routes.post("console", "queues", ":queue", "members", use: addMember)
        routes.post("console", "queues", ":queue", "members", ":person", "removal", use: removeMember)
    }

    struct ListContent: Encodable, Sendable {
        let queues: [QueueRow]
        let problem: String?
    }

    struct QueueRow: Encodable, Sendable {
        let id: String
        let policy: String
        let name: String
        let tier: Int
        let open: Bool
        let waiting: Int
    }

    private func staff(_ request: Request) throws -> Person {
        let person = try request.webSession.person
        guard person.role.isStaff else { throw Problem(.forbidden, "the console is for the provider's staff; your cases are under Cases") }
        return person
    }

    func list(_ request: Request) async throws -> Response {
        _ = try staff(request)
        return try await render(request, problem: nil, status: .ok)
    }

    private func render(_ request: Request, problem: String?, status: HTTPResponseStatus) async throws -> Response {
        let queues = try await WorkService(cases: service(request)).queues().map {
            QueueRow(id: $0.id.text, policy: $0.policy.name, name: $0.team.name, tier: $0.team.tier, open: $0.openNow, waiting: $0.waiting)
        }
        return try await pages.render("queues", title: "Queues", content: ListContent(queues: queues, problem: problem), on: request, status: status,
                                      refresh: problem == nil)
    }

    struct QueueContent: Encodable, Sendable {
        let id: String
        let name: String
        let policy: String
        let tier: Int
        let order: String
        /// How many rows `rows` has.
        let shown: Int
        /// The table's rows, composed by `rows(_:)`.
        let rows: String
        /// Waiting beyond the first page, taken in order by take-next (counted up to `countCap`).
        let more: Int
        let moreCapped: Bool
        /// The team's members; managers and administrators change them (`forms`).
        let members: [MemberRow]
        let canManage: Bool
        let forms: [WebForm]
        let problem: String?
    }

    struct MemberRow: Encodable, Sendable {
        let id: String
        let name: String
        let email: String
        let lead: Bool
        let languages: String
    }

    /// A waiting case in its place.
    struct Position: Sendable {
        let position: Int
        let caseID: String
        let number: String
        let title: String
        let priority: String
        let plan: String
        let due: WebFormat.Time?
        let reason: String
    }

    /// The queue's table rows as HTML, every value escaped (`HTMLText`). Composed here rather than
    /// by a `#for` in the template: Leaf resolving and escaping seven values in each of 50 rows
    /// was 40% of the page's time (BENCHMARKS.md).
    static func rows(_ positions: [Position]) -> String {
        var html = ""
        html.reserveCapacity(positions.count * 400)
        for p in positions {
            let e = HTMLText.escape
            html += "<tr><td>\(p.position)</td><td><a href=\"/console/cases/\(e(p.caseID))\">\(e(p.number))</a></td><td>\(e(p.title))</td>\n"
            html += "<td>\(e(p.priority))</td><td>\(e(p.plan))</td>\n<td>"
            if let due = p.due {
                html += "<time datetime=\"\(e(due.iso))\">\(e(due.viewer))</time>"
            } else {
                html += "—"
            }
            html += "</td><td>\(e(p.reason))</td></tr>\n"
        }
        return html
    }

    func show(_ request: Request) async throws -> Response {
        try await renderQueue(request, refused: nil, status: .ok)
    }

    private func renderQueue(_ request: Request, refused: CustomerPages.Refused?, status: HTTPResponseStatus) async throws -> Response {
        let caller = try staff(request)
        let id = try WorkService.QueueID(request.parameters.get("queue") ?? "")
        let work = WorkService(cases: service(request))
        let (team, policy, ordered) = try await work.ordered(id, limit: Self.pageSize)
        let waiting = try await work.store.waitingCount(in: team.id, of: policy.id, cap: Self.countCap + Self.pageSize)
        let format = WebFormat(request)
        let zone = policy.calendars[team.calendar]?.calendar(forClockStartedAt: CaseService.seconds(work.cases.now())).zoneIdentifier
        let canManage = [.manager, .admin].contains(caller.role)
        let (members, forms) = try await membership(of: team, policy: policy, queue: id, store: work.store, canManage: canManage, refused: refused)
        let positions = ordered.enumerated().map { index, entry in
            let c = entry.0.supportCase
            return Position(position: index + 1, caseID: c.id.uuidString, number: c.number, title: c.title,
                            priority: c.priority.flatMap { policy.priority($0)?.name } ?? "—", plan: policy.plan(c.planID)?.name ?? c.planID,
                            due: entry.0.due.map { format.time($0, contractZone: zone) }, reason: entry.1)
        }
        let content = QueueContent(
            id: id.text, name: team.name, policy: policy.name, tier: team.tier,
            order: policy.routing.queueOrder.map(\.rawValue).joined(separator: ", then "),
            shown: positions.count, rows: Self.rows(positions),
            more: max(0, waiting - positions.count), moreCapped: waiting >= Self.countCap + Self.pageSize,
            members: members, canManage: canManage, forms: forms,
            problem: refused.flatMap { forms.isEmpty ? $0.problem.detail : nil })
        return try await pages.render("queue", title: "\(team.name) (\(policy.name))", content: content, on: request, status: status,
                                      refresh: refused == nil, section: "/console/queues")
    }

    /// The team's members with their names, and for managers and administrators the form that
    /// adds one: the provider's active staff of the team's tier (or of no tier) not in it yet.
    private func membership(of team: Team, policy: Policy, queue: WorkService.QueueID, store: DeskStore, canManage: Bool,
                            refused: CustomerPages.Refused?) async throws -> ([MemberRow], [WebForm]) {
        let members = try await store.members(of: policy.id, team: team.id)
        var rows: [MemberRow] = []
        for member in members {
            guard let person = try await store.person(member.personID) else { continue }
            rows.append(MemberRow(id: person.id.uuidString, name: person.name, email: person.email, lead: member.lead,
                                  languages: member.languages.isEmpty ? "any of the team's" : member.languages.joined(separator: ", ")))
        }
        guard canManage else { return (rows, []) }
        let inTeam = Set(members.map(\.personID))
        let candidates = try await store.staff(roles: Role.staff).filter {
            !inTeam.contains($0.id) && !$0.erased && !$0.deactivated && ($0.tier == nil || $0.tier == team.tier)
        }.sorted { $0.name < $1.name }
        var form = WebForm(id: "member", title: "Add a member to \(team.name)", action: "/console/queues/\(queue.text)/members", submit: "Add to the team", fields: [
            .select("person", "Member of staff", candidates.map { (value: $0.id.uuidString, label: "\($0.name) <\($0.email)>") },
                    hint: "Agents of tier \(team.tier) and staff without a tier."),
            .checkbox("lead", "Team lead (also gets the team's SLA warnings and breaches)"),
            .text("languages", "Languages", hint: "Language codes separated by commas (en, de); empty for any of the team's: \(team.languages.joined(separator: ", ")).",
                  maxLength: 200),
        ])
        if let refused { form = form.refused(refused.problem, values: refused.values) }
        return (rows, [form])
    }

    /// Adds a member to the queue's team (`WorkService.addMember`, as the API).
    func addMember(_ request: Request) async throws -> Response {
        let caller = try staff(request)
        let id = try WorkService.QueueID(request.parameters.get("queue") ?? "")
        let values = try request.content.decode([String: String].self)
        let form = FormValues(values)
        do {
            guard let person = form["person"].flatMap(UUID.init(uuidString:)) else {
                throw Problem(.unprocessableEntity, "choose a member of staff", field: "person")
            }
            let languages = (form["languages"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            _ = try await WorkService(cases: service(request)).addMember(person, to: id, lead: form.ticked("lead"), languages: languages, by: caller)
            return request.redirect(to: "/console/queues/\(id.text)", redirectType: .normal)
        } catch {
            let problem = try WebRefusal.problem(error, request)
            return try await renderQueue(request, refused: .init(form: "member", problem: problem, values: values), status: HTTPResponseStatus(statusCode: problem.status))
        }
    }

    /// Takes a member off the queue's team.
    func removeMember(_ request: Request) async throws -> Response {
        let caller = try staff(request)
        let id = try WorkService.QueueID(request.parameters.get("queue") ?? "")
        guard let person = request.parameters.get("person").flatMap(UUID.init(uuidString:)) else { throw Problem(.notFound, "no person has that id") }
        try await WorkService(cases: service(request)).removeMember(person, from: id, by: caller)
        return request.redirect(to: "/console/queues/\(id.text)", redirectType: .normal)
    }

    struct TakeForm: Content {
        var queue: String?
    }

    /// Takes the next case the agent may work (from one queue, or from each of theirs in turn) and opens it.
    func takeNext(_ request: Request) async throws -> Response {
        let person = try staff(request)
        let form = try request.content.decode(TakeForm.self)
        let queue = try form.queue.flatMap { $0.isEmpty ? nil : try WorkService.QueueID($0, field: "queue") }
        do {
            guard let taken = try await WorkService(cases: service(request)).takeNext(by: person, from: queue) else {
                return try await render(request, problem: "Nothing waits for you\(queue.map { " in \($0.text)" } ?? " in your queues") right now.", status: .ok)
            }
            return request.redirect(to: "/console/cases/\(taken.id.uuidString)", redirectType: .normal)
        } catch let problem as Problem where problem.status < 500 {
            return try await render(request, problem: problem.detail, status: HTTPResponseStatus(statusCode: problem.status))
        }
    }
}
