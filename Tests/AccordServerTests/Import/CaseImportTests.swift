@testable import AccordServer
import AccordStore
import Foundation
import SQLKit
import Testing

/// Importing history: cases made from JSON Lines with their timelines at their own times and their
/// clocks derived by the engine, idempotent per external id, bad lines named and the rest imported;
/// exporting and importing again gives the same report. Every number is worked out by hand.
@Suite(.serialized) struct CaseImportTests {
    /// Imports `text` (one case per line) into `desk` at its clock; the outcomes by line number.
    static func importing(_ text: String, into desk: DeskHarness, dryRun: Bool = false) async throws -> [Int: CaseImport.Outcome] {
        let importer = try await CaseImport.open(store: DeskStore(database: desk.app.db), now: { desk.clock.now() })
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .filter { !$0.element.allSatisfy(\.isWhitespace) }.map { (number: $0.offset + 1, text: $0.element) }
        var outcomes: [Int: CaseImport.Outcome] = [:]
        try await importer.run(lines, dryRun: dryRun) { outcomes[$0] = $1 }
        return outcomes
    }

    static func export(_ desk: DeskHarness) async throws -> String {
        var lines: [String] = []
        _ = try await CaseExport(store: DeskStore(database: desk.app.db)).run(organization: nil) { lines.append($0) }
        return lines.joined(separator: "\n")
    }

    /// The spring of `AttainmentReportTests` exported from one desk and imported into another with
    /// the same customer and people gives the same report, byte for byte; importing it again makes nothing.
    @Test(arguments: TestDatabase.all) func anExportImportedElsewhereGivesTheSameReport(_ database: TestDatabase) async throws {
        var exported = "", report = ""
        try await DeskHarness.run(at: "2026-03-01T00:00:00Z", on: database) { desk in
            _ = try await AttainmentReportTests.spring(desk)
            exported = try await Self.export(desk)
            report = String(decoding: try await desk.download(AttainmentReportTests.Spring.query + "&by=priority&format=csv", token: desk.adminToken).body,
                            as: UTF8.self)
        }
        #expect(exported.split(separator: "\n").count == 7)
        try await DeskHarness.run(at: "2026-04-07T11:30:00Z", on: database) { desk in
            let org = try await desk.organization("plm-group", plan: "premium", region: "denmark", prefix: "DK")
            _ = try await desk.person(in: org, email: "anna@dk.test", role: "user")
            _ = try await desk.person(in: org, email: "bo@dk.test", role: "authorized-contact")
            let outcomes = try await Self.importing(exported, into: desk)
            #expect(outcomes.values.allSatisfy { if case .created = $0 { true } else { false } }, "\(outcomes)")
            #expect(outcomes[5] == .created(number: "DK-2026-000005"), "numbered in the order they were")
            let again = String(decoding: try await desk.download(AttainmentReportTests.Spring.query + "&by=priority&format=csv", token: desk.adminToken).body,
                               as: UTF8.self)
            #expect(again == report)
            let twice = try await Self.importing(exported, into: desk)
            #expect(twice[5] == .existing(number: "DK-2026-000005") && twice.count == 7)
            // The imported case's timeline reads as it happened, and its clock explains itself.
            let cases = try await desk.call(.GET, "/api/v1/cases?q=DK-2026-000005", token: desk.adminToken)["items"] as? [[String: Any]]
            let id = try #require(cases?.first?["id"] as? String)
            let explanation = try await desk.call(.GET, "/api/v1/cases/\(id)/clocks/initial-response/explanation", token: desk.adminToken)
            #expect(explanation.string["state"] == "breached", "\(explanation.json)")
            #expect((explanation["due"] as? [String: Any])?["local"] as? String == "2026-04-07T10:00:00+02:00", "due Tuesday after Easter, 10:00")
            // Nothing of the past is left for the monitor to raise.
            let alarms = try await desk.call(.GET, "/api/v1/cases/\(id)/alarms", token: desk.adminToken)
            #expect((alarms["pending"] as? [Any])?.isEmpty == true)
        }
    }

    /// Plixer: a CVSS 9.8 vulnerability whose patch came the day after notification and whose
    /// rectification ran late with a notice; Pro Plus: a case escalated to tier 2 before a weekend
    /// and a change to daylight saving time. Imported, reported by metric and by tier.
    @Test(arguments: TestDatabase.all) func vulnerabilitiesAndEscalationsFromHistory(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-04-01T00:00:00Z", on: database) { desk in
            let plixer = try await desk.organization("plixer", plan: "standard", prefix: "PLX")
            _ = try await desk.person(in: plixer, email: "sec@plx.test", role: "user")
            let prairie = try await desk.organization("pro-plus", plan: "pro-plus", prefix: "PRA")
            _ = try await desk.person(in: prairie, email: "paul@pra.test", role: "user")
            _ = try await WorkDeskTests.staff(desk, "sam@provider.test", role: "agent", tier: 2)
            let lines = [
                // Logged Mon 2 Mar 09:00 EST; answered 11:00 (2 business hours); the patch available Tue 09:00 EST, 7 days: due
                // Tue 10 Mar 09:00 EDT (8 March has 23 hours); defect confirmed Tue 09:00, 5 days: due Sun 8 Mar 09:00 EDT; late
                // notice Fri; resolved Wed 11 Mar 14:00Z — both breached, after 8 × 24 elapsed hours: 691,200 s.
                #"{"externalId":"plx-1","organization":"PLX Inc","requester":"sec@plx.test","priority":"severity-1","channel":"web","title":"OpenSSL CVE","description":"CVE in the collector's OpenSSL","loggedAt":"2026-03-02T09:00:00-05:00","cvss":9.8,"events":[{"at":"2026-03-02T16:00:00Z","kind":"public-reply","by":"sam@provider.test","body":"Confirmed, patch pending upstream"},{"at":"2026-03-03T14:00:00Z","kind":"patch-available","value":"2026-03-03T14:00:00Z"},{"at":"2026-03-03T14:00:00Z","kind":"defect-confirmed"},{"at":"2026-03-06T15:00:00Z","kind":"rectification-late","value":"2026-03-11T14:00:00Z","body":"The vendor's patch fails our tests"},{"at":"2026-03-11T14:00:00Z","kind":"status-change","value":"resolved","resolution":"fix","by":"sam@provider.test"}]}"#,
                // Pro Plus: Fri 6 Mar 10:00 CST, escalated 16:00, answered Mon 9 Mar 10:00 CDT: 9 + 3 = 12 business hours of 24.
                #"{"externalId":"pra-1","organization":"PRA Inc","requester":"paul@pra.test","channel":"phone","title":"Scanner offline","description":"The scanner gateway is offline","loggedAt":"2026-03-06T10:00:00-06:00","events":[{"at":"2026-03-06T22:00:00Z","kind":"escalated","value":"tier-2"},{"at":"2026-03-09T15:00:00Z","kind":"public-reply","by":"sam@provider.test","body":"Restarted the gateway"}]}"#,
            ].joined(separator: "\n")
            let outcomes = try await Self.importing(lines, into: desk)
            #expect(outcomes == [1: .created(number: "PLX-2026-000001"), 2: .created(number: "PRA-2026-000001")], "\(outcomes)")
            let plx = try await desk.call(.GET, "/api/v1/reports/attainment?period=2026-03&policy=plixer", token: desk.adminToken)
            let rows = AttainmentReportTests.rows(plx, "totals")
            let byMetric = Dictionary(uniqueKeysWithValues: rows.map { ($0["metric"] as? String ?? "", $0) })
            let times = { (metric: String) in (byMetric[metric]?["time"] as? [[String: Any]])?.first.map(AttainmentReportTests.counts) }
            #expect(AttainmentReportTests.counts(try #require(byMetric["initial-response"]))["met"] == 1)
            #expect(times("initial-response") == ["count": 1, "median": 7_200, "p90": 7_200, "max": 7_200])
            #expect(AttainmentReportTests.counts(try #require(byMetric["patch"]))["breached"] == 1)
            #expect(times("patch") == ["count": 1, "median": 691_200, "p90": 691_200, "max": 691_200])
            #expect(AttainmentReportTests.counts(try #require(byMetric["resolution"]))["breached"] == 1)
            #expect(times("resolution") == ["count": 1, "median": 691_200, "p90": 691_200, "max": 691_200])
            let pra = try await desk.call(.GET, "/api/v1/reports/attainment?period=2026-03&policy=pro-plus&by=team,tier", token: desk.adminToken)
            let row = try #require(AttainmentReportTests.rows(pra).first)
            #expect(row["cuts"] as? [String: String] == ["team": "tier-2", "tier": "2"])
            #expect(AttainmentReportTests.counts(row)["met"] == 1)
            #expect((row["time"] as? [[String: Any]])?.first.map(AttainmentReportTests.counts) == ["count": 1, "median": 43_200, "p90": 43_200, "max": 43_200])
            // The late notice is on the timeline as it was given.
            let exported = try await Self.export(desk)
            #expect(exported.contains(#""kind":"rectification-late","value":"2026-03-11T14:00:00Z""#), "\(exported)")
        }
    }

    /// Through a SQLite file's writer an import spares SQLite's check of each row's foreign keys:
    /// every row it wrote still refers to rows that exist, and the writer checks the next write again.
    @Test func anImportThroughTheWriterKeepsEveryReferenceAndTheChecksAfter() async throws {
        let database = try await TestDatabase.sqlite.provision()
        try await DeskHarness.run(at: "2026-04-01T00:00:00Z", on: .sqlite, database: database) { desk in
            let org = try await desk.organization("plm-group", plan: "premium", region: "denmark", prefix: "DK")
            _ = try await desk.person(in: org, email: "anna@dk.test", role: "user")
            _ = try await desk.person(in: org, email: "bo@dk.test", role: "authorized-contact")
            let writer = try #require(try await DatabaseSetup.dedicatedWriter(database.choice))
            do {
                let store = DeskStore(database: desk.app.db, writes: WriteGate(writer: writer))
                let importer = try await CaseImport.open(store: store, now: { desk.clock.now() })
                let lines = (1...3).map { index in
                    (number: index, text: Substring(#"{"externalId":"fk-\#(index)","organization":"DK Inc","requester":"anna@dk.test","priority":"high","channel":"email","title":"T","description":"D","loggedAt":"2026-03-02T10:00:00+01:00","events":[{"at":"2026-03-02T11:00:00+01:00","kind":"internal-note","body":"n","by":"bo@dk.test"},{"at":"2026-03-02T12:00:00+01:00","kind":"public-reply","body":"r","by":"bo@dk.test"}]}"#))
                }
                var outcomes: [Int: CaseImport.Outcome] = [:]
                try await importer.run(lines, dryRun: false) { outcomes[$0] = $1 }
                #expect(outcomes[3] == .created(number: "DK-2026-000003"), "\(outcomes)")
                let sql = try #require(writer.database as? any SQLDatabase)
                let dangling = try await sql.raw("PRAGMA foreign_key_check").all()
                #expect(dangling.isEmpty)
                #expect(try await sql.raw("PRAGMA foreign_keys").first()?.decode(column: "foreign_keys", as: Int.self) == 1)
                await #expect(throws: (any Error).self) {
                    try await store.importCases(NewCaseRows([], sqlite: true))
                    try await sql.raw("INSERT INTO case_imports (external_id, case_id, imported_at) VALUES ('nowhere', 'no-such-case', 0)").run()
                }
            } catch {
                await writer.shutdown()
                throw error
            }
            await writer.shutdown()
        }
    }

    @Test func badLinesAreNamedAndTheRestImported() async throws {
        try await DeskHarness.run(at: "2026-04-01T00:00:00Z") { desk in
            let org = try await desk.organization("plm-group", plan: "premium", region: "denmark", prefix: "DK")
            _ = try await desk.person(in: org, email: "anna@dk.test", role: "user")
            let good = #"{"externalId":"ok-1","organization":"DK Inc","requester":"anna@dk.test","priority":"high","channel":"email","title":"T","description":"D","loggedAt":"2026-03-02T10:00:00+01:00"}"#
            func with(_ replace: String, _ by: String) -> String { good.replacingOccurrences(of: replace, with: by) }
            let bad: [(String, String)] = [
                ("{not json", "not a JSON object"),
                (with(#""priority":"high","#, #""priority":"high","prioritee":"x","#), "unknown field 'prioritee'"),
                (with(#","loggedAt":"2026-03-02T10:00:00+01:00""#, ""), "loggedAt is required"),
                (with("2026-03-02T10:00:00+01:00", "2026-03-02 10:00"), "loggedAt: '2026-03-02 10:00' is no instant with an offset"),
                (with("2026-03-02T10:00:00+01:00", "2027-01-01T00:00:00Z"), "loggedAt: 2027-01-01T00:00:00Z is in the future"),
                (with("DK Inc", "Nobody Inc"), "organization: no organization has the id or name 'Nobody Inc'"),
                (with("anna@dk.test", "eve@elsewhere.test"), "requester: 'eve@elsewhere.test' is no person of DK Inc"),
                (with(#""priority":"high""#, #""priority":"urgent""#), "priority: unknown priority 'urgent'"),
                (with(#""channel":"email""#, #""channel":"fax""#), "channel: unknown channel 'fax'"),
                (with(#""title":"T""#, #""title":" ""#), "title must not be empty"),
                (with(#""externalId":"ok-1""#, #""externalId":"""#), "externalId must have 1 to 200 characters"),
                (with("}", #","events":[{"at":"2026-03-01T10:00:00+01:00","kind":"public-reply","body":"x"}]}"#), "events[0].at: 2026-03-01T10:00:00+01:00 comes before"),
                (with("}", #","events":[{"at":"2026-03-02T11:00:00+01:00","kind":"smoke-signal"}]}"#), "events[0].kind: unknown kind 'smoke-signal'"),
                (with("}", #","events":[{"at":"2026-03-02T11:00:00+01:00","kind":"status-change","value":"done"}]}"#), "events[0].value: a status-change names one of"),
                (with("}", #","events":[{"at":"2026-03-02T11:00:00+01:00","kind":"public-reply","body":"x","by":"ghost@x.test"}]}"#), "events[0].by: no person has the email 'ghost@x.test'"),
                (with("}", #","events":[{"at":"2026-03-02T11:00:00+01:00","kind":"public-reply","body":"x","colour":"red"}]}"#), "events[0]: unknown field 'colour'"),
                (with("}", #","cvss":12}"#), "cvss: a CVSS score runs from 0.0 to 10.0, not 12.0"),
                (with(#""title":"T""#, #""title":5"#), "title:"),
            ]
            let text = ([good] + bad.map(\.0) + [with("ok-1", "ok-2"), with("ok-1", "ok-2")]).joined(separator: "\n")
            let dry = try await Self.importing(text, into: desk, dryRun: true)
            #expect(dry[1] == .valid)
            let outcomes = try await Self.importing(text, into: desk)
            #expect(outcomes[1] == .created(number: "DK-2026-000001"))
            for (index, (_, expected)) in bad.enumerated() {
                guard case .refused(let problem)? = outcomes[index + 2] else { Issue.record("line \(index + 2) was not refused: \(String(describing: outcomes[index + 2]))"); continue }
                #expect(problem.contains(expected), "line \(index + 2): \(problem)")
            }
            let last = bad.count + 3
            #expect(outcomes[last - 1] == .created(number: "DK-2026-000002"))
            #expect(outcomes[last] == .refused("externalId 'ok-2' is on line \(last - 1) already"))
            let listed = try await desk.call(.GET, "/api/v1/cases", token: desk.adminToken)["items"] as? [[String: Any]]
            #expect(listed?.count == 2, "the dry run wrote nothing")
        }
    }
}
