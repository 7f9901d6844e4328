import AccordCore
@testable import AccordStore
import BusinessTime
import Foundation
import Synchronization
import Testing

/// The server keeps token holders, customers and priority senders for a few seconds: its own
/// writes show at once, other servers' writes within the lifetime, and nothing is kept that a
/// write may have changed while it was read.
struct ReadCacheTests {
    /// A monotonic clock the test moves.
    final class TestClock: Sendable {
        private let instant = Mutex(ContinuousClock.now)
        func now() -> ContinuousClock.Instant { instant.withLock { $0 } }
        func advance(_ duration: Duration) { instant.withLock { $0 += duration } }
    }

    static func cache(lifetime: Duration = .seconds(2), capacity: Int = 100, clock: TestClock) -> ReadCache {
        ReadCache(lifetime: lifetime, capacity: capacity, clock: { clock.now() })
    }

    /// Reads of `key` through `cache`, counting how often the database would be asked.
    final class Source: Sendable {
        let reads = Atomic(0)
        let value: Mutex<[String]?>
        init(_ value: [String]?) { self.value = Mutex(value) }

        func read(_ cache: ReadCache, _ key: UUID) async throws -> [String]? {
            try await cache.value(\.prioritySenders, key) {
                reads.add(1, ordering: .relaxed)
                return value.withLock { $0 }
            }
        }
    }

    @Test func aReadIsKeptForItsLifetimeAndReadAgainAfter() async throws {
        let clock = TestClock()
        let cache = Self.cache(clock: clock)
        let source = Source(["a@x.test"])
        let key = UUID()
        #expect(try await source.read(cache, key) == ["a@x.test"])
        source.value.withLock { $0 = ["b@x.test"] }
        clock.advance(.milliseconds(1999))
        #expect(try await source.read(cache, key) == ["a@x.test"])
        #expect(source.reads.load(ordering: .relaxed) == 1)
        clock.advance(.milliseconds(1))
        #expect(try await source.read(cache, key) == ["b@x.test"])
        #expect(source.reads.load(ordering: .relaxed) == 2)
    }

    @Test func absentRowsAreNeverKept() async throws {
        let cache = Self.cache(clock: TestClock())
        let source = Source(nil)
        let key = UUID()
        #expect(try await source.read(cache, key) == nil)
        source.value.withLock { $0 = ["new@x.test"] }
        #expect(try await source.read(cache, key) == ["new@x.test"])
    }

    @Test func aZeroLifetimeReadsEveryTime() async throws {
        let cache = Self.cache(lifetime: .zero, clock: TestClock())
        let source = Source(["a@x.test"])
        let key = UUID()
        for _ in 1...3 { _ = try await source.read(cache, key) }
        #expect(source.reads.load(ordering: .relaxed) == 3)
    }

    @Test func aReadThatOverlapsAnEmptyingIsNotKept() async throws {
        let cache = Self.cache(clock: TestClock())
        let key = UUID()
        // A write commits and empties the cache while the read is under way: what the read saw
        // may be the old row, so it must not be kept.
        let seen = try await cache.value(\.prioritySenders, key) {
            cache.empty()
            return ["old@x.test"]
        }
        #expect(seen == ["old@x.test"])
        let source = Source(["new@x.test"])
        #expect(try await source.read(cache, key) == ["new@x.test"])
    }

    @Test func pastCapacityExpiredEntriesGoFirstAndThenAll() async throws {
        let clock = TestClock()
        let cache = Self.cache(capacity: 3, clock: clock)
        let source = Source(["a@x.test"])
        let old = [UUID(), UUID()]
        for key in old { _ = try await source.read(cache, key) }
        clock.advance(.seconds(3))
        let fresh = [UUID(), UUID(), UUID()]
        for key in fresh { _ = try await source.read(cache, key) }
        // The expired two made room: all three fresh ones are kept.
        #expect(source.reads.load(ordering: .relaxed) == 5)
        for key in fresh { _ = try await source.read(cache, key) }
        #expect(source.reads.load(ordering: .relaxed) == 5)
        // None expired now: the fourth empties the kind and is kept alone.
        let fourth = UUID()
        _ = try await source.read(cache, fourth)
        _ = try await source.read(cache, fourth)
        #expect(source.reads.load(ordering: .relaxed) == 6)
        _ = try await source.read(cache, fresh[0])
        #expect(source.reads.load(ordering: .relaxed) == 7)
    }

    /// The store's own writes empty the cache; another server's (a store without this cache) show
    /// once the lifetime has passed.
    @Test(arguments: TestDatabase.all) func theStoresOwnWritesShowAtOnceAndOthersWithinTheLifetime(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z", on: database) { desk in
            let clock = TestClock()
            let cached = DeskStore(database: desk.app.db, cache: Self.cache(clock: clock))
            let other = DeskStore(database: desk.app.db)
            let org = try #require(UUID(uuidString: try await desk.organization("pro-plus", plan: "pro-plus", region: "us-central", prefix: "RC")))
            let anna = try await desk.person(in: org.uuidString, email: "anna@rc.test", role: "authorized-contact")
            let bert = try await desk.person(in: org.uuidString, email: "bert@rc.test", role: "user")
            let tam = try await other.createPerson(organizationID: nil, name: "Tam", email: "tam@provider.test", role: .tam)
            let at = desk.clock.now()

            // Another server's changes: seen once the lifetime has passed.
            #expect(try await cached.person(forToken: bert.token)?.email == "bert@rc.test")
            #expect(try await cached.customer(org)?.tam == nil)
            #expect(try await cached.prioritySenders(of: org) == [])
            #expect(try await cached.memberships(of: tam.id) == [])
            _ = try await other.addMember(tam.id, to: "tier-1", of: "pro-plus", lead: false, languages: [], at: at)
            _ = try await other.erase(try #require(UUID(uuidString: bert.id)), by: nil, at: at)
            try await other.assign(.tam, of: org, to: tam.id, by: nil, at: at)
            _ = try await other.replacePrioritySenders(of: org, with: ["vip.test"], by: nil, at: at)
            #expect(try await cached.person(forToken: bert.token)?.email == "bert@rc.test")
            #expect(try await cached.customer(org)?.tam == nil)
            #expect(try await cached.prioritySenders(of: org) == [])
            #expect(try await cached.memberships(of: tam.id) == [])
            clock.advance(.seconds(2))
            #expect(try await cached.person(forToken: bert.token) == nil)
            #expect(try await cached.customer(org)?.tam == tam.id)
            #expect(try await cached.prioritySenders(of: org) == ["vip.test"])
            #expect(try await cached.memberships(of: tam.id).map(\.teamID) == ["tier-1"])

            // Its own changes: seen at once.
            let customer = try #require(try await cached.customer(org))
            var noticed = customer.organization.subscription
            noticed.nonRenewalNotice = LocalDate(year: 2026, month: 3, day: 2)
            _ = try await cached.changeSubscription(of: customer.organization, to: noticed, events: [OrganizationEvent(
                at: at, actorID: nil, kind: "non-renewal-notice", effective: noticed.nonRenewalNotice, detail: "test notice")])
            #expect(try await cached.customer(org)?.organization.subscription.nonRenewalNotice == noticed.nonRenewalNotice)
            _ = try await cached.replacePrioritySenders(of: org, with: ["vip.test", "anna@rc.test"], by: nil, at: at)
            #expect(try await cached.prioritySenders(of: org) == ["anna@rc.test", "vip.test"])
            let otherTam = try await other.createPerson(organizationID: nil, name: "Tam Two", email: "tam2@provider.test", role: .tam)
            try await cached.assign(.tam, of: org, to: otherTam.id, by: nil, at: at)
            #expect(try await cached.customer(org)?.tam == otherTam.id)
            _ = try await cached.removeMember(tam.id, from: "tier-1", of: "pro-plus")
            #expect(try await cached.memberships(of: tam.id) == [])
            _ = try await cached.addMember(tam.id, to: "tier-2", of: "pro-plus", lead: true, languages: ["en"], at: at)
            #expect(try await cached.memberships(of: tam.id).map(\.teamID) == ["tier-2"])
            #expect(try await cached.person(forToken: anna.token)?.email == "anna@rc.test")
            _ = try await cached.erase(try #require(UUID(uuidString: anna.id)), by: nil, at: at)
            #expect(try await cached.person(forToken: anna.token) == nil)
        }
    }

    /// A mail gateway's token is kept as a person's is: revoked by another server it still works
    /// for the lifetime, revoked through the server holding the cache it stops at once.
    @Test(arguments: TestDatabase.all) func gatewayTokensAreKeptAndRevokedLikeTokens(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z", on: database) { desk in
            let clock = TestClock()
            let cached = DeskStore(database: desk.app.db, cache: Self.cache(clock: clock))
            let other = DeskStore(database: desk.app.db)
            let first = try await other.issueMailGatewayToken(label: "postfix", at: Date())
            let second = try await other.issueMailGatewayToken(label: "fetchmail", at: Date())
            #expect(try await cached.mailGateway(forToken: first.secret) == "postfix")
            #expect(try await cached.mailGateway(forToken: second.secret) == "fetchmail")
            #expect(try await cached.mailGateway(forToken: "acm_nobody") == nil)
            #expect(try await other.revokeMailGatewayToken(first.id))
            #expect(try await cached.mailGateway(forToken: first.secret) == "postfix", "another server's revocation: seen within the lifetime")
            clock.advance(.seconds(2))
            #expect(try await cached.mailGateway(forToken: first.secret) == nil)
            #expect(try await cached.revokeMailGatewayToken(second.id))
            #expect(try await cached.mailGateway(forToken: second.secret) == nil, "its own revocation: at once")
        }
    }
}
