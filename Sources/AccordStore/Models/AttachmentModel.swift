import FluentKit
import Foundation

/// A file attached to a case; its bytes live on disk under their SHA-256.
final class AttachmentModel: Model, @unchecked Sendable {
    static let schema = "attachments"

    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var caseModel: CaseModel
    @Field(key: "filename") var filename: String
    @Field(key: "content_type") var contentType: String
    @Field(key: "size") var size: Int
    @Field(key: "sha256") var sha256: String
    @OptionalParent(key: "uploaded_by") var uploadedBy: PersonModel?
    @Field(key: "uploaded_at") var uploadedAt: Date
    /// Sent with an internal note: staff only.
    @Field(key: "internal") var isInternal: Bool

    init() {}
}
