@testable import AccordServer
import AccordStore
import Foundation
import SQLKit
import Testing

/// Staff's reports count packed days (`ReportFacts`): a change to a case is counted at once, the
/// packed count agrees with the case-by-case count a customer's report makes, a desk packs its
/// changed days in the background, and two servers packing the same days at once agree.
@Suite(.serialized) struct ReportFactsTests {
    static func rows(_ reply: DeskHarness.Reply, _ key: String) -> String {
        let rows = (reply[key] as? [[String: Any]] ?? []).filter { $0["agreement"] as? String == "contract" }
        return String(decoding: try! JSONSerialization.data(withJSONObject: rows, options: [.sortedKeys]), as: UTF8.self)
    }

    @Test(arguments: TestDatabase.all) func aChangeIsCountedAtOnce(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-01T00:00:00Z", on: database) { desk in
            let spring = try await AttainmentReportTests.spring(desk)
            let query = AttainmentReportTests.Spring.query + "&by=priority"
            let before = try await desk.call(.GET, query, token: desk.adminToken)
            let critical = { (reply: DeskHarness.Reply) in
                AttainmentReportTests.rows(reply).first { ($0["cuts"] as? [String: String])?["priority"] == "critical" }.map(AttainmentReportTests.counts)
            }
            #expect(critical(before)?["running"] == 1 && critical(before)?["met"] == 1, "\(before.json)")
            let store = DeskStore(database: desk.app.db)
            #expect(try await store.changedReportDays(0...100_000, version: ReportFacts.version).isEmpty, "the report packed the days it read")
            // F is answered at 13:45: its day is noted changed, and the next report counts it met.
            desk.set("2026-04-07T11:45:00Z")
            try await AttainmentReportTests.event(desk, spring.cases["F"]!, #"{"kind":"public-reply","body":"On it"}"#, token: desk.adminToken)
            #expect(try await store.changedReportDays(0...100_000, version: ReportFacts.version) == [ReportFacts.day(of: Int64(DeskHarness.date("2026-04-07T11:00:00Z").timeIntervalSince1970))])
            // Today is left to the reports that ask for it: the background pass packs it not.
            let facts = ReportFacts(service: CaseService(store: store, catalog: PolicyCatalog(), now: { desk.clock.now() }))
            #expect(try await facts.packChangedDays(limit: 10) == 0)
            let after = try await desk.call(.GET, query, token: desk.adminToken)
            #expect(critical(after)?["running"] == 0 && critical(after)?["met"] == 2, "\(after.json)")
            // A clock measured alone (as after an upgrade) notes its day too.
            let day = ReportFacts.day(of: Int64(DeskHarness.date("2026-03-02T09:00:00Z").timeIntervalSince1970))
            let sql = try #require(desk.app.db as? any SQLDatabase)
            try await sql.raw("UPDATE clocks SET used = used WHERE case_id = \(bind: UUID(uuidString: spring.cases["B"]!)!)").run()
            #expect(try await store.changedReportDays(0...100_000, version: ReportFacts.version) == [day])
        }
    }

    /// PLM Group's customers see only the cases they logged or are copied on, so their reports are
    /// counted case by case: when one contact logged all of an organization's cases, their report
    /// and staff's for the organization (packed) hold the same contract rows, breaches and totals.
    /// Plex lets authorized contacts oversee the whole organization: theirs is packed, the same again.
    @Test(arguments: TestDatabase.all) func thePackedCountIsTheCaseByCaseCount(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T07:00:00Z", on: database) { desk in
            let org = try await desk.organization("plm-group", plan: "premium", region: "denmark", prefix: "DK")
            let bo = try await desk.person(in: org, email: "bo@dk.test", role: "authorized-contact")
            // Monday 2 March (CET): A critical at 09:00, answered 12:00 (breached); B high at 10:00,
            // answered 11:00 (met); C medium at 13:00, never answered; D low, out of scope.
            desk.set("2026-03-02T08:00:00Z")
            let a = try await AttainmentReportTests.log(desk, "critical", token: bo.token)
            desk.set("2026-03-02T09:00:00Z")
            let b = try await AttainmentReportTests.log(desk, "high", token: bo.token)
            desk.set("2026-03-02T10:00:00Z")
            try await AttainmentReportTests.event(desk, b, #"{"kind":"public-reply","body":"On it"}"#, token: desk.adminToken)
            desk.set("2026-03-02T11:00:00Z")
            try await AttainmentReportTests.event(desk, a, #"{"kind":"public-reply","body":"Late, sorry"}"#, token: desk.adminToken)
            desk.set("2026-03-02T12:00:00Z")
            _ = try await AttainmentReportTests.log(desk, "medium", token: bo.token)
            let d = try await AttainmentReportTests.log(desk, "low", token: bo.token)
            try await AttainmentReportTests.event(desk, d, #"{"kind":"out-of-scope","body":"Training"}"#, token: desk.adminToken)
            desk.set("2026-03-05T12:00:00Z")
            for by in ["priority", "channel,priority", "plan,region,tier,team", ""] {
                let query = "/api/v1/reports/attainment?period=2026-03&zone=Europe%2FCopenhagen&by=\(by)"
                let theirs = try await desk.call(.GET, query, token: bo.token)
                let staffs = try await desk.call(.GET, query + "&customer=\(org)", token: desk.adminToken)
                #expect(theirs.status == .ok && staffs.status == .ok)
                #expect(Self.rows(theirs, "rows") == Self.rows(staffs, "rows"), "by \(by)")
                #expect(Self.rows(theirs, "totals") == Self.rows(staffs, "totals"), "by \(by)")
                #expect(Self.rows(theirs, "totals").contains("DK-2026-000001") && Self.rows(theirs, "totals").contains("DK-2026-000003"),
                        "A breached, C breached while running: \(theirs.json)")
            }

            let acme = try await desk.organization("plex", plan: "gold", region: "global", prefix: "ACME")
            _ = try await desk.person(in: acme, email: "ann@acme.test", role: "user")
            let boss = try await desk.person(in: acme, email: "boss@acme.test", role: "authorized-contact")
            desk.set("2026-10-05T12:00:00Z")
            _ = try await CaseImportTests.importing(ServiceReviewTests.history, into: desk)
            let query = "/api/v1/reports/attainment?period=2026&zone=America%2FDetroit&by=priority"
            let theirs = try await desk.call(.GET, query, token: boss.token)
            let staffs = try await desk.call(.GET, query + "&customer=\(acme)", token: desk.adminToken)
            #expect(Self.rows(theirs, "rows") == Self.rows(staffs, "rows") && Self.rows(theirs, "totals") == Self.rows(staffs, "totals"))
            #expect(!Self.rows(theirs, "totals").contains("DK-2026"), "only their organization's cases")
            let elsewhere = try await desk.call(.GET, query + "&customer=\(org)", token: boss.token)
            #expect(elsewhere.status == .ok && (elsewhere["totals"] as? [Any])?.isEmpty == true, "another customer's cases are none of theirs: \(elsewhere.json)")
        }
    }

    /// After an import the background pass packs every changed day, oldest first, until none is left.
    @Test func theDeskPacksChangedDaysByItself() async throws {
        try await DeskHarness.run(at: "2026-10-05T12:00:00Z") { desk in
            let acme = try await desk.organization("plex", plan: "gold", region: "global", prefix: "ACME")
            _ = try await desk.person(in: acme, email: "ann@acme.test", role: "user")
            _ = try await CaseImportTests.importing(ServiceReviewTests.history, into: desk)
            let store = DeskStore(database: desk.app.db)
            let changed = try await store.changedReportDays(0...100_000, version: ReportFacts.version)
            #expect(changed.count == 5, "the five cases' days: \(changed)")
            let facts = ReportFacts(service: CaseService(store: store, catalog: PolicyCatalog(), now: { desk.clock.now() }))
            #expect(try await facts.packChangedDays(limit: 3) == 3)
            #expect(try await store.changedReportDays(0...100_000, version: ReportFacts.version) == Array(changed.dropFirst(3)))
            #expect(try await facts.packChangedDays(limit: 3) == 2)
            #expect(try await store.changedReportDays(0...100_000, version: ReportFacts.version).isEmpty)
            #expect(try await store.reportFacts(0...100_000, version: ReportFacts.version).map(\.day) == changed)
        }
    }

    /// Two servers reporting on the same changed days at once pack each day one after the other
    /// and answer alike.
    @Test(arguments: TestDatabase.all) func twoServersPackingAtOnceAgree(_ database: TestDatabase) async throws {
        try await DeskHarness.runTwo(at: "2026-10-05T12:00:00Z", on: database) { first, second in
            let acme = try await first.organization("plex", plan: "gold", region: "global", prefix: "ACME")
            _ = try await first.person(in: acme, email: "ann@acme.test", role: "user")
            _ = try await CaseImportTests.importing(ServiceReviewTests.history, into: first)
            let query = "/api/v1/reports/attainment?period=2026&by=priority&format=csv"
            async let a = first.download(query, token: first.adminToken)
            async let b = second.download(query, token: first.adminToken)
            let (one, two) = try await (a, b)
            #expect(one.status == .ok && one.body == two.body, "\(String(decoding: one.body, as: UTF8.self))")
            #expect(try await DeskStore(database: first.app.db).changedReportDays(0...100_000, version: ReportFacts.version).isEmpty)
        }
    }
}
