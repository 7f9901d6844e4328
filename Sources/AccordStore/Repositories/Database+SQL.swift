import FluentKit
import FluentSQL

extension Database {
    /// The database as SQL, for the statements written by hand. Both of Accord's databases speak
    /// SQL; anything else is refused with a clear error rather than a crash.
    var sql: any SQLDatabase {
        get throws {
            guard let sql = self as? any SQLDatabase else { throw StoreError.conflict("the database does not speak SQL") }
            return sql
        }
    }

    /// Whether this is PostgreSQL (`FOR UPDATE SKIP LOCKED`, advisory locks, data-modifying `WITH`).
    var isPostgres: Bool { (self as? any SQLDatabase)?.dialect.name == "postgresql" }

    /// A SQLite write transaction that takes the file's write lock before its first statement
    /// (`BEGIN IMMEDIATE`), waiting for another process that holds it. Fluent's `BEGIN` defers the
    /// lock to the first write: a transaction that reads first would then find its snapshot
    /// overtaken by the other process's commit, which SQLite reports as "database is locked"
    /// without waiting. `waitingUpTo` sets how long the connection waits for the lock, in
    /// milliseconds, where its owner has not already (a pooled connection otherwise retries without
    /// pause or end).
    ///
    /// The body runs in a task of its own (SQLiteNIO's `withConnection` makes one), which keeps no
    /// executor preference of the caller's: `executor` says where it runs. Without one it lands on
    /// whichever shared thread made it, and each statement's continuation queues behind whatever
    /// else runs there — an import's derivation, a server's requests. `checkingReferences: false`
    /// turns SQLite's foreign key checks off on this connection for this transaction only.
    func immediateTransaction<T: Sendable>(
        _ body: @escaping @Sendable (any Database) async throws -> T, waitingUpTo milliseconds: Int? = nil, executor: (any TaskExecutor)? = nil,
        checkingReferences: Bool = true
    ) async throws -> T {
        try await withConnection { connection in try await withTaskExecutorPreference(executor) {
            let sql = try connection.sql
            if let milliseconds { try await sql.raw("PRAGMA busy_timeout = \(unsafeRaw: String(milliseconds))").run() }
            // Set outside the transaction (SQLite ignores it inside one), for this connection only.
            if !checkingReferences { try await sql.raw("PRAGMA foreign_keys = OFF").run() }
            try await sql.raw("BEGIN IMMEDIATE").run()
            do {
                let result = try await body(connection)
                try await sql.raw("COMMIT").run()
                if !checkingReferences { try await sql.raw("PRAGMA foreign_keys = ON").run() }
                return result
            } catch {
                try? await sql.raw("ROLLBACK").run()
                if !checkingReferences { try? await sql.raw("PRAGMA foreign_keys = ON").run() }
                throw error
            }
        } }
    }
}

extension Array {
    /// The elements in consecutive slices of at most `size`, for statements that must stay inside
    /// the databases' bound-parameter limits.
    func chunks(of size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
