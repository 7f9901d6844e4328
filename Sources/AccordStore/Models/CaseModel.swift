import FluentKit
import Foundation

final class CaseModel: Model, @unchecked Sendable {
    static let schema = "cases"

    @ID(key: .id) var id: UUID?
    @Field(key: "number") var number: String
    @Parent(key: "organization_id") var organization: OrganizationModel
    @Parent(key: "requester_id") var requester: PersonModel
    @Field(key: "title") var title: String
    @Field(key: "description") var description: String
    @OptionalField(key: "priority") var priority: String?
    @Field(key: "channel") var channel: String
    @Field(key: "status") var status: String
    @Field(key: "policy_id") var policyID: String
    @Field(key: "policy_version") var policyVersion: String
    @Field(key: "plan_id") var planID: String
    @Field(key: "region_id") var regionID: String
    @Field(key: "logged_at") var loggedAt: Date
    /// The earliest due instant of the case's running clocks, for "what breaches next".
    @OptionalField(key: "next_due") var nextDue: Date?
    @Field(key: "version") var version: Int

    init() {}
}
