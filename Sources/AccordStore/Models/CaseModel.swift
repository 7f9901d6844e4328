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
    @OptionalField(key: "product") var product: String?
    @OptionalField(key: "product_version") var productVersion: String?
    @OptionalField(key: "service_pack") var servicePack: String?
    @OptionalField(key: "steps_to_reproduce") var stepsToReproduce: String?
    @OptionalField(key: "english_consent") var englishConsent: Bool?
    @Field(key: "nda") var nda: Bool
    @OptionalField(key: "cvss") var cvss: Double?
    @OptionalField(key: "contact_name") var contactName: String?
    @OptionalField(key: "contact_phone") var contactPhone: String?
    @OptionalField(key: "contact_email") var contactEmail: String?
    @OptionalField(key: "apps") var apps: String?
    @Field(key: "unsupported_version") var unsupportedVersion: Bool
    /// The classification of an out-of-scope request (`consultancy`), which leaves the SLA.
    @OptionalField(key: "out_of_scope") var outOfScope: String?
    /// The earliest due instant of the case's running clocks, for "what breaches next".
    @OptionalField(key: "next_due") var nextDue: Date?
    /// Some clock of the case stopped after its due.
    @Field(key: "breached") var breached: Bool
    @Field(key: "version") var version: Int
    @OptionalField(key: "team_id") var teamID: String?
    @OptionalField(key: "tier") var tier: Int?
    /// 0 in the priority queue, 1 in the standard queue.
    @OptionalField(key: "queue_rank") var queueRank: Int?
    @OptionalField(key: "plan_rank") var planRank: Int?
    @OptionalField(key: "priority_rank") var priorityRank: Int?
    @OptionalField(key: "language") var language: String?
    @OptionalField(key: "mailbox") var mailbox: String?
    /// `next_due`, or a far-future instant when no clock runs, so that queues sort on one index.
    @OptionalField(key: "queue_due") var queueDue: Date?
    @OptionalField(key: "assignee_id") var assigneeID: UUID?
    @OptionalField(key: "assigned_at") var assignedAt: Date?
    @OptionalField(key: "advocate_id") var advocateID: UUID?

    init() {}
}
