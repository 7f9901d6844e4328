import FluentKit
import Foundation

/// The last case number drawn per `PREFIX-YEAR-`, so numbering costs one row, not a count.
final class CaseCounterModel: Model, @unchecked Sendable {
    static let schema = "case_counters"

    @ID(custom: "prefix", generatedBy: .user) var id: String?
    @Field(key: "last") var last: Int

    init() {}
}
