import AccordCore
import AccordStore
import FluentKit
import Foundation
import Logging
import NIOPosix
import SQLKit
import Testing

/// A SQLite desk is one file that more than one process may write: the server and an operator's
/// `accord` command beside it. A write that finds the file locked by the other waits its turn
/// instead of failing (a 500 to a client, an error to the operator).
struct WriterWaitTests {
    @Test func aWriteWaitsForAnotherProcessHoldingTheFile() async throws {
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
            let store = DeskStore(database: database, writes: WriteGate(database: writer?.database))
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
            let person = try await store.createPerson(organizationID: nil, name: "Waiting Writer", email: "waits@provider.test", role: .agent, tier: 1)
            let written = ContinuousClock.now
            let released = try await releasedAt
            #expect(try await store.person(person.id)?.email == "waits@provider.test")
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
