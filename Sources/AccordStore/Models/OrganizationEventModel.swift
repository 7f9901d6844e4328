import FluentKit
import Foundation

/// The audit trail of an organization's subscription and people: who changed what, when.
final class OrganizationEventModel: Model, @unchecked Sendable {
    static let schema = "organization_events"

    @ID(key: .id) var id: UUID?
    @Parent(key: "organization_id") var organization: OrganizationModel
    @Field(key: "at") var at: Date
    @OptionalParent(key: "actor_id") var actor: PersonModel?
    @Field(key: "kind") var kind: String
    /// The new plan, or the person concerned.
    @OptionalField(key: "value") var value: String?
    /// The day a dated change takes effect, `YYYY-MM-DD`.
    @OptionalField(key: "effective") var effective: String?
    @Field(key: "detail") var detail: String

    init() {}
}
