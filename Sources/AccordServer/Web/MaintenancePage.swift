import AccordCore
import AccordStore
import BusinessTime
import Foundation
import Vapor

/// `/console/customers/{id}/maintenance?year=` (staff) and `/portal/maintenance?year=` (the
/// customer's authorized contacts): a customer's maintenance year as a grid of months against the
/// contract's limits, with every window and the breaches recorded. Through `MaintenanceLedger`, as the API.
struct MaintenancePage: RouteCollection {
    let ledger: @Sendable (Request) -> MaintenanceLedger
    let pages: PageRenderer

    func boot(routes: any RoutesBuilder) throws {
        routes.get("console", "customers", ":id", "maintenance", use: console)
        routes.get("portal", "maintenance", use: portal)
    }

    struct Content: Encodable, Sendable {
        let name: String
        let year: Int
        let zone: String
        let limits: String
        let withinLimits: Bool
        let limited: Bool
        let months: [Month]
        let windows: [MaintenanceRoutes.WindowView]
        let previous: String
        let previousYear: Int
        let next: String
        let nextYear: Int
    }

    struct Month: Encodable, Sendable {
        let name: String
        let minutes: Int
        let allowance: Int?
        let over: Bool
    }

    func console(_ request: Request) async throws -> Response {
        guard let id = request.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw Problem(.notFound, "no organization has that id") }
        return try await page(request, organization: id, base: "/console/customers/\(id)/maintenance")
    }

    func portal(_ request: Request) async throws -> Response {
        let person = try request.webSession.person
        guard let id = person.organizationID, person.role == .authorizedContact else {
            throw Problem(.forbidden, "a customer's maintenance is shown to its authorized contacts")
        }
        return try await page(request, organization: id, base: "/portal/maintenance")
    }

    private func page(_ request: Request, organization id: UUID, base: String) async throws -> Response {
        let person = try request.webSession.person
        let ledger = ledger(request)
        let year: Int
        if let text = request.query[String.self, at: "year"] {
            guard let number = Int(text) else { throw Problem(.badRequest, "year must be a calendar year such as 2026", field: "year") }
            year = number
        } else {
            year = Calendar(identifier: .gregorian).component(.year, from: ledger.now())
        }
        let (organization, policy, grid, windows) = try await ledger.year(id, year: year, for: person)
        let content = Content(
            name: organization.name, year: year, zone: policy.zoneIdentifier,
            limits: grid.isLimited ? MaintenanceLedger.limitsText(policy.rules.maintenanceLimits) + " per calendar year" : "no limits",
            withinLimits: grid.isWithinLimits, limited: grid.isLimited,
            months: grid.months.map { Month(name: MaintenanceLedger.monthName($0.month), minutes: $0.minutes, allowance: grid.isLimited ? $0.allowance : nil,
                                            over: grid.isLimited && $0.isOver) },
            windows: windows.map(MaintenanceRoutes.WindowView.init), previous: "\(base)?year=\(year - 1)", previousYear: year - 1,
            next: "\(base)?year=\(year + 1)", nextYear: year + 1)
        return try await pages.render("maintenance", title: "Maintenance \(year) · \(organization.name)", content: content, on: request)
    }
}
