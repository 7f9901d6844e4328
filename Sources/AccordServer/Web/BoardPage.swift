import AccordCore
import AccordStore
import Foundation
import Vapor

/// `/console/board`: the desk at a glance for managers, TAMs and admins — what breaches next,
/// what is breached and not yet resolved, what is at risk by team and tier, and each queue's
/// length. Every list is `CaseService.list` (the API's `GET /cases` with `sort=due`, `breached`);
/// each case links to its page, where every clock says why it is due then.
struct BoardPage: RouteCollection {
    let service: @Sendable (Request) -> CaseService
    let pages: PageRenderer

    /// How far ahead a running clock's due counts as at risk.
    static let riskWindow: TimeInterval = 4 * 3600

    func boot(routes: any RoutesBuilder) throws {
        routes.get("console", "board", use: show)
    }

    struct Content: Encodable, Sendable {
        let next: [CasePages.Row]
        let breached: [CasePages.Row]
        let risk: [Risk]
        let queues: [QueuePages.QueueRow]
        let riskHours: Int
    }

    struct Risk: Encodable, Sendable {
        let team: String
        let tier: Int
        let cases: Int
    }

    func show(_ request: Request) async throws -> Response {
        let person = try request.webSession.person
        guard [Role.manager, .admin, .tam].contains(person.role) else {
            throw Problem(.forbidden, "the board is for managers, TAMs and administrators")
        }
        let service = service(request)
        let rows = CaseRowMaker(service: service, format: WebFormat(request))
        var soon = CaseListQuery(limit: 25)
        soon.sort = "due"
        soon.breached = "false"
        let next = try await service.list(soon, for: person)
        var breachedQuery = CaseListQuery(limit: 100)
        breachedQuery.breached = "true"
        let breached = try await service.list(breachedQuery, for: person).items
            .filter { $0.supportCase.status != CaseStatus.resolved.rawValue && $0.supportCase.status != CaseStatus.closed.rawValue }
        var atRisk = CaseListQuery(limit: 200)
        atRisk.sort = "due"
        atRisk.breached = "false"
        atRisk.dueBefore = WebFormat.iso(service.now().addingTimeInterval(Self.riskWindow))
        var risk: [String: (team: String, tier: Int, cases: Int)] = [:]
        for item in try await service.list(atRisk, for: person).items {
            let work = item.supportCase.work
            let key = "\(item.supportCase.policyID).\(work.team ?? "none")"
            risk[key, default: (key, work.tier, 0)].cases += 1
        }
        let queues = try await WorkService(cases: service).queues().map {
            QueuePages.QueueRow(id: $0.id.text, policy: $0.policy.name, name: $0.team.name, tier: $0.team.tier, open: $0.openNow, waiting: $0.waiting)
        }
        let content = Content(
            next: try await rows.rows(next.items), breached: try await rows.rows(breached),
            risk: risk.values.sorted { ($0.tier, $0.team) < ($1.tier, $1.team) }.map { Risk(team: $0.team, tier: $0.tier, cases: $0.cases) },
            queues: queues, riskHours: Int(Self.riskWindow / 3600))
        return try await pages.render("board", title: "Board", content: content, on: request, refresh: true)
    }
}
