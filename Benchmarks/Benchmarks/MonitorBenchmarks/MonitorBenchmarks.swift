import AccordCore
import AccordStore
import Benchmark
import BusinessTime
import FluentKit
import FluentSQL
import Foundation
import Logging
import NIOPosix

/// One SLA monitor pass (raise what fell due, write and dispatch its outbox entries) over a desk of
/// 1,000,000 open cases, each with a running clock and three pending alarms, of which 1% (10,000)
/// have crossed their 75% threshold. Goal: under 200 ms on SQLite and PostgreSQL.
///
/// The desk is built once per database (SQLite: `ACCORD_BENCH_SQLITE`, default
/// `/tmp/accord-bench/monitor.sqlite`, kept between runs; PostgreSQL: `ACCORD_BENCH_POSTGRES`, a URL
/// of an empty database). Between iterations the raised alarms are put back, unmeasured.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .cpuTotal], maxDuration: .seconds(30), maxIterations: 20)
    let environment = ProcessInfo.processInfo.environment
    var choices: [(String, DatabaseSetup.Choice)] = [
        ("SQLite", .sqlite(path: environment["ACCORD_BENCH_SQLITE"] ?? "/tmp/accord-bench/monitor.sqlite")),
    ]
    if let url = environment["ACCORD_BENCH_POSTGRES"] { choices.append(("PostgreSQL", .postgres(url: url))) }
    for (name, choice) in choices {
        let desk = MonitorDesk(choice: choice)
        Benchmark("monitor pass, 1,000,000 open cases, 1% crossing (\(name))", configuration: .init(setup: { try await desk.open() })) { benchmark in
            for _ in benchmark.scaledIterations {
                try await desk.reset()
                benchmark.startMeasurement()
                let raised = try await desk.store.sweep(at: MonitorDesk.now, notifying: .webhooksOnly)
                var dispatched = raised.count
                while case let count = try await desk.store.dispatchOutbox(at: MonitorDesk.now, to: .webhooksOnly), count > 0 { dispatched += count }
                benchmark.stopMeasurement()
                precondition(raised.count == MonitorDesk.crossing && dispatched == MonitorDesk.crossing, "raised \(raised.count), dispatched \(dispatched)")
            }
        }
    }
}

/// The benchmark's desk: opened (and seeded when empty) once, reset between iterations.
final class MonitorDesk: @unchecked Sendable {
    static let cases = 1_000_000
    static let crossing = 10_000
    static let now = Date(timeIntervalSince1970: 1_795_000_000)
    /// When the crossing alarms fell due.
    static let past = now.addingTimeInterval(-60)

    let choice: DatabaseSetup.Choice
    private var databases: Databases?
    private(set) var store: DeskStore!

    init(choice: DatabaseSetup.Choice) {
        self.choice = choice
    }

    func open() async throws {
        if case .sqlite(let path) = choice {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        }
        let group = MultiThreadedEventLoopGroup.singleton
        let databases = Databases(threadPool: NIOThreadPool.singleton, on: group)
        try DatabaseSetup.register(choice, on: databases)
        self.databases = databases
        let logger = Logger(label: "accord.bench")
        let migrations = Migrations()
        migrations.add(DeskStore.migrations)
        let migrator = Migrator(databases: databases, migrations: migrations, logger: logger, on: group.any())
        try await migrator.setupIfNeeded().get()
        try await migrator.prepareBatch().get()
        store = DeskStore(database: databases.database(logger: logger, on: group.any())!)
        if try await store.openCaseCount() < Self.cases { try await seed() }
    }

    /// One customer, one requester, and the cases with their clocks and alarms, generated in SQL.
    private func seed() async throws {
        let sql = store.database as! any SQLDatabase
        let postgres = sql.dialect.name == "postgresql"
        let subscription = Subscription(plan: "premium", termStart: LocalDate(year: 2026, month: 1, day: 1)!, termEnd: LocalDate(year: 2027, month: 12, day: 31)!,
                                        automaticRenewal: true)
        let organization = try await store.createOrganization(name: "Bench AS", policyID: "plm-group", regionID: "denmark", casePrefix: "BEN",
                                                              subscription: subscription, by: nil, at: Self.now)
        let person = try await store.createPerson(organizationID: organization.id, name: "Bench", email: "bench@bench.test", role: .user, at: Self.now)
        func id(_ prefix: String) -> String {
            postgres ? "('00000000-0000-4000-\(prefix)-' || lpad(to_hex(i), 12, '0'))::uuid" : "printf('00000000-0000-4000-\(prefix)-%012X', i)"
        }
        let series = postgres ? "FROM generate_series(0, \(Self.cases - 1)) AS n(i)" : "FROM n"
        let with = postgres ? "" : "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < \(Self.cases - 1)) "
        let number = postgres ? "'BEN-2026-' || lpad(i::text, 7, '0')" : "printf('BEN-2026-%07d', i)"
        let logged = Self.now.addingTimeInterval(-3600), due = Self.now.addingTimeInterval(7200)
        let past = Self.past, later = Self.now.addingTimeInterval(3600)
        try await sql.raw("""
            \(unsafeRaw: with)INSERT INTO cases (id, number, organization_id, requester_id, title, description, priority, channel, status, policy_id,
              policy_version, plan_id, region_id, logged_at, nda, unsupported_version, next_due, breached, version, team_id, tier, queue_rank,
              plan_rank, priority_rank, queue_due)
            SELECT \(unsafeRaw: id("8000")), \(unsafeRaw: number), \(bind: organization.id), \(bind: person.id), 'Load', 'Load', 'critical', 'web',
              'open', 'plm-group', '2025.1', 'premium', 'denmark', \(bind: logged), \(bind: false), \(bind: false), \(bind: due), \(bind: false), 1,
              'denmark', 1, 1, 2, 0, \(bind: due) \(unsafeRaw: series)
            """).run()
        try await sql.raw("""
            \(unsafeRaw: with)INSERT INTO clocks (id, case_id, metric, target, due, state)
            SELECT \(unsafeRaw: id("9000")), \(unsafeRaw: id("8000")), 'initial-response', '2 business hours', \(bind: due), 'running' \(unsafeRaw: series)
            """).run()
        for (prefix, kind) in [("a000", "warning-75"), ("b000", "warning-90"), ("c000", "breach")] {
            let at: SQLQueryString = kind == "warning-75" ? "CASE WHEN i < \(unsafeRaw: String(Self.crossing)) THEN \(bind: past) ELSE \(bind: later) END" : "\(bind: due)"
            try await sql.raw("""
                \(unsafeRaw: with)INSERT INTO clock_alarms (id, case_id, metric, kind, at)
                SELECT \(unsafeRaw: id(prefix)), \(unsafeRaw: id("8000")), 'initial-response', \(bind: kind), \(at) \(unsafeRaw: series)
                """).run()
        }
        if postgres { try await sql.raw("ANALYZE").run() }
    }

    /// Puts the raised alarms back from their outbox entries and empties the outbox, as before the first pass.
    func reset() async throws {
        let sql = store.database as! any SQLDatabase
        try await sql.raw("""
            INSERT INTO clock_alarms (id, case_id, metric, kind, at)
            SELECT id, case_id, metric, alarm, \(bind: Self.past) FROM outbox WHERE alarm IS NOT NULL
            """).run()
        try await sql.raw("DELETE FROM outbox").run()
        // The reset churns as much as a pass; on PostgreSQL clean up as autovacuum would between passes.
        if sql.dialect.name == "postgresql" { try await sql.raw("VACUUM clock_alarms, outbox").run() }
    }
}
