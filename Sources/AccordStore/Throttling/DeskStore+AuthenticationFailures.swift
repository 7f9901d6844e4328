import FluentKit
import FluentSQL
public import Foundation

extension DeskStore {
    /// Takes one failed authentication from `address`'s bucket, shared by every server of the desk:
    /// it holds `limit` and refills evenly over a minute. Returns what is left (below 1: blocked for
    /// `(1 - left) × 60 / limit` seconds). Buckets untouched for an hour are dropped now and then.
    public func takeAuthenticationFailure(from address: String, limit: Int, at instant: Date) async throws -> Double {
        let now = instant.timeIntervalSince1970
        let full = Double(limit)
        let address = String(address.prefix(64))
        return try await write { db in
            let sql = try db.sql
            // CASE rather than MIN/MAX (SQLite) or LEAST/GREATEST (PostgreSQL): one statement for both.
            let row = try await sql.raw("""
                INSERT INTO authentication_failures (address, tokens, updated) VALUES (\(bind: address), \(bind: full - 1), \(bind: now))
                ON CONFLICT (address) DO UPDATE SET
                  tokens = CASE
                    WHEN authentication_failures.tokens + (\(bind: now) - authentication_failures.updated) * \(bind: full / 60) >= \(bind: full) THEN \(bind: full - 1)
                    WHEN authentication_failures.tokens + (\(bind: now) - authentication_failures.updated) * \(bind: full / 60) < 1 THEN 0
                    ELSE authentication_failures.tokens + (\(bind: now) - authentication_failures.updated) * \(bind: full / 60) - 1
                  END,
                  updated = \(bind: now)
                RETURNING tokens
                """).first()
            let left = try row?.decode(column: "tokens", as: Double.self) ?? full - 1
            if left == full - 1 {
                try await sql.raw("DELETE FROM authentication_failures WHERE updated < \(bind: now - 3600)").run()
            }
            return left
        }
    }
}
