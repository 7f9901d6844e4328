import Foundation
import Synchronization

/// What a server keeps, for a few seconds, of the reads nearly every request repeats: who holds a
/// token, which mail gateway a gateway token is, a customer with its subscription and TAM, a
/// customer's priority senders, and the teams an agent works in. Logging a case needed three round
/// trips to the database for them before its one write, taking the next case two; they change rarely.
///
/// Changes made through the server holding the cache take effect at once: the writes that touch
/// tokens, gateway tokens, people, organizations, their account roles, priority senders or team members empty it
/// after they commit. Changes made by another server sharing the database (or by the `accord` CLI
/// while the server runs) are seen within `lifetime`, as policy publications are. Absent rows are
/// never kept, so a new token works at once.
public final class ReadCache: Sendable {
    /// How long a server keeps a read unless one of its own writes empties the cache first.
    public static let defaultLifetime: Duration = .seconds(2)

    struct Entry<Value: Sendable>: Sendable {
        let value: Value
        let readAt: ContinuousClock.Instant
    }

    struct State: Sendable {
        /// Counts emptyings: a read that began before one must not store what it read.
        var generation = 0
        var holders: [String: Entry<Person>] = [:]
        /// A mail gateway's label by the hash of its token.
        var gateways: [String: Entry<String>] = [:]
        var customers: [UUID: Entry<Customer>] = [:]
        var prioritySenders: [UUID: Entry<[String]>] = [:]
        var memberships: [UUID: Entry<[TeamMember]>] = [:]
    }

    private let state = Mutex(State())
    let lifetime: Duration
    let capacity: Int
    private let clock: @Sendable () -> ContinuousClock.Instant

    /// - Parameters:
    ///   - lifetime: how long a read is kept; zero keeps nothing.
    ///   - capacity: entries kept of each kind; past it, expired entries go, and then all of them.
    ///   - clock: the monotonic time reads are aged by (tests pass their own).
    public init(lifetime: Duration = ReadCache.defaultLifetime, capacity: Int = 10_000,
                clock: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) {
        self.lifetime = lifetime
        self.capacity = capacity
        self.clock = clock
    }

    /// Forgets everything; called after a write that may change what is kept.
    public func empty() {
        state.withLock { state in
            state.generation += 1
            state.holders.removeAll()
            state.gateways.removeAll()
            state.customers.removeAll()
            state.prioritySenders.removeAll()
            state.memberships.removeAll()
        }
    }

    /// The kept value of `key` in `entries` if younger than `lifetime`, else what `read` gives, kept
    /// unless nil or the cache was emptied while reading.
    func value<Key: Hashable & Sendable, Value: Sendable>(
        _ entries: WritableKeyPath<State, [Key: Entry<Value>]>, _ key: Key, read: () async throws -> Value?
    ) async throws -> Value? {
        guard lifetime > .zero else { return try await read() }
        let now = clock()
        let (kept, generation) = state.withLock { state in (state[keyPath: entries][key], state.generation) }
        if let kept, now - kept.readAt < lifetime { return kept.value }
        guard let value = try await read() else { return nil }
        state.withLock { state in
            guard state.generation == generation else { return }
            if state[keyPath: entries].count >= capacity {
                state[keyPath: entries] = state[keyPath: entries].filter { now - $0.value.readAt < lifetime }
                if state[keyPath: entries].count >= capacity { state[keyPath: entries].removeAll() }
            }
            state[keyPath: entries][key] = Entry(value: value, readAt: now)
        }
        return value
    }
}
