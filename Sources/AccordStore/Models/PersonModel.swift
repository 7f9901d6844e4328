import FluentKit
import Foundation

final class PersonModel: Model, @unchecked Sendable {
    static let schema = "people"

    @ID(key: .id) var id: UUID?
    @OptionalParent(key: "organization_id") var organization: OrganizationModel?
    @Field(key: "name") var name: String
    @Field(key: "email") var email: String
    @Field(key: "role") var role: String
    /// Provider agents work in a tier (1, 2, 3).
    @OptionalField(key: "tier") var tier: Int?
    /// An authorized contact beyond the plan's allowance, billed as an overage.
    @Field(key: "billable_overage") var billableOverage: Bool
    @OptionalField(key: "erased_at") var erasedAt: Date?
    /// Since when the person cannot sign in (they left, perhaps for a while).
    @OptionalField(key: "deactivated_at") var deactivatedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}
