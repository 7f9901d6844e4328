import FluentKit
import Foundation

/// A CC address or case-team contact of one case; a watcher who is a person of the desk may see the case.
final class CaseWatcherModel: Model, @unchecked Sendable {
    static let schema = "case_watchers"

    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var caseModel: CaseModel
    @OptionalParent(key: "person_id") var person: PersonModel?
    @Field(key: "email") var email: String
    /// `cc` or `team`.
    @Field(key: "kind") var kind: String
    @OptionalParent(key: "added_by") var addedBy: PersonModel?
    @Field(key: "added_at") var addedAt: Date

    init() {}
}
