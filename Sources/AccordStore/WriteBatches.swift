public import Foundation

/// The desk's group commits: case intake, agents taking their next case, and mail stored raw.
public struct WriteBatches: Sendable {
    public let intake: GroupCommit<NewCaseRecord, LoggedCase>
    public let takes: GroupCommit<TakeRequest, UUID?>
    /// Each message as stored (nil: the same bytes were stored before).
    public let mails: GroupCommit<ReceivedMail, InboundMail?>

    public init(executor: (any TaskExecutor)? = nil) {
        intake = GroupCommit(executor: executor)
        takes = GroupCommit(executor: executor)
        mails = GroupCommit(executor: executor)
    }
}
