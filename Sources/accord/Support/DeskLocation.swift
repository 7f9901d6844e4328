import AccordStore
import ArgumentParser
import Foundation
import Vapor

/// Where the desk a command works on lives: the SQLite file `--db`, or PostgreSQL when
/// DATABASE_URL is set. A missing SQLite file is refused — a mistyped path or a command run in
/// the wrong folder would otherwise start a new, empty desk and report on that — unless
/// `--create` says to start one.
struct DeskLocation: ParsableArguments {
    @ArgumentParser.Option(help: "The desk's SQLite database file (DATABASE_URL chooses PostgreSQL instead).")
    var db = "accord.sqlite"

    @ArgumentParser.Flag(help: "Create the SQLite database if it does not exist yet (an empty desk).")
    var create = false

    /// Runs `body` on the desk, after checking that it exists.
    func with(_ body: (Application, DeskStore) async throws -> Void) async throws {
        let postgres = !(ProcessInfo.processInfo.environment["DATABASE_URL"] ?? "").isEmpty
        if !postgres && !create && !FileManager.default.fileExists(atPath: db) {
            throw CommandFailure("""
                no desk database at '\(db)': give --db the desk's file (the one `accord serve --db FILE` runs on), \
                set DATABASE_URL for PostgreSQL, or add --create to start an empty desk there
                """)
        }
        try await DeskDatabase.with(sqlitePath: db, body)
    }
}
