import AccordCore
import AccordStore
import Foundation
import Vapor

/// `/console/board`: the desk at a glance for managers, TAMs and admins — what breaches next,
/// what is breached and not yet resolved (and how much of it today), what is at risk by team and
/// tier, the internal targets (OLAs) of the cases at the head of each queue, and each queue's
/// length. Every list is `CaseService.list` (the API's `GET /cases` with `sort=due`, `breached`);
/// each case links to its page, where every clock says why it is due then.
struct BoardPage: RouteCollection {
    let service: @Sendable (Request) -> CaseService
    let pages: PageRenderer

    /// How far ahead a running clock's due counts as at risk.
    static let riskWindow: TimeInterval = 4 * 3600
    /// The head of each queue whose internal targets (OLAs) the board derives: the cases agents
    /// take next, each of whose pick-up OLA is running while it waits.
    static let olaHead = 10

    func boot(routes: any RoutesBuilder) throws {
        routes.get("console", "board", use: show)
    }

    struct Content: Encodable, Sendable {
        let next: [CasePages.Row]
        let breached: [CasePages.Row]
        /// Of `breached`, how many breached since the viewer's midnight.
        let breachedToday: Int
        let risk: [Risk]
        /// `risk` summed by tier.
        let tiers: [TierRisk]
        let olas: [OLARow]
        let olaHead: Int
        let queues: [QueuePages.QueueRow]
        let riskHours: Int
    }

    struct TierRisk: Encodable, Sendable {
        let tier: Int
        let cases: Int
    }

    /// A waiting case's internal target, breached or due within the risk window.
    struct OLARow: Encodable, Sendable {
        let caseID: String
        let number: String
        let queue: String
        let name: String
        let target: String
        let state: CaseSheet.Label
        let due: WebFormat.Time
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
        let format = WebFormat(request)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = format.viewerZone ?? TimeZone(identifier: "UTC")!
        let midnight = CaseService.seconds(calendar.startOfDay(for: service.now()))
        let breachedToday = breached.filter { item in
            item.clocks.contains { $0.state == "breached" && ($0.status?.due ?? 0) >= midnight }
        }.count
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
        let work = WorkService(cases: service)
        let states = try await work.queues()
        let queues = states.map {
            QueuePages.QueueRow(id: $0.id.text, policy: $0.policy.name, name: $0.team.name, tier: $0.team.tier, open: $0.openNow, waiting: $0.waiting)
        }
        let horizon = CaseService.seconds(service.now().addingTimeInterval(Self.riskWindow))
        var olas: [OLARow] = []
        for queue in states where queue.waiting > 0 && !queue.policy.routing.olas.isEmpty {
            for (waiting, _) in try await work.ordered(queue.id, limit: Self.olaHead).positions {
                let c = waiting.supportCase
                let zone = CaseSheetMaker.contractZone(of: c, policy: queue.policy, at: CaseService.seconds(service.now()))
                for ola in try await work.olas(of: c, events: try await service.store.events(of: c.id), at: service.now())
                where ola.status.state == .breached || (ola.status.state == .running && ola.status.due <= horizon) {
                    olas.append(OLARow(caseID: c.id.uuidString, number: c.number, queue: queue.team.name, name: ola.name, target: ola.target,
                                       state: CaseSheet.state(ola.status.state.rawValue),
                                       due: format.time(Date(timeIntervalSince1970: TimeInterval(ola.status.due)), contractZone: zone)))
                }
            }
        }
        let riskRows = risk.values.sorted { ($0.tier, $0.team) < ($1.tier, $1.team) }.map { Risk(team: $0.team, tier: $0.tier, cases: $0.cases) }
        let tiers = Dictionary(grouping: riskRows, by: \.tier).map { TierRisk(tier: $0.key, cases: $0.value.reduce(0) { $0 + $1.cases }) }.sorted { $0.tier < $1.tier }
        let content = Content(
            next: try await rows.rows(next.items), breached: try await rows.rows(breached), breachedToday: breachedToday,
            risk: riskRows, tiers: tiers, olas: olas.sorted { $0.due.iso < $1.due.iso }, olaHead: Self.olaHead,
            queues: queues, riskHours: Int(Self.riskWindow / 3600))
        return try await pages.render("board", title: "Board", content: content, on: request, refresh: true)
    }
}
