import FluentKit
import FluentSQL
public import Foundation

/// One version of a customer's service review of a period.
public struct StoredReview: Sendable, Equatable {
    public let id: UUID
    public let organizationID: UUID
    public let period: String
    public let version: Int
    /// The review's content as JSON, frozen when it was prepared.
    public let content: String
    public let notes: String
    public let preparedAt: Date
    public let preparedBy: UUID?
    public let publishedAt: Date?
    public let publishedBy: UUID?
}

extension DeskStore {
    /// Every version of every review of the customer, newest period and version first.
    public func reviews(of organizationID: UUID) async throws -> [StoredReview] {
        try await Self.reviewSelect(on: database).where("organization_id", .equal, organizationID)
            .orderBy("period", .descending).orderBy("version", .descending).all(decoding: ReviewRow.self).map(\.review)
    }

    public func review(_ id: UUID) async throws -> StoredReview? {
        try await Self.reviewSelect(on: database).where("id", .equal, id).first(decoding: ReviewRow.self)?.review
    }

    /// Prepares the review of a period with `content`: the draft not yet published takes it (its
    /// notes kept), else a new version is made after the last — the first, or the correction of a
    /// published one.
    public func prepareReview(of organizationID: UUID, period: String, content: String, by actorID: UUID?, at instant: Date) async throws -> StoredReview {
        try await write { db in
            let sql = try db.sql
            let versions = try await Self.reviewSelect(on: db).where("organization_id", .equal, organizationID).where("period", .equal, period)
                .orderBy("version", .descending).all(decoding: ReviewRow.self).map(\.review)
            if let draft = versions.first, draft.publishedAt == nil {
                try await sql.update("service_reviews").set("content", to: content).set("prepared_at", to: instant).set("prepared_by", to: actorID)
                    .where("id", .equal, draft.id).run()
            } else {
                try await sql.insert(into: "service_reviews")
                    .columns("id", "organization_id", "period", "version", "content", "notes", "prepared_at", "prepared_by")
                    .values([UUID.timeOrdered(), organizationID, period, (versions.first?.version ?? 0) + 1, content, "", instant, actorID]
                            as [any Encodable & Sendable])
                    .run()
            }
            return try await Self.reviewSelect(on: db).where("organization_id", .equal, organizationID).where("period", .equal, period)
                .orderBy("version", .descending).first(decoding: ReviewRow.self)!.review
        }
    }

    /// Whether any version of the customer's review of `period` is kept.
    public func hasReview(of organizationID: UUID, period: String) async throws -> Bool {
        try await Self.reviewSelect(on: database).where("organization_id", .equal, organizationID).where("period", .equal, period)
            .limit(1).first() != nil
    }

    /// Keeps the first version of a review the desk prepared by itself, unless one is kept already:
    /// two servers preparing it at once make one (the version is unique per customer and period).
    public func keepFirstReview(of organizationID: UUID, period: String, content: String, at instant: Date) async throws -> Bool {
        try await write { db in
            let sql = try db.sql
            if try await Self.reviewSelect(on: db).where("organization_id", .equal, organizationID).where("period", .equal, period).limit(1).first() != nil {
                return false
            }
            // Another server's insert in between makes this one do nothing, and return no row.
            let inserted = try await sql.insert(into: "service_reviews")
                .columns("id", "organization_id", "period", "version", "content", "notes", "prepared_at")
                .values([UUID.timeOrdered(), organizationID, period, 1, content, "", instant] as [any Encodable & Sendable])
                .ignoringConflicts(with: ["organization_id", "period", "version"])
                .returning("id")
                .first()
            return inserted != nil
        }
    }

    /// Sets the notes of the review's unpublished draft; nil when there is none (published already).
    public func setReviewNotes(_ id: UUID, notes: String) async throws -> StoredReview? {
        try await write { db in
            try await (try db.sql).update("service_reviews").set("notes", to: notes).where("id", .equal, id)
                .where("published_at", .is, SQLLiteral.null).run()
            return try await Self.reviewSelect(on: db).where("id", .equal, id).first(decoding: ReviewRow.self)?.review
        }
    }

    /// The outbox event of a published review: its organization's authorized contacts are mailed
    /// a link to it, and the webhooks that want it are told.
    public static let reviewPublished = "review.published"

    /// Publishes the draft: from then on it is fixed. In the same transaction, the outbox entry
    /// that tells the customer (`reviewPublished`, with `payload` as its JSON). False when it was
    /// published already (by another request too: only one publication takes).
    public func publishReview(_ id: UUID, by actorID: UUID, at instant: Date, payload: String) async throws -> Bool {
        try await write { db in
            let sql = try db.sql
            let published = try await sql.update("service_reviews").set("published_at", to: instant).set("published_by", to: actorID)
                .where("id", .equal, id).where("published_at", .is, SQLLiteral.null).returning("organization_id").first()
            guard let published else { return false }
            try await sql.insert(into: "outbox").columns("id", "kind", "organization_id", "payload", "created_at")
                .values([UUID.timeOrdered(), Self.reviewPublished, try published.decode(column: "organization_id", as: UUID.self), payload, instant]
                        as [any Encodable & Sendable])
                .run()
            return true
        }
    }

    private static func reviewSelect(on db: any Database) throws -> SQLSelectBuilder {
        try db.sql.select().columns("id", "organization_id", "period", "version", "content", "notes", "prepared_at", "prepared_by",
                                    "published_at", "published_by").from("service_reviews")
    }

    private struct ReviewRow: Decodable {
        let id: UUID
        let organizationID: UUID
        let period: String
        let version: Int
        let content: String
        let notes: String
        let preparedAt: Date
        let preparedBy: UUID?
        let publishedAt: Date?
        let publishedBy: UUID?

        enum CodingKeys: String, CodingKey {
            case id, period, version, content, notes
            case organizationID = "organization_id", preparedAt = "prepared_at", preparedBy = "prepared_by"
            case publishedAt = "published_at", publishedBy = "published_by"
        }

        var review: StoredReview {
            StoredReview(id: id, organizationID: organizationID, period: period, version: version, content: content, notes: notes,
                         preparedAt: preparedAt, preparedBy: preparedBy, publishedAt: publishedAt, publishedBy: publishedBy)
        }
    }
}
