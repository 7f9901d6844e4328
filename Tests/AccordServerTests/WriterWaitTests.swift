import AccordCore
import BusinessTime
import AccordStore
import FluentKit
import Foundation
import Logging
import NIOPosix
import SQLKit
import Testing

/// A SQLite desk is one file that more than one process may write: the server and an operator's
/// `accord` command beside it. A write that finds the file locked by the other waits its turn
/// instead of failing (a 500 to a client, an error to the operator) — through the server's write gate,
/// and as well without one, as the desk's start seeds its first admin or the demo customers.
struct WriterWaitTests {
    @Test(arguments: [true, false])
    func aWriteThatReadsFirstWaitsForAnotherProcessHoldingTheFile(gated: Bool) async throws {
        let provisioned = try await TestDatabase.sqlite.provision()
        let group = MultiThreadedEventLoopGroup.singleton
        let databases = Databases(threadPool: NIOThreadPool.singleton, on: group)
        let other = Databases(threadPool: NIOThreadPool.singleton, on: group)
        var writer: DedicatedWriter?
        do {
            try DatabaseSetup.register(provisioned.choice, on: databases)
            try DatabaseSetup.register(provisioned.choice, on: other)
            let logger = Logger(label: "accord.test")
            try await databases.migrateDesk(logger: logger)
            let database = try #require(databases.database(logger: logger, on: group.any()))
            try await (database as! any SQLDatabase).raw("PRAGMA journal_mode=WAL").run()
            writer = try await DatabaseSetup.dedicatedWriter(provisioned.choice)
            let store = gated ? DeskStore(database: database, writes: WriteGate(writer: writer)) : DeskStore(database: database)
            let holder = try #require(other.database(logger: logger, on: group.any()))
            let (locked, lockTaken) = AsyncStream<Void>.makeStream()
            // The other process takes the write lock and keeps it for 300 ms; it notes the moment
            // just before it lets go.
            async let releasedAt: ContinuousClock.Instant = holder.withConnection { connection in
                let sql = connection as! any SQLDatabase
                try await sql.raw("BEGIN IMMEDIATE").run()
                lockTaken.yield()
                try await Task.sleep(for: .milliseconds(300))
                let releasing = ContinuousClock.now
                try await sql.raw("COMMIT").run()
                return releasing
            }
            for await _ in locked { break }
            // Creating an organization reads first (is its case prefix taken?), then writes.
            let subscription = Subscription(plan: "gold", termStart: LocalDate(year: 2026, month: 1, day: 1)!, termEnd: LocalDate(year: 2026, month: 12, day: 31)!, automaticRenewal: false)
            let organization = try await store.createOrganization(name: "Waiting Writer", policyID: "plex", regionID: "global", casePrefix: "WAIT",
                                                                  subscription: subscription, by: nil, at: Date())
            let written = ContinuousClock.now
            let released = try await releasedAt
            #expect(try await store.organization(organization.id)?.name == "Waiting Writer")
            #expect(written > released, "the write went in only once the other let go")
        } catch {
            await writer?.shutdown()
            await other.shutdownAsync()
            await databases.shutdownAsync()
            await provisioned.cleanUp()
            throw error
        }
        await writer?.shutdown()
        await other.shutdownAsync()
        await databases.shutdownAsync()
        await provisioned.cleanUp()
    }
}
