import FluentKit
import Foundation

final class OrganizationModel: Model, @unchecked Sendable {
    static let schema = "organizations"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "policy_id") var policyID: String
    @Field(key: "plan_id") var planID: String
    @Field(key: "region_id") var regionID: String
    /// Days in the policy's zone, `YYYY-MM-DD`; the term's last day is covered.
    @Field(key: "term_start") var termStart: String
    @Field(key: "term_end") var termEnd: String
    @Field(key: "automatic_renewal") var automaticRenewal: Bool
    @OptionalField(key: "non_renewal_notice") var nonRenewalNotice: String?
    @Field(key: "case_prefix") var casePrefix: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}
