import AccordCore
import AccordStore
import BusinessTime
import Foundation
import Vapor

/// `POST /api/v1/maintenance-windows`: records scheduled (or emergency) maintenance for a customer
/// or every customer of a policy, held to the contract's limits. `GET
/// /api/v1/organizations/{id}/maintenance?year=`: the customer's year as a grid.
struct MaintenanceRoutes: RouteCollection {
    let ledger: @Sendable (Request) -> MaintenanceLedger

    func boot(routes: any RoutesBuilder) throws {
        routes.post("maintenance-windows", use: record)
        routes.get("organizations", ":id", "maintenance", use: year)
    }

    struct WindowView: Content {
        let id: UUID
        let policy: String
        /// Absent: every customer of the policy.
        let organization: UUID?
        let start: String
        let end: String
        let kind: String
        let note: String
        /// Present on a window recorded past the limits: the administrator's reason — a breach.
        let override: String?
        let recordedBy: UUID?
        let recordedAt: String

        init(_ window: MaintenanceWindow) {
            id = window.id
            policy = window.policyID
            organization = window.organizationID
            start = ISO8601.utc(CaseService.seconds(window.start))
            end = ISO8601.utc(Int64(window.end.timeIntervalSince1970.rounded(.up)))
            kind = window.kind
            note = window.note
            override = window.overrideReason
            recordedBy = window.recordedBy
            recordedAt = ISO8601.utc(CaseService.seconds(window.recordedAt))
        }
    }

    struct YearView: Content {
        struct Month: Content {
            let month: Int
            let minutes: Int
            let allowance: Int?
            let over: Bool
        }

        struct Limit: Content {
            let minutes: Int
            let monthsPerYear: Int
        }

        let organization: UUID
        let organizationName: String
        let policy: String
        let year: Int
        let zone: String
        let limits: [Limit]
        let withinLimits: Bool
        let months: [Month]
        let windows: [WindowView]
    }

    func record(_ request: Request) async throws -> Response {
        let caller = try request.requireStaff([.manager, .admin, .tam])
        let body = try StrictBody.decode(MaintenanceLedger.NewWindow.self, from: request, allowed: MaintenanceLedger.NewWindow.fields)
        let window = try await ledger(request).record(body, by: caller)
        let response = Response(status: .created)
        try response.content.encode(WindowView(window), as: .json)
        return response
    }

    func year(_ request: Request) async throws -> YearView {
        guard let id = request.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw Problem(.notFound, "no organization has that id") }
        let text = try? request.query.get(String.self, at: "year")
        guard let text, let year = Int(text) else { throw Problem(.badRequest, "year is required: a calendar year such as 2026", field: "year") }
        let (organization, policy, grid, windows) = try await ledger(request).year(id, year: year, for: try request.caller)
        return YearView(
            organization: organization.id, organizationName: organization.name, policy: policy.id, year: year, zone: policy.zoneIdentifier,
            limits: policy.rules.maintenanceLimits.map { YearView.Limit(minutes: $0.minutes, monthsPerYear: $0.monthsPerYear) },
            withinLimits: grid.isWithinLimits,
            months: grid.months.map { YearView.Month(month: $0.month, minutes: $0.minutes, allowance: grid.isLimited ? $0.allowance : nil, over: grid.isLimited && $0.isOver) },
            windows: windows.map(WindowView.init))
    }
}
