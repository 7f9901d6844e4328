import FluentKit
import FluentSQL

/// Attainment reports read packed days (`report_facts`: the cases logged on a UTC day, packed by
/// `AttainmentFacts`) instead of every clock. A day's facts are true until a case logged that day
/// changes: triggers note the day in `report_changes` whenever a case row is inserted or updated —
/// every write of a case's clocks, work or events updates its row in the same transaction — or a
/// clock's row is updated alone (its time used measured after an upgrade). A report, or the desk
/// in the background, packs a noted day again (`DeskStore.packReportDay`).
///
/// On SQLite (one writer at a time) a day's note counts its changes, and the facts keep the count
/// they were packed at. On PostgreSQL, whose writers run side by side, a note is an insert-only row
/// per statement — two transactions writing cases of the same day never wait for each other on it —
/// read with an index and deleted when the day is packed.
struct CreateReportFacts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = try database.sql
        if database.isPostgres {
            try await sql.raw("CREATE TABLE report_facts (day BIGINT PRIMARY KEY, version INTEGER NOT NULL, facts BYTEA NOT NULL, built BIGINT NOT NULL)").run()
            try await sql.raw("CREATE TABLE report_changes (day BIGINT NOT NULL)").run()
            try await sql.raw("CREATE INDEX report_changes_day ON report_changes (day)").run()
            for (table, rows) in [("cases", "SELECT logged_at FROM changed"), ("clocks", "SELECT c.logged_at FROM changed k JOIN cases c ON c.id = k.case_id")] {
                try await sql.raw("""
                    CREATE FUNCTION report_change_of_\(unsafeRaw: table)() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                      INSERT INTO report_changes (day) SELECT DISTINCT floor(extract(epoch FROM logged_at) / 86400)::bigint FROM (\(unsafeRaw: rows)) r;
                      RETURN NULL;
                    END $$
                    """).run()
            }
            // One trigger per event: PostgreSQL gives a statement trigger its changed rows only for one event.
            try await sql.raw("""
                CREATE TRIGGER report_changes_case_insert AFTER INSERT ON cases REFERENCING NEW TABLE AS changed
                FOR EACH STATEMENT EXECUTE FUNCTION report_change_of_cases()
                """).run()
            try await sql.raw("""
                CREATE TRIGGER report_changes_case_update AFTER UPDATE ON cases REFERENCING NEW TABLE AS changed
                FOR EACH STATEMENT EXECUTE FUNCTION report_change_of_cases()
                """).run()
            try await sql.raw("""
                CREATE TRIGGER report_changes_clock_update AFTER UPDATE ON clocks REFERENCING NEW TABLE AS changed
                FOR EACH STATEMENT EXECUTE FUNCTION report_change_of_clocks()
                """).run()
            try await sql.raw("INSERT INTO report_changes (day) SELECT DISTINCT floor(extract(epoch FROM logged_at) / 86400)::bigint FROM cases").run()
        } else {
            // Dates are stored as seconds since 1970 (a REAL).
            try await sql.raw("CREATE TABLE report_facts (day INTEGER PRIMARY KEY, version INTEGER NOT NULL, facts BLOB NOT NULL, built INTEGER NOT NULL)").run()
            try await sql.raw("CREATE TABLE report_changes (day INTEGER PRIMARY KEY, n INTEGER NOT NULL)").run()
            let note = "INSERT INTO report_changes (day, n) VALUES (CAST(NEW.logged_at / 86400 AS INTEGER), 1) ON CONFLICT (day) DO UPDATE SET n = n + 1"
            try await sql.raw("CREATE TRIGGER report_changes_case_insert AFTER INSERT ON cases BEGIN \(unsafeRaw: note); END").run()
            try await sql.raw("CREATE TRIGGER report_changes_case_update AFTER UPDATE ON cases BEGIN \(unsafeRaw: note); END").run()
            try await sql.raw("""
                CREATE TRIGGER report_changes_clock_update AFTER UPDATE ON clocks
                BEGIN INSERT INTO report_changes (day, n) SELECT CAST(logged_at / 86400 AS INTEGER), 1 FROM cases WHERE id = NEW.case_id AND true
                  ON CONFLICT (day) DO UPDATE SET n = n + 1; END
                """).run()
            try await sql.raw("INSERT INTO report_changes (day, n) SELECT DISTINCT CAST(logged_at / 86400 AS INTEGER), 1 FROM cases WHERE true ON CONFLICT (day) DO NOTHING").run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sql
        for trigger in ["report_changes_case_insert", "report_changes_case_update"] {
            try await sql.raw("DROP TRIGGER \(unsafeRaw: trigger)\(unsafeRaw: database.isPostgres ? " ON cases" : "")").run()
        }
        try await sql.raw("DROP TRIGGER report_changes_clock_update\(unsafeRaw: database.isPostgres ? " ON clocks" : "")").run()
        if database.isPostgres {
            try await sql.raw("DROP FUNCTION report_change_of_cases()").run()
            try await sql.raw("DROP FUNCTION report_change_of_clocks()").run()
        }
        try await sql.raw("DROP TABLE report_changes").run()
        try await sql.raw("DROP TABLE report_facts").run()
    }
}
