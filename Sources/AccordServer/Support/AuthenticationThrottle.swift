import Foundation
import Synchronization

/// Limits failed authentication per client address: each address may present `limit` unknown
/// tokens a minute (a bucket that refills evenly); past that, its requests are refused with 429 and
/// `Retry-After` until the bucket has room again — before any token is looked up, so guessing costs
/// the desk nothing. Kept per server process; bounded to `capacity` addresses.
final class AuthenticationThrottle: Sendable {
    let limit: Int
    let capacity: Int
    private let buckets = Mutex<[String: Bucket]>([:])

    private struct Bucket {
        var tokens: Double
        var updated: Date
        /// Whether the block was already logged (once per block).
        var reported: Bool
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
            refill(&bucket, at: now)
            buckets[address] = bucket
            guard bucket.tokens < 1 else { return nil }
            return max(1, Int(((1 - bucket.tokens) * 60 / Double(limit)).rounded(.up)))
        }
    }

    /// Records a failed authentication; returns true the first time the address is blocked (to log it once).
    func fail(_ address: String, at now: Date) -> Bool {
        guard limit > 0 else { return false }
        return buckets.withLock { buckets in
            if buckets[address] == nil && buckets.count >= capacity {
                // Full: drop the buckets that have refilled; if none has, start afresh.
                buckets = buckets.filter { Double(limit) > $0.value.tokens + now.timeIntervalSince($0.value.updated) * Double(limit) / 60 }
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

    private func refill(_ bucket: inout Bucket, at now: Date) {
        let elapsed = max(0, now.timeIntervalSince(bucket.updated))
        bucket.tokens = min(Double(limit), bucket.tokens + elapsed * Double(limit) / 60)
        bucket.updated = now
    }
}
