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

    /// Who prepares, annotates and publishes reviews.
    static let editors: Set<Role> = [.tam, .manager, .admin]

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

    private func organizationID(_ request: Request) throws -> UUID {
        guard let id = request.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw Problem(.notFound, "no organization has that id") }
        return id
    }

    /// The review version named in the path, as the caller may see it: staff any, a customer's
    /// authorized contact a published one of their organization; otherwise 404, as if none.
    private func visible(_ request: Request) async throws -> StoredReview {
        let caller = try request.caller
        guard let id = request.parameters.get("review").flatMap(UUID.init(uuidString:)),
              let stored = try await service(request).store.review(id),
              caller.role.isStaff || (caller.role == .authorizedContact && caller.organizationID == stored.organizationID && stored.publishedAt != nil) else {
            throw Problem(.notFound, "no review has that id")
        }
        return stored
    }

    func prepare(_ request: Request) async throws -> Response {
        let caller = try request.requireStaff(Self.editors)
        let service = service(request)
        let id = try organizationID(request)
        let review = try await service.review(of: id, period: request.parameters.get("period") ?? "", for: caller)
        let stored = try await service.store.prepareReview(of: id, period: review.period, content: try review.json, by: caller.id, at: service.now())
        let response = Response(status: .created)
        try response.content.encode(try ReviewVersion(stored, content: true), as: .json)
        return response
    }

    func list(_ request: Request) async throws -> VersionList {
        let caller = try request.caller
        let id = try organizationID(request)
        guard caller.role.isStaff || (caller.role == .authorizedContact && caller.organizationID == id) else {
            throw Problem(.notFound, "no organization has that id")
        }
        let versions = try await service(request).store.reviews(of: id).filter { caller.role.isStaff || $0.publishedAt != nil }
        return VersionList(reviews: try versions.map { try ReviewVersion($0, content: false) })
    }

    func show(_ request: Request) async throws -> ReviewVersion {
        try ReviewVersion(try await visible(request), content: true)
    }

    func notes(_ request: Request) async throws -> ReviewVersion {
        _ = try request.requireStaff(Self.editors)
        let stored = try await visible(request)
        let body = try StrictBody.decode(NotesBody.self, from: request, allowed: ["notes"])
        guard body.notes.count <= 20_000 else { throw Problem(.unprocessableEntity, "notes are at most 20,000 characters", field: "notes") }
        guard stored.publishedAt == nil, let saved = try await service(request).store.setReviewNotes(stored.id, notes: body.notes), saved.publishedAt == nil else {
            throw Problem(.conflict, "version \(stored.version) of the \(stored.period) review is published and fixed; prepare the next version to correct it")
        }
        return try ReviewVersion(saved, content: true)
    }

    func publish(_ request: Request) async throws -> ReviewVersion {
        let caller = try request.requireStaff(Self.editors)
        let stored = try await visible(request)
        let service = service(request)
        guard try await service.store.publishReview(stored.id, by: caller.id, at: service.now()) else {
            throw Problem(.conflict, "version \(stored.version) of the \(stored.period) review is published already")
        }
        return try ReviewVersion(try await service.store.review(stored.id)!, content: true)
    }
}
