import AccordCore
import AccordStore
import BusinessTime
import Foundation
import Vapor

/// `/api/v1/cases`: log, read, list and add to the timeline.
struct CaseRoutes: RouteCollection {
    let service: @Sendable (Request) -> CaseService

    func boot(routes: any RoutesBuilder) throws {
        let cases = routes.grouped("cases")
        cases.post(use: create)
        cases.get(use: list)
        cases.get(":id", use: show)
        cases.post(":id", "events", use: addEvent)
    }

    func create(_ request: Request) async throws -> Response {
        let new = try StrictBody.decode(CaseService.NewCase.self, from: request, allowed: CaseService.NewCase.fields)
        let service = service(request)
        let created = try await service.log(new, by: try request.caller)
        return try await respond(created, service: service, status: .created)
    }

    func show(_ request: Request) async throws -> Response {
        let service = service(request)
        let found = try await service.visibleCase(try caseID(request), for: try request.caller)
        return try await respond(found, service: service, status: .ok)
    }

    func addEvent(_ request: Request) async throws -> Response {
        let new = try StrictBody.decode(CaseService.NewEvent.self, from: request, allowed: CaseService.NewEvent.fields)
        let service = service(request)
        var ifMatch: Int?
        if let header = request.headers.first(name: .ifMatch) {
            guard let version = Int(header.trimmingCharacters(in: CharacterSet(charactersIn: "\"W/ "))) else {
                throw Problem(.badRequest, "If-Match must be the ETag of the case, such as \"3\"")
            }
            ifMatch = version
        }
        let updated = try await service.add(new, to: try caseID(request), by: try request.caller, ifMatch: ifMatch)
        return try await respond(updated, service: service, status: .created)
    }

    func list(_ request: Request) async throws -> CasePage {
        let service = service(request)
        let caller = try request.caller
        var filter = try service.visibilityFilter(for: caller)
        filter.status = try? request.query.get(String.self, at: "status")
        filter.priority = try? request.query.get(String.self, at: "priority")
        if let organization = try? request.query.get(String.self, at: "organization") {
            guard let id = UUID(uuidString: organization) else { throw Problem(.badRequest, "organization must be a UUID", field: "organization") }
            filter.organizationIDs = (filter.organizationIDs ?? [id]).filter { $0 == id }
        }
        if let dueBefore = try? request.query.get(String.self, at: "dueBefore") {
            guard case .instant(let t)? = ISO8601.parse(dueBefore) else {
                throw Problem(.badRequest, "dueBefore must be an ISO 8601 instant with an offset", field: "dueBefore")
            }
            filter.dueBefore = Date(timeIntervalSince1970: TimeInterval(t))
        }
        let limit = (try? request.query.get(Int.self, at: "limit")) ?? 50
        guard (1...200).contains(limit) else { throw Problem(.badRequest, "limit must be between 1 and 200", field: "limit") }
        let cursor = try? request.query.get(String.self, at: "cursor")
        let page = try await service.store.cases(filter, after: cursor, limit: limit + 1)
        let now = service.now()
        var items: [CaseResponse] = []
        for supportCase in page.prefix(limit) {
            let events = try await service.store.events(of: supportCase.id)
            items.append(CaseResponse(supportCase, clocks: try service.clocks(of: supportCase, events: events, at: now), events: nil))
        }
        return CasePage(items: items, nextCursor: page.count > limit ? page[limit - 1].number : nil)
    }

    private func caseID(_ request: Request) throws -> UUID {
        guard let text = request.parameters.get("id"), let id = UUID(uuidString: text) else {
            throw Problem(.notFound, "no case has that id")
        }
        return id
    }

    private func respond(_ supportCase: SupportCase, service: CaseService, status: HTTPResponseStatus) async throws -> Response {
        let events = try await service.store.events(of: supportCase.id)
        let body = CaseResponse(supportCase, clocks: try service.clocks(of: supportCase, events: events, at: service.now()), events: events)
        let response = Response(status: status)
        try response.content.encode(body, as: .json)
        response.headers.replaceOrAdd(name: .eTag, value: "\"\(supportCase.version)\"")
        return response
    }
}
