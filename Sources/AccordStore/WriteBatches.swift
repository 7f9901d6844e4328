public import Foundation

/// The desk's group commits: case intake, and agents taking their next case.
public struct WriteBatches: Sendable {
    public let intake: GroupCommit<NewCaseRecord, LoggedCase>
    public let takes: GroupCommit<TakeRequest, UUID?>

    public init(executor: (any TaskExecutor)? = nil) {
        intake = GroupCommit(executor: executor)
        takes = GroupCommit(executor: executor)
    }
}
