import FluentKit
import FluentSQL
public import Foundation

extension DeskStore {
    /// Takes one failed authentication from `address`'s bucket, shared by every server of the desk:
    /// it holds `limit` and refills evenly over `window` seconds. Returns what is left (below 1:
    /// blocked for `(1 - left) × window / limit` seconds). Buckets untouched for an hour are dropped
    /// now and then. `address` is a client address, or any other key (`SignInThrottle` counts
    /// failed passwords per account under one).
    public func takeAuthenticationFailure(from address: String, limit: Int, window: TimeInterval = 60, at instant: Date) async throws -> Double {
        let now = instant.timeIntervalSince1970
        let full = Double(limit)
        let rate = full / window
        let address = String(address.prefix(64))
        return try await write { db in
            let sql = try db.sql
            // CASE rather than MIN/MAX (SQLite) or LEAST/GREATEST (PostgreSQL): one statement for both.
            let row = try await sql.raw("""
                INSERT INTO authentication_failures (address, tokens, updated) VALUES (\(bind: address), \(bind: full - 1), \(bind: now))
                ON CONFLICT (address) DO UPDATE SET
                  tokens = CASE
                    WHEN authentication_failures.tokens + (\(bind: now) - authentication_failures.updated) * \(bind: rate) >= \(bind: full) THEN \(bind: full - 1)
                    WHEN authentication_failures.tokens + (\(bind: now) - authentication_failures.updated) * \(bind: rate) < 1 THEN 0
                    ELSE authentication_failures.tokens + (\(bind: now) - authentication_failures.updated) * \(bind: rate) - 1
                  END,
                  updated = \(bind: now)
                RETURNING tokens
                """).first()
            let left = try row?.decode(column: "tokens", as: Double.self) ?? full - 1
            if left == full - 1 {
                try await sql.raw("DELETE FROM authentication_failures WHERE updated < \(bind: now - max(3600, window))").run()
            }
            return left
        }
    }
}

extension DeskStore {
    /// What `key`'s bucket holds now without taking from it (a full bucket when it has none): the
    /// check before an attempt, so that a blocked account is refused before its password is tried.
    public func authenticationFailuresLeft(for key: String, limit: Int, window: TimeInterval = 60, at instant: Date) async throws -> Double {
        let full = Double(limit)
        guard let row = try await database.sql.raw("""
            SELECT tokens, updated FROM authentication_failures WHERE address = \(bind: String(key.prefix(64)))
            """).first() else { return full }
        let tokens = try row.decode(column: "tokens", as: Double.self)
        let updated = try row.decode(column: "updated", as: Double.self)
        return min(full, tokens + max(0, instant.timeIntervalSince1970 - updated) * full / window)
    }
}
