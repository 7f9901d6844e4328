/// Lets one write transaction through at a time. SQLite has a single writer, and a transaction that
/// reads before it writes can fail with SQLITE_BUSY when another writer commits in between; with
/// the gate, writes queue instead of failing. PostgreSQL needs no gate.
public actor WriteGate {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    public init() {}

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
