/// Group commit. Requests that arrive while a transaction is being written wait together and go
/// into the next transaction, so a busy desk pays for one commit (and one sync to disk) per batch
/// instead of per request. Every caller is answered only after the transaction holding its request
/// has committed, so an acknowledged write is durable. When a batch of several fails, each request
/// is tried alone, so one request's problem never fails another's.
public actor GroupCommit<Input: Sendable, Output: Sendable> {
    /// Writes a batch in one transaction, answering each input in order.
    public typealias Writer = @Sendable ([Input]) async throws -> [Output]

    private struct Waiting {
        let input: Input
        let writer: Writer
        let continuation: CheckedContinuation<Output, any Error>
    }

    /// The most requests one transaction takes.
    public let maximumBatch: Int
    /// Where the batches are written: the dedicated writer's event loop, when there is one.
    private let executor: (any TaskExecutor)?
    private var waiting: [Waiting] = []
    private var writing = false

    public init(maximumBatch: Int = 64, executor: (any TaskExecutor)? = nil) {
        precondition(maximumBatch > 0, "a batch holds at least one request")
        self.maximumBatch = maximumBatch
        self.executor = executor
    }

    /// Writes `input` with `writer`, together with whatever else is waiting (the first waiting
    /// request's writer writes the batch), and returns its answer once committed.
    public func submit(_ input: Input, writer: @escaping Writer) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append(Waiting(input: input, writer: writer, continuation: continuation))
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
            for (member, result) in zip(batch, await Self.write(batch)) {
                member.continuation.resume(with: result)
            }
        }
        writing = false
    }

    private static func write(_ batch: [Waiting]) async -> [Result<Output, any Error>] {
        do {
            let outputs = try await batch[0].writer(batch.map(\.input))
            return outputs.map { .success($0) }
        } catch {
            guard batch.count > 1 else { return [.failure(error)] }
            var results: [Result<Output, any Error>] = []
            for member in batch {
                do { results.append(.success(try await member.writer([member.input])[0])) } catch { results.append(.failure(error)) }
            }
            return results
        }
    }
}
