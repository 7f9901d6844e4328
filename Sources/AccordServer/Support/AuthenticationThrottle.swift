import AccordStore
import Foundation
import Synchronization

/// Limits failed authentication per client address: each address may present `limit` unknown
/// tokens a minute (a bucket that refills evenly); past that, its requests are refused with 429 and
/// `Retry-After` until the bucket has room again — before any token is looked up, so guessing costs
/// the desk nothing. The buckets are kept per server process (bounded to `capacity` addresses);
/// every failure is also counted in the database, and an address past the limit there, on all
/// servers together, is blocked here too until that bucket has room (`block(_:sharedTokensLeft:at:)`).
final class AuthenticationThrottle: Sendable {
    let limit: Int
    let capacity: Int
    private let buckets = Mutex<[String: Bucket]>([:])

    private struct Bucket {
        var tokens: Double
        var updated: Date
        /// Whether the block was already logged (once per block).
        var reported: Bool
        /// Blocked until then whatever the bucket holds (the desk's servers together saw too many).
        var blockedUntil: Date?
    }

    init(limit: Int, capacity: Int = 10_000) {
        self.limit = limit
        self.capacity = capacity
    }

    /// Seconds until `address` may try again, or nil when it may now.
    func retryAfter(_ address: String, at now: Date) -> Int? {
        guard limit > 0 else { return nil }
        return buckets.withLock { buckets in
            guard var bucket = buckets[address] else { return nil }
            if let until = bucket.blockedUntil {
                if until > now { return max(1, Int(until.timeIntervalSince(now).rounded(.up))) }
                bucket.blockedUntil = nil
            }
            refill(&bucket, at: now)
            buckets[address] = bucket
            guard bucket.tokens < 1 else { return nil }
            return max(1, Int(secondsUntilRoom(holding: bucket.tokens).rounded(.up)))
        }
    }

    /// Records a failed authentication; returns true the first time the address is blocked (to log it once).
    func fail(_ address: String, at now: Date) -> Bool {
        guard limit > 0 else { return false }
        return buckets.withLock { buckets in
            if buckets[address] == nil && buckets.count >= capacity {
                // Full: drop the buckets that have refilled; if none has, start afresh.
                buckets = buckets.filter { Double(limit) > tokens(of: $0.value, at: now) }
                if buckets.count >= capacity { buckets.removeAll() }
            }
            var bucket = buckets[address] ?? Bucket(tokens: Double(limit), updated: now, reported: false)
            refill(&bucket, at: now)
            bucket.tokens = max(0, bucket.tokens - 1)
            let blocked = bucket.tokens < 1
            let first = blocked && !bucket.reported
            if first { bucket.reported = true }
            if !blocked { bucket.reported = false }
            buckets[address] = bucket
            return first
        }
    }

    /// Blocks `address` until the desk's shared bucket for it, holding `left` after the latest
    /// failure (below 1: the servers together counted too many), has room again; returns true when
    /// this starts a block not yet logged.
    func block(_ address: String, sharedTokensLeft left: Double, at now: Date) -> Bool {
        let until = now.addingTimeInterval(secondsUntilRoom(holding: left))
        guard limit > 0, until > now else { return false }
        return buckets.withLock { buckets in
            var bucket = buckets[address] ?? Bucket(tokens: 0, updated: now, reported: false)
            bucket.tokens = 0
            bucket.updated = now
            bucket.blockedUntil = until
            let first = !bucket.reported
            bucket.reported = true
            buckets[address] = bucket
            return first
        }
    }

    /// Counts a failed authentication (an unknown token, a wrong password) from `address` here and
    /// in the database, for every server of the desk together; blocks the address when either says
    /// so. True the first time it is blocked, for the caller to log once.
    func recordFailure(from address: String, store: DeskStore, at instant: Date) async throws -> Bool {
        var blocked = fail(address, at: instant)
        if limit > 0 {
            let left = try await store.takeAuthenticationFailure(from: address, limit: limit, at: instant)
            if left < 1 { blocked = block(address, sharedTokensLeft: left, at: instant) || blocked }
        }
        return blocked
    }

    /// Seconds until a bucket holding `tokens` (fewer than one) has a whole one again.
    private func secondsUntilRoom(holding tokens: Double) -> Double {
        (1 - tokens) * 60 / Double(limit)
    }

    /// What `bucket` holds at `now`, refilled evenly over a minute up to `limit`.
    private func tokens(of bucket: Bucket, at now: Date) -> Double {
        min(Double(limit), bucket.tokens + max(0, now.timeIntervalSince(bucket.updated)) * Double(limit) / 60)
    }

    private func refill(_ bucket: inout Bucket, at now: Date) {
        bucket.tokens = tokens(of: bucket, at: now)
        bucket.updated = now
    }
}
