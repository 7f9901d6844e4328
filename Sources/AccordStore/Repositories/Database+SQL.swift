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

    /// Whether this is PostgreSQL, which takes `FOR UPDATE SKIP LOCKED`.
    var isPostgres: Bool { (self as? any SQLDatabase)?.dialect.name == "postgresql" }
}
