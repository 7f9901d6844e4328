import AccordServer
import AccordTestSupport
@testable import AccordStore
import AsyncHTTPClient
import Crypto
import Foundation
import SQLKit
import Synchronization
import Testing
import VaporTesting

/// The SLA monitor: warnings at 75% and 90% of a clock's budget and the breach at its due, each
/// raised exactly once, caught up after downtime, carried by the outbox to webhooks and mail.
@Suite(.serialized) struct SLAMonitorTests {
    static func at(_ text: String) -> Date { DeskHarness.date(text) }

    static func monitor(_ desk: DeskHarness, retry: RetryPolicy = RetryPolicy(), mail: SLAMonitor.Configuration.Mail? = nil,
                        publicURL: String? = nil) -> SLAMonitor {
        var configuration = SLAMonitor.Configuration()
        configuration.publicURL = publicURL
        configuration.retry = retry
        configuration.mail = mail
        configuration.mailFrom = "Accord Desk <desk@provider.test>"
        // The tests' webhook receivers listen on loopback, which webhooks may reach only when allowed.
        configuration.webhookNetworks = WebhookNetworks(allowing: [WebhookNetworks.Network("127.0.0.0/8")!])
        return SLAMonitor(store: DeskStore(database: desk.app.db), configuration: configuration, http: desk.client)
    }

    /// A PLM Group premium case logged 10:00 CET Monday: the critical initial response is due two
    /// business hours later, 12:00 CET (11:00Z); 75% is 11:30 CET and 90% 11:48 CET.
    static func logPLMCase(_ desk: DeskHarness) async throws -> (id: String, token: String) {
        let plm = try await desk.organization("plm-group", plan: "premium", region: "denmark", prefix: "PLM")
        let anna = try await desk.person(in: plm, email: "anna@plm.test", role: "user")
        let logged = try await desk.call(.POST, "/api/v1/cases", token: anna.token, body: DeskHarness.plmCase())
        #expect(logged.status == .created, "\(logged.json)")
        #expect(desk.clock(logged)?["due"] as? String == "2026-03-02T11:00:00Z")
        return (try #require(logged.string["id"]), anna.token)
    }

    /// The outbox's alarm text is written by the database in the sweep's own statement: it must
    /// read back as the alarm (instants in whole seconds, any metric name escaped), and the entry's
    /// event must be the alarm's.
    @Test(arguments: TestDatabase.all) func theAlarmTextTheDatabaseWritesReadsBackAsTheAlarm(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z", on: database) { desk in
            let caseID = try #require(UUID(uuidString: try await Self.logPLMCase(desk).id))
            let store = DeskStore(database: desk.app.db)
            let sql = try store.sql
            let odd = "odd \"metric\"/\\ with\ttabs\nand \u{01} é"
            for table in ["clocks", "clock_alarms"] {
                try await sql.update(table).set("metric", to: odd).where("case_id", .equal, caseID).where("metric", .equal, "initial-response").run()
            }
            try await sql.update("clock_alarms").set("at", to: Self.at("2026-03-02T10:30:00Z").addingTimeInterval(0.75))
                .where("case_id", .equal, caseID).where("kind", .equal, "warning-75").run()
            let first = try await store.sweep(at: Self.at("2026-03-02T10:35:00Z").addingTimeInterval(0.5), notifying: .webhooksOnly)
            #expect(try first.alarms() == [RaisedAlarm(caseID: caseID, metric: odd, kind: "warning-75", alarmAt: Self.at("2026-03-02T10:30:00Z"),
                                                       clockDue: Self.at("2026-03-02T11:00:00Z"), raisedAt: Self.at("2026-03-02T10:35:00Z"))])
            // A clock no longer counting has no due; an estimate-passed alarm is its own event.
            try await sql.update("clocks").set("due", to: SQLLiteral.null).where("case_id", .equal, caseID).where("metric", .equal, odd).run()
            try await sql.update("clock_alarms").set("kind", to: "estimate-passed-1774065600")
                .where("case_id", .equal, caseID).where("kind", .equal, "warning-90").run()
            let second = try await store.sweep(at: Self.at("2026-03-02T10:50:00Z"), notifying: .webhooksOnly)
            #expect(try second.alarms() == [RaisedAlarm(caseID: caseID, metric: odd, kind: "estimate-passed-1774065600",
                                                        alarmAt: Self.at("2026-03-02T10:48:00Z"), clockDue: nil, raisedAt: Self.at("2026-03-02T10:50:00Z"))])
            let entries = try await sql.select().columns("kind", "payload").from("outbox").where("case_id", .equal, caseID).all()
            #expect(try entries.map { try $0.decode(column: "kind", as: String.self) }.sorted() == ["sla.estimate-passed", "sla.warning"])
            for entry in entries {
                #expect(try entry.decode(column: "kind", as: String.self) == (try RaisedAlarm(json: try entry.decode(column: "payload", as: String.self)).event))
            }
        }
    }

    @Test(arguments: TestDatabase.all) func warningsAndTheBreachAreRaisedOnceEachAtTheirInstants(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z", on: database) { desk in
            let (caseID, _) = try await Self.logPLMCase(desk)
            let store = DeskStore(database: desk.app.db)
            let pending = try await store.pendingAlarms(of: try #require(UUID(uuidString: caseID)))
            #expect(pending.map(\.alarm.kind) == ["warning-75", "warning-90", "breach"])
            #expect(pending.map { ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval($0.alarm.at))) }
                    == ["2026-03-02T10:30:00Z", "2026-03-02T10:48:00Z", "2026-03-02T11:00:00Z"])

            #expect(try await store.sweep(at: Self.at("2026-03-02T10:29:59Z"), notifying: .webhooksOnly).isEmpty)
            let first = try await store.sweep(at: Self.at("2026-03-02T10:30:00Z"), notifying: .webhooksOnly).alarms()
            #expect(first.map(\.kind) == ["warning-75"])
            #expect(first.first?.metric == "initial-response")
            #expect(try await store.sweep(at: Self.at("2026-03-02T10:30:00Z"), notifying: .webhooksOnly).isEmpty, "raised once")
            #expect(try await store.sweep(at: Self.at("2026-03-02T10:40:00Z"), notifying: .webhooksOnly).isEmpty)
            // The monitor was down from 10:40 to 11:05: the pass catches up with both, in order,
            // each with the instant it fell due.
            let caughtUp = try await store.sweep(at: Self.at("2026-03-02T11:05:00Z"), notifying: .webhooksOnly).alarms()
            #expect(caughtUp.map(\.kind) == ["warning-90", "breach"])
            #expect(caughtUp.map(\.alarmAt) == [Self.at("2026-03-02T10:48:00Z"), Self.at("2026-03-02T11:00:00Z")])
            #expect(caughtUp.allSatisfy { $0.clockDue == Self.at("2026-03-02T11:00:00Z") })
            #expect(try await store.sweep(at: Self.at("2026-03-03T00:00:00Z"), notifying: .webhooksOnly).isEmpty)
            #expect(try await store.raisedAlarms(of: try #require(UUID(uuidString: caseID))).map(\.kind) == ["warning-75", "warning-90", "breach"])
        }
    }

    /// The background loop of `accord serve`: it raises an alarm once its instant has come, and
    /// stops when cancelled.
    @Test func theRunningMonitorRaisesWhatFallsDueAndStopsWhenCancelled() async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z") { desk in
            let (caseID, _) = try await Self.logPLMCase(desk)
            let store = DeskStore(database: desk.app.db)
            let monitor = Self.monitor(desk)
            let clock = desk.clock
            clock.clock.withLock { $0 = Self.at("2026-03-02T10:29:00Z") }
            let running = Task { await monitor.run(now: { clock.now() }) }
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await store.raisedAlarms(of: try #require(UUID(uuidString: caseID))).isEmpty)
            clock.clock.withLock { $0 = Self.at("2026-03-02T10:30:00Z") }
            var raised: [RaisedAlarm] = []
            for _ in 0..<50 where raised.isEmpty {
                try await Task.sleep(for: .milliseconds(100))
                raised = try await store.raisedAlarms(of: try #require(UUID(uuidString: caseID)))
            }
            #expect(raised.map(\.kind) == ["warning-75"])
            running.cancel()
            await running.value
        }
    }

    @Test(arguments: TestDatabase.all) func aMetClockRaisesNothingAndAReDerivedClockNeverWarnsTwice(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z", on: database) { desk in
            let (caseID, token) = try await Self.logPLMCase(desk)
            let store = DeskStore(database: desk.app.db)
            #expect(try await store.sweep(at: Self.at("2026-03-02T10:31:00Z"), notifying: .webhooksOnly).alarms().map(\.kind) == ["warning-75"])
            // A customer message re-derives the clocks (still counting): the 75% warning stays raised.
            desk.clock.clock.withLock { $0 = Self.at("2026-03-02T10:32:00Z") }
            let message = try await desk.call(.POST, "/api/v1/cases/\(caseID)/events", token: token,
                                              body: #"{"kind":"customer-message","body":"Any news?"}"#, headers: [("If-Match", "\"1\"")])
            #expect(message.status == .created, "\(message.json)")
            #expect(try await store.pendingAlarms(of: try #require(UUID(uuidString: caseID))).map(\.alarm.kind) == ["warning-90", "breach"])
            // The first public reply meets the clock: nothing more is raised for it.
            desk.clock.clock.withLock { $0 = Self.at("2026-03-02T10:40:00Z") }
            let reply = try await desk.call(.POST, "/api/v1/cases/\(caseID)/events", token: desk.adminToken,
                                            body: #"{"kind":"public-reply","body":"Looking into it"}"#, headers: [("If-Match", "\"2\"")])
            #expect(reply.status == .created, "\(reply.json)")
            #expect(try await store.sweep(at: Self.at("2026-03-09T00:00:00Z"), notifying: .webhooksOnly).alarms().filter { $0.metric == "initial-response" }.isEmpty)
        }
    }
}

/// Two monitors on one PostgreSQL: two real `accord sla sweep` processes started together raise
/// every alarm exactly once between them.
@Suite struct SLAMonitorAcrossProcessesTests {
    static var postgres: [TestDatabase] { TestDatabase.all.filter { if case .postgres = $0 { true } else { false } } }

    @Test(arguments: postgres) func twoProcessesRaiseEachAlarmOnce(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z", on: database) { desk in
            guard case .postgres(let url) = desk.database.choice else { return }
            let plm = try await desk.organization("plm-group", plan: "premium", region: "denmark", prefix: "PLM")
            let anna = try await desk.person(in: plm, email: "anna@plm.test", role: "user")
            let store = DeskStore(database: desk.app.db)
            var expected: Set<String> = []
            for minute in 0..<40 {
                desk.clock.clock.withLock { $0 = SLAMonitorTests.at("2026-03-02T09:00:00Z").addingTimeInterval(TimeInterval(minute * 60)) }
                let logged = try await desk.call(.POST, "/api/v1/cases", token: anna.token, body: DeskHarness.plmCase())
                let text = try #require(logged.string["id"])
                let id = try #require(UUID(uuidString: text))
                for pending in try await store.pendingAlarms(of: id) { expected.insert("\(id.uuidString)|\(pending.metric)|\(pending.alarm.kind)") }
            }
            #expect(expected.count == 120)

            let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("accord")
            // Both at once, as two servers' sweeps would run.
            let outcomes = try await withThrowingTaskGroup(of: ChildProcess.Outcome.self) { group in
                for _ in 0..<2 {
                    group.addTask { try await ChildProcess.run(binary.path, ["sla", "sweep", "--at", "2026-03-04T00:00:00Z"], environment: ["DATABASE_URL": url]) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            var lines: [String] = []
            for outcome in outcomes {
                #expect(outcome.status == 0, "\(outcome.errors)")
                lines += outcome.text.split(separator: "\n").map(String.init)
            }
            let raised = try lines.map { line in
                let alarm = try RaisedAlarm(json: line)
                return "\(alarm.caseID.uuidString)|\(alarm.metric)|\(alarm.kind)"
            }
            #expect(raised.count == 120, "each alarm printed by exactly one of the two processes")
            #expect(Set(raised) == expected)
            #expect(try await store.sweep(at: SLAMonitorTests.at("2026-03-05T00:00:00Z"), notifying: .webhooksOnly).isEmpty)
        }
    }
}
