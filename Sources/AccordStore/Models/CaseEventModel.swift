import FluentKit
import Foundation

/// One entry of a case's append-only timeline.
final class CaseEventModel: Model, @unchecked Sendable {
    static let schema = "case_events"

    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var caseModel: CaseModel
    @Field(key: "sequence") var sequence: Int
    @Field(key: "at") var at: Date
    @OptionalParent(key: "actor_id") var actor: PersonModel?
    @Field(key: "kind") var kind: String
    /// Kind-specific value: the new status or priority, for example.
    @OptionalField(key: "value") var value: String?
    @OptionalField(key: "body") var body: String?

    init() {}
}
