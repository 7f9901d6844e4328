import AccordCore
import AccordStore
import BusinessTime
import Foundation

/// The kept versions of service reviews and their rules, for the API (`ReviewRoutes`) and the web
/// desk (`ReviewPage`) alike: the provider's TAMs, managers and admins keep a draft of a period,
/// annotate it and publish it; publication fixes the version and, in the same transaction, puts
/// the mail to the customer's authorized contacts in the outbox (`review.published`). A
/// customer's authorized contacts see their organization's published versions; nobody else any.
extension CaseService {
    /// Who prepares, annotates and publishes reviews.
    static let reviewEditors: Set<Role> = [.tam, .manager, .admin]

    /// The longest notes a version keeps.
    static let longestReviewNotes = 20_000

    /// Refuses (403) anyone but a review editor.
    func requireReviewEditor(_ caller: Person) throws {
        guard Self.reviewEditors.contains(caller.role) else {
            throw Problem(.forbidden, "service reviews are kept and published by the provider's TAMs, managers and admins; you are \(caller.role.rawValue)")
        }
    }

    /// Keeps the review of `period` as a draft: the unpublished draft is prepared again (its notes
    /// kept), or a new version follows the last published one.
    func keepReview(of organizationID: UUID, period: String, by caller: Person) async throws -> StoredReview {
        try requireReviewEditor(caller)
        let review = try await review(of: organizationID, period: period, for: caller)
        return try await store.prepareReview(of: organizationID, period: review.period, content: try review.json, by: caller.id, at: now())
    }

    /// The versions of the customer's reviews the caller may see, newest first: staff all, the
    /// customer's authorized contacts the published ones. Anyone else is told there is no such organization.
    func reviewVersions(of organizationID: UUID, for caller: Person) async throws -> [StoredReview] {
        guard caller.role.isStaff || (caller.role == .authorizedContact && caller.organizationID == organizationID) else {
            throw Problem(.notFound, "no organization has that id")
        }
        return try await store.reviews(of: organizationID).filter { caller.role.isStaff || $0.publishedAt != nil }
    }

    /// One kept version as the caller may see it; a version they may not see is not found, as if none.
    func reviewVersion(_ id: UUID, for caller: Person) async throws -> StoredReview {
        guard let stored = try await store.review(id),
              caller.role.isStaff || (caller.role == .authorizedContact && caller.organizationID == stored.organizationID && stored.publishedAt != nil) else {
            throw Problem(.notFound, "no review has that id")
        }
        return stored
    }

    /// Sets the notes of an unpublished version; a published one is fixed (409).
    func setReviewNotes(_ id: UUID, notes: String, by caller: Person) async throws -> StoredReview {
        try requireReviewEditor(caller)
        let stored = try await reviewVersion(id, for: caller)
        guard notes.count <= Self.longestReviewNotes else {
            throw Problem(.unprocessableEntity, "notes are at most 20,000 characters, not \(notes.count)", field: "notes")
        }
        guard stored.publishedAt == nil, let saved = try await store.setReviewNotes(stored.id, notes: notes), saved.publishedAt == nil else {
            throw Problem(.conflict, "version \(stored.version) of the \(stored.period) review is published and fixed; keep the period again to correct it in the next version")
        }
        return saved
    }

    /// Publishes a version: from then on it is fixed, and the customer's authorized contacts are
    /// mailed a link to it. Publishing it again is refused (409): they are told once.
    func publishReview(_ id: UUID, by caller: Person) async throws -> StoredReview {
        try requireReviewEditor(caller)
        let stored = try await reviewVersion(id, for: caller)
        let at = now()
        let name = try await store.organization(stored.organizationID)?.name ?? ""
        let notice = ReviewNotice(review: stored.id, organization: stored.organizationID, organizationName: name, period: stored.period,
                                  version: stored.version, publishedAt: ISO8601.utc(Self.seconds(at)))
        guard try await store.publishReview(stored.id, by: caller.id, at: at, payload: try notice.json) else {
            throw Problem(.conflict, "version \(stored.version) of the \(stored.period) review is published already")
        }
        return try await store.review(stored.id) ?? stored
    }
}

/// What the outbox says of a published review: the payload of `review.published`, for its mail
/// and the webhooks.
struct ReviewNotice: Codable, Sendable, Equatable {
    let review: UUID
    let organization: UUID
    let organizationName: String
    let period: String
    let version: Int
    let publishedAt: String

    /// Where the customer reads it in the portal.
    var path: String { "/portal/reviews/\(review.uuidString)" }

    var json: String {
        get throws {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            return String(decoding: try encoder.encode(self), as: UTF8.self)
        }
    }

    init(review: UUID, organization: UUID, organizationName: String, period: String, version: Int, publishedAt: String) {
        self.review = review
        self.organization = organization
        self.organizationName = organizationName
        self.period = period
        self.version = version
        self.publishedAt = publishedAt
    }

    init(json: String) throws {
        self = try JSONDecoder().decode(ReviewNotice.self, from: Data(json.utf8))
    }
}
