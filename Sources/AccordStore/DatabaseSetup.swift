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

    /// Whether writes must be serialized (SQLite has one writer).
    public static func needsWriteGate(_ choice: Choice) -> Bool {
        if case .postgres = choice { return false }
        return true
    }

    /// Registers the chosen database as the default one.
    public static func register(_ choice: Choice, on databases: Databases) throws {
        switch choice {
        case .sqlite(let path):
            databases.use(.sqlite(.file(path)), as: .sqlite)
        case .sqliteInMemory:
            databases.use(.sqlite(.memory), as: .sqlite)
        case .postgres(let url):
            databases.use(try .postgres(url: url), as: .psql)
        }
    }

    /// Runs one SQL statement on a database outside any application, for setup work such as
    /// creating the database a test or an operator needs.
    public static func execute(_ statement: String, on choice: Choice) async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let databases = Databases(threadPool: NIOThreadPool.singleton, on: group)
        try register(choice, on: databases)
        let database = databases.database(logger: Logger(label: "accord.setup"), on: group.any())
        do {
            guard let sql = database as? any SQLDatabase else { throw StoreError.conflict("the database does not speak SQL") }
            try await sql.raw(SQLQueryString(statement)).run()
        } catch {
            await databases.shutdownAsync()
            throw error
        }
        await databases.shutdownAsync()
    }
}
