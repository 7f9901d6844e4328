public import FluentKit
import FluentSQL
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Lets one process at a time prepare a desk's database — run its migrations, store the presets,
/// make the queue indexes — so that servers and commands started together on one database don't
/// race to create the same tables. PostgreSQL: a session-level advisory lock, held on one
/// connection while the others do the work. A SQLite file: an exclusive `flock` on the sidecar
/// file `<path>.lock` (SQLite's own locks belong to its connections, and closing any other
/// descriptor of the database file would drop them, so that file is never opened here).
public enum PreparationLock {
    /// Runs `body` holding the lock of `choice`'s database, reached through `database`.
    public static func whilePreparing<T: Sendable>(
        _ choice: DatabaseSetup.Choice, on database: any Database, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        switch choice {
        case .postgres:
            return try await database.withConnection { connection in
                let sql = try connection.sql
                try await sql.raw("SELECT pg_advisory_lock(\(bind: Self.key))").run()
                do {
                    let result = try await body()
                    try await sql.raw("SELECT pg_advisory_unlock(\(bind: Self.key))").run()
                    return result
                } catch {
                    _ = try? await sql.raw("SELECT pg_advisory_unlock(\(bind: Self.key))").run()
                    throw error
                }
            }
        case .sqlite(let path):
            let lockPath = path + ".lock"
            let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw StoreError.conflict("cannot open \(lockPath): \(String(cString: strerror(errno)))") }
            defer { close(descriptor) }
            // Asked without blocking, and again shortly while another process holds it: a blocked
            // thread would be one SQLite's own work (the holder's, in this process) may need.
            while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
                let failure = errno
                guard failure == EWOULDBLOCK || failure == EINTR else {
                    throw StoreError.conflict("cannot lock \(lockPath): \(String(cString: strerror(failure)))")
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            defer { flock(descriptor, LOCK_UN) }
            return try await body()
        case .sqliteInMemory:
            return try await body()
        }
    }

    /// The advisory lock key ("accord" in ASCII, then 2; the monitor's sweep uses 1).
    static let key: Int64 = 0x6163_636F_7264_0002
}
