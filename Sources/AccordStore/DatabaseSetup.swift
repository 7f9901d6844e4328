public import FluentKit
import FluentPostgresDriver
import FluentSQL
import FluentSQLiteDriver
import Logging
import NIOCore
import NIOPosix

/// Chooses the database: PostgreSQL when a URL is given (the scale-out store), otherwise the
/// embedded SQLite file (one file, zero setup).
public enum DatabaseSetup {
    public enum Choice: Sendable, Equatable {
        case sqlite(path: String)
        case sqliteInMemory
        case postgres(url: String)
    }

    public static func choice(databaseURL: String?, sqlitePath: String) -> Choice {
        if let url = databaseURL, !url.isEmpty { return .postgres(url: url) }
        return sqlitePath == ":memory:" ? .sqliteInMemory : .sqlite(path: sqlitePath)
    }

    /// How many PostgreSQL connections each event loop may open (on demand): a server on 2 cores
    /// holds at most 8, so a dozen servers fit PostgreSQL's default of 100 connections.
    static let postgresConnectionsPerEventLoop = 4

    /// Whether writes must be serialized (SQLite has one writer).
    public static func needsWriteGate(_ choice: Choice) -> Bool {
        if case .postgres = choice { return false }
        return true
    }

    /// Registers the chosen database as the default one.
    public static func register(_ choice: Choice, on databases: Databases) throws {
        switch choice {
        case .sqlite(let path):
            // Several connections per event loop, so reads go on while the one writer holds a
            // transaction (write-ahead logging lets them); writes queue at the WriteGate.
            databases.use(.sqlite(.file(path), maxConnectionsPerEventLoop: 4), as: .sqlite)
        case .sqliteInMemory:
            databases.use(.sqlite(.memory), as: .sqlite)
        case .postgres(let url):
            var configuration = try SQLPostgresConfiguration(url: url)
            // Accord's statements are short and indexed; PostgreSQL's JIT compiler spends more
            // compiling them than it saves (a monitor pass raising 10,000 alarms: ~100 ms).
            configuration.coreConfiguration.options.additionalStartupParameters = [("jit", "off")]
            // Several connections per event loop: with one, every query of every request on that loop
            // waits in a single line, and a case answer's independent reads cannot overlap.
            databases.use(.postgres(configuration: configuration, maxConnectionsPerEventLoop: postgresConnectionsPerEventLoop), as: .psql)
        }
    }

    /// Lays out a SQLite file before its first table, and turns on its write-ahead log (readers
    /// never wait for the writer; every commit is still synced). A new file gets pages of
    /// `sqlitePageSize` bytes: with SQLite's default of 4 KB, the indexes of a desk of a million
    /// cases are deeper, and a large write splits and logs many more pages (importing 1,000,000
    /// cases: 65 s with 4 KB pages, 54 s with 16 KB; a fresh desk's intake over HTTP, whose small
    /// commits log whole pages, about 8 % slower; BENCHMARKS.md). A desk made by an earlier
    /// release keeps its pages (docs/import.md says how to convert one). Call it while
    /// holding the `PreparationLock`, before the migrations; nothing for PostgreSQL or memory.
    public static func layOut(_ choice: Choice, on database: any Database) async throws {
        guard case .sqlite = choice else { return }
        try await database.withConnection { connection in
            let sql = try connection.sql
            // The size of a file's pages is fixed by its first write; later it takes a VACUUM.
            let pages = try await sql.raw("PRAGMA page_count").first()?.decode(column: "page_count", as: Int.self) ?? 0
            if pages == 0 { try await sql.raw("PRAGMA page_size = \(unsafeRaw: String(sqlitePageSize))").run() }
            try await sql.raw("PRAGMA journal_mode = WAL").run()
        }
    }

    /// The page size of a new SQLite file: 16 KB.
    public static let sqlitePageSize = 16_384

    /// A database of its own for the one writer of a SQLite file: one connection on its own
    /// event-loop thread, so a write transaction's statements never queue behind the request
    /// traffic of the server's event loops. Nil for PostgreSQL (many writers) and in-memory SQLite
    /// (a second connection would open a second, empty database).
    public static func dedicatedWriter(_ choice: Choice) async throws -> DedicatedWriter? {
        guard case .sqlite(let path) = choice else { return nil }
        let writer = DedicatedWriter(path: path)
        do {
            try await writer.waitForOtherProcesses()
        } catch {
            await writer.shutdown()
            throw error
        }
        return writer
    }

    /// Runs one SQL statement on a database outside any application, for setup work such as
    /// creating the database a test or an operator needs.
    public static func execute(_ statement: String, on choice: Choice) async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let databases = Databases(threadPool: NIOThreadPool.singleton, on: group)
        try register(choice, on: databases)
        let database = databases.database(logger: Logger(label: "accord.setup"), on: group.any())
        do {
            guard let database else { throw StoreError.conflict("the database could not be opened") }
            try await database.sql.raw(SQLQueryString(statement)).run()
        } catch {
            await databases.shutdownAsync()
            throw error
        }
        await databases.shutdownAsync()
    }
}

/// One database connection with an event-loop thread and a blocking thread of its own (SQLite's
/// calls block), so the writer never queues behind the readers; shut it down when the server stops.
public final class DedicatedWriter: Sendable {
    private let group: MultiThreadedEventLoopGroup
    private let threadPool: NIOThreadPool
    private let databases: Databases
    public let database: any Database
    /// Runs tasks on the writer's event loop.
    public let executor: EventLoopTaskExecutor

    init(path: String) {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        threadPool = NIOThreadPool(numberOfThreads: 1)
        threadPool.start()
        databases = Databases(threadPool: threadPool, on: group)
        // Exactly one connection: what `waitForOtherProcesses` sets holds for every write.
        databases.use(.sqlite(.file(path), maxConnectionsPerEventLoop: 1), as: .sqlite)
        let eventLoop = group.next()
        database = databases.database(logger: Logger(label: "accord.writer"), on: eventLoop)!
        executor = EventLoopTaskExecutor(eventLoop)
    }

    /// Makes a write that finds the file locked by another process (an operator's `accord`
    /// command beside the server, or the server beside the command) wait up to `busyTimeoutMilliseconds`
    /// for it instead of failing at once, which is SQLite's default.
    func waitForOtherProcesses() async throws {
        try await database.sql.raw("PRAGMA busy_timeout = \(unsafeRaw: String(Self.busyTimeoutMilliseconds))").run()
        try await database.sql.raw("PRAGMA temp_store = MEMORY").run()
        // The writer keeps up to `writerCacheKilobytes` of pages (SQLite's default is 2 MB): a
        // desk of a million cases has indexes of hundreds of megabytes, and each write reads their
        // pages back from the file otherwise.
        try await database.sql.raw("PRAGMA cache_size = -\(unsafeRaw: String(Self.writerCacheKilobytes))").run()
        // The write-ahead log is copied back into the file once it holds `checkpointPages` (SQLite's
        // default: 1,000, about every commit of a block of imported cases): index pages written by
        // many commits in a row are copied back once.
        try await database.sql.raw("PRAGMA wal_autocheckpoint = \(unsafeRaw: String(Self.checkpointPages))").run()
    }

    /// Pages of write-ahead log (16 KB each in a desk made since pages grew, 4 KB in an older one)
    /// after which a commit copies them back into the file.
    static let checkpointPages = 10_000

    /// The most page cache the writer connection keeps: 128 MB (allocated as pages are read).
    static let writerCacheKilobytes = 131_072

    /// How long a write waits for another process's lock on the file: 10 s.
    static let busyTimeoutMilliseconds = 10_000

    public func shutdown() async {
        await databases.shutdownAsync()
        try? await threadPool.shutdownGracefully()
        try? await group.shutdownGracefully()
    }
}
