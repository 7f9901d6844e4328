import AccordCore
import AccordStore
import BusinessTime
import Foundation
import Vapor

/// `/console/reports/vulnerabilities` and `/console/reports/defects` (staff), and the same under
/// `/portal/reports/` for a customer's authorized contacts: the ledgers in a page, overdue first,
/// each entry linked to its case. Through `CaseService.ledger`, as the API.
struct LedgerPages: RouteCollection {
    let service: @Sendable (Request) -> CaseService
    let pages: PageRenderer

    func boot(routes: any RoutesBuilder) throws {
        for area in ["console", "portal"] {
            for kind in LedgerKind.allCases {
                routes.get(.constant(area), "reports", .constant(kind.rawValue)) { request in try await page(request, kind: kind) }
            }
        }
    }

    struct Content: Encodable, Sendable {
        let kind: String
        let vulnerabilities: Bool
        let all: Bool
        let base: String
        let asOf: String
        let counts: [Count]
        let entries: [Line]
    }

    struct Count: Encodable, Sendable {
        let text: String
        let value: Int
    }

    struct Line: Encodable, Sendable {
        let href: String
        let number: String
        let title: String
        let organization: String
        let grade: String
        let target: String
        let due: String
        let state: String
        let horizon: String
        let tone: String
        let notice: String
    }

    func page(_ request: Request, kind: LedgerKind) async throws -> Response {
        let person = try request.webSession.person
        let area = person.role.isStaff ? "console" : "portal"
        let base = "/\(area)/reports/\(kind.rawValue)"
        guard request.url.path == base else { return request.redirect(to: base) }
        let all = request.query[String.self, at: "state"] == "all"
        let service = service(request)
        let entries = try await service.ledger(kind, organization: nil, all: all, for: person)
        let view = LedgerView(kind: kind, asOf: service.now(), entries: entries)
        let texts: [LedgerHorizon: String] = [.overdue: "Overdue", .week: "Due within 7 days", .month: "Due within 30 days", .later: "Due later",
                                              .waiting: "Waiting to start", .done: "Done"]
        let lines = zip(entries, view.entries).map { entry, shown in
            Line(href: "/\(area)/cases/\(shown.id)", number: shown.number, title: shown.title, organization: shown.organizationName,
                 grade: kind == .vulnerabilities ? "\(shown.cvss.map { String($0) } ?? "") \(shown.band ?? "")" : shown.priority ?? "",
                 target: shown.target ?? "—", due: shown.due ?? "—", state: shown.state, horizon: texts[entry.horizon] ?? "",
                 tone: entry.horizon == .overdue ? "breached" : entry.horizon == .week ? "warning" : "other",
                 notice: shown.notices.last.map { "told \($0.at): new estimate \($0.estimate)\($0.reason.map { " — " + $0 } ?? "")" }
                     ?? (shown.lateNotice == "owed" ? "notice owed" : shown.lateNotice == "missed" ? "never told" : ""))
        }
        let counts = LedgerHorizon.allCases.filter { all || $0 != .done }.map { Count(text: texts[$0] ?? "", value: view.counts[$0.rawValue] ?? 0) }
        let title = kind == .vulnerabilities ? "Vulnerabilities" : "Defects"
        let content = Content(kind: kind.rawValue, vulnerabilities: kind == .vulnerabilities, all: all, base: base, asOf: view.asOf, counts: counts,
                              entries: lines)
        return try await pages.render("ledger", title: title, content: content, on: request, refresh: true)
    }
}
