import FluentKit
import FluentSQL

extension Database {
    /// The database as SQL, for the statements written by hand. Both of Accord's databases speak
    /// SQL; anything else is refused with a clear error rather than a crash.
    var sql: any SQLDatabase {
        get throws {
            guard let sql = self as? any SQLDatabase else { throw StoreError.conflict("the database does not speak SQL") }
            return sql
        }
    }

    /// Whether this is PostgreSQL (`FOR UPDATE SKIP LOCKED`, advisory locks, data-modifying `WITH`).
    var isPostgres: Bool { (self as? any SQLDatabase)?.dialect.name == "postgresql" }
}

extension Array {
    /// The elements in consecutive slices of at most `size`, for statements that must stay inside
    /// the databases' bound-parameter limits.
    func chunks(of size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
