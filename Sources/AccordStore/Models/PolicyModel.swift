import FluentKit
import Foundation

/// One version of a policy as uploaded (the presets included): its YAML is the truth, parsed on load.
final class PolicyModel: Model, @unchecked Sendable {
    static let schema = "policies"

    @ID(key: .id) var id: UUID?
    @Field(key: "policy_id") var policyID: String
    @Field(key: "version") var version: String
    @Field(key: "yaml") var yaml: String
    @OptionalParent(key: "uploaded_by") var uploadedBy: PersonModel?
    @Field(key: "uploaded_at") var uploadedAt: Date
    /// When this version became the one new cases are logged under; nil while a draft.
    @OptionalField(key: "published_at") var publishedAt: Date?
    /// The version new cases are logged under: one per policy id.
    @Field(key: "current") var current: Bool

    init() {}
}
