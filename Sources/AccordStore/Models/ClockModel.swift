import FluentKit
import Foundation

/// A case's clock as last derived: stored so that "what breaches next" is an indexed query.
final class ClockModel: Model, @unchecked Sendable {
    static let schema = "clocks"

    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var caseModel: CaseModel
    @Field(key: "metric") var metric: String
    @OptionalField(key: "target") var target: String?
    @OptionalField(key: "due") var due: Date?
    @Field(key: "state") var state: String
    @OptionalField(key: "used") var used: Int64?
    @OptionalField(key: "measure") var measure: String?

    init() {}
}
