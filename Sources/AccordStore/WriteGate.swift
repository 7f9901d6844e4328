public import FluentKit

/// Lets one write transaction through at a time. SQLite has a single writer, and a transaction that
/// reads before it writes can fail with SQLITE_BUSY when another writer commits in between; with
/// the gate, writes queue instead of failing. PostgreSQL needs no gate.
public actor WriteGate {
    /// The database the gated writes run on when the gate has one of its own (a SQLite file's
    /// dedicated writer); otherwise each write runs on its caller's.
    public nonisolated let database: (any Database)?
    /// The thread of that database's event loop, where the gated transactions run: each
    /// statement's continuation resumes there at once instead of queueing behind other work.
    public nonisolated let executor: (any TaskExecutor)?
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// A gate for the writes of `writer` (a SQLite file's dedicated writer), or, without one, for
    /// writes on their callers' database (in-memory SQLite).
    public init(writer: DedicatedWriter?) {
        database = writer?.database
        executor = writer?.executor
    }

    /// Runs `body` when no other gated write is running.
    public func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        if busy {
            await withCheckedContinuation { waiting.append($0) }
        } else {
            busy = true
        }
        defer {
            if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
        }
        return try await body()
    }
}
