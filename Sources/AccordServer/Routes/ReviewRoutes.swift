import AccordCore
import AccordStore
import BusinessTime
import Foundation
import Vapor

/// Service reviews kept: `POST /api/v1/organizations/{id}/reviews/{period}` prepares a draft (or
/// prepares the draft again; after publication, the next version), `PUT /api/v1/reviews/{id}/notes`
/// holds the TAM's notes, `POST /api/v1/reviews/{id}/publish` fixes it for the customer;
/// `GET /api/v1/organizations/{id}/reviews` lists the versions and `GET /api/v1/reviews/{id}` shows
/// one — a customer's authorized contacts see the published ones of their organization.
struct ReviewRoutes: RouteCollection {
    let service: @Sendable (Request) -> CaseService

    func boot(routes: any RoutesBuilder) throws {
        routes.post("organizations", ":id", "reviews", ":period", use: prepare)
        routes.get("organizations", ":id", "reviews", use: list)
        routes.get("reviews", ":review", use: show)
        routes.put("reviews", ":review", "notes", use: notes)
        routes.post("reviews", ":review", "publish", use: publish)
    }

    struct ReviewVersion: Content {
        let id: UUID
        let organization: UUID
        let period: String
        let version: Int
        let notes: String
        let preparedAt: String
        let published: Bool
        let publishedAt: String?
        /// The review as prepared; left out of lists.
        let content: ServiceReview?

        init(_ stored: StoredReview, content: Bool) throws {
            id = stored.id
            organization = stored.organizationID
            period = stored.period
            version = stored.version
            notes = stored.notes
            preparedAt = ISO8601.utc(CaseService.seconds(stored.preparedAt))
            published = stored.publishedAt != nil
            publishedAt = stored.publishedAt.map { ISO8601.utc(CaseService.seconds($0)) }
            self.content = content ? try JSONDecoder().decode(ServiceReview.self, from: Data(stored.content.utf8)) : nil
        }
    }

    struct VersionList: Content {
        let reviews: [ReviewVersion]
    }

    struct NotesBody: Content {
        var notes: String
    }

    /// The organization named in the path (`:id`), for the API and the review's pages.
    static func organizationID(_ request: Request) throws -> UUID {
        guard let id = request.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw Problem(.notFound, "no organization has that id") }
        return id
    }

    /// The review version named in the path (`:review`), for the API and the review's pages.
    static func reviewID(_ request: Request) throws -> UUID {
        guard let id = request.parameters.get("review").flatMap(UUID.init(uuidString:)) else { throw Problem(.notFound, "no review has that id") }
        return id
    }

    func prepare(_ request: Request) async throws -> Response {
        let stored = try await service(request).keepReview(of: try Self.organizationID(request), period: request.parameters.get("period") ?? "", by: try request.caller)
        let response = Response(status: .created)
        try response.content.encode(try ReviewVersion(stored, content: true), as: .json)
        return response
    }

    func list(_ request: Request) async throws -> VersionList {
        let versions = try await service(request).reviewVersions(of: try Self.organizationID(request), for: try request.caller)
        return VersionList(reviews: try versions.map { try ReviewVersion($0, content: false) })
    }

    func show(_ request: Request) async throws -> ReviewVersion {
        try ReviewVersion(try await service(request).reviewVersion(try Self.reviewID(request), for: try request.caller), content: true)
    }

    func notes(_ request: Request) async throws -> ReviewVersion {
        let caller = try request.caller
        let service = service(request)
        try service.requireReviewEditor(caller)
        let body = try StrictBody.decode(NotesBody.self, from: request, allowed: ["notes"])
        return try ReviewVersion(try await service.setReviewNotes(try Self.reviewID(request), notes: body.notes, by: caller), content: true)
    }

    func publish(_ request: Request) async throws -> ReviewVersion {
        try ReviewVersion(try await service(request).publishReview(try Self.reviewID(request), by: try request.caller), content: true)
    }
}
