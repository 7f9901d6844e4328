/// Group commit for case intake. Cases logged while a transaction is being written wait together
/// and go into the next transaction as one multi-row insert per table, so a busy desk pays for one
/// commit (and one sync to disk) per batch instead of per case. Every caller is answered only after
/// the transaction holding its case has committed, so an acknowledged case is durable.
public actor CaseIntakeQueue {
    private struct Waiting {
        let record: NewCaseRecord
        let store: DeskStore
        let continuation: CheckedContinuation<LoggedCase, any Error>
    }

    /// The most cases one transaction takes (keeps statements well inside SQLite's bound-parameter limit).
    public let maximumBatch: Int
    /// Where the batches are written: the dedicated writer's event loop, when there is one.
    private let executor: (any TaskExecutor)?
    private var waiting: [Waiting] = []
    private var writing = false

    public init(maximumBatch: Int = 64, executor: (any TaskExecutor)? = nil) {
        precondition(maximumBatch > 0, "a batch holds at least one case")
        self.maximumBatch = maximumBatch
        self.executor = executor
    }

    /// Stores `record` through `store`, together with whatever else is waiting, and returns it once committed.
    func log(_ record: NewCaseRecord, through store: DeskStore) async throws -> LoggedCase {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append(Waiting(record: record, store: store, continuation: continuation))
            if !writing {
                writing = true
                Task(executorPreference: executor) { await self.writeWaiting() }
            }
        }
    }

    /// Writes batches until nobody waits; new arrivals during a write form the next batch.
    private func writeWaiting() async {
        while !waiting.isEmpty {
            let batch = Array(waiting.prefix(maximumBatch))
            waiting.removeFirst(batch.count)
            let results = await batch[0].store.insertCases(batch.map(\.record))
            for (member, result) in zip(batch, results) {
                member.continuation.resume(with: result)
            }
        }
        writing = false
    }
}
