import AccordServer
import Foundation
import Testing

/// Plixer's ledgers over imported history, on 1 April 2026: each vulnerability's patch clock by its
/// CVSS band (7/60/90/120 days) and each confirmed defect's rectification clock by severity, overdue
/// first, then what falls due within 7 and 30 days — with the late notices given, and who may see them.
@Suite(.serialized) struct LedgerTests {
    static let history = [
        #"{"externalId":"v-critical-overdue","organization":"PLX Inc","requester":"sec@plx.test","priority":"severity-1","channel":"web","title":"CVE in OpenSSH","description":"d","loggedAt":"2026-03-20T12:00:00Z","cvss":9.1,"events":[{"at":"2026-03-20T12:00:00Z","kind":"patch-available"}]}"#,
        #"{"externalId":"v-critical-soon","organization":"PLX Inc","requester":"sec@plx.test","priority":"severity-1","channel":"web","title":"CVE in OpenSSL","description":"d","loggedAt":"2026-03-27T12:00:00Z","cvss":9.8,"events":[{"at":"2026-03-27T12:00:00Z","kind":"patch-available"}]}"#,
        #"{"externalId":"v-high","organization":"PLX Inc","requester":"sec@plx.test","priority":"severity-2","channel":"web","title":"CVE in libxml2","description":"d","loggedAt":"2026-03-20T12:00:00Z","cvss":7.5,"events":[{"at":"2026-03-20T12:00:00Z","kind":"patch-available"}]}"#,
        #"{"externalId":"v-medium-waiting","organization":"PLX Inc","requester":"sec@plx.test","priority":"severity-3","channel":"web","title":"CVE in zlib","description":"d","loggedAt":"2026-03-30T12:00:00Z","cvss":5.0}"#,
        #"{"externalId":"d-late","organization":"PLX Inc","requester":"sec@plx.test","priority":"severity-1","channel":"web","title":"Flows dropped","description":"d","loggedAt":"2026-03-19T12:00:00Z","events":[{"at":"2026-03-20T12:00:00Z","kind":"defect-confirmed"},{"at":"2026-03-24T12:00:00Z","kind":"rectification-late","value":"2026-04-10T12:00:00Z","body":"Needs a kernel fix from the vendor"}]}"#,
        #"{"externalId":"d-soon","organization":"PLX Inc","requester":"sec@plx.test","priority":"severity-2","channel":"web","title":"Report totals off","description":"d","loggedAt":"2026-03-24T12:00:00Z","events":[{"at":"2026-03-25T12:00:00Z","kind":"defect-confirmed"}]}"#,
        #"{"externalId":"d-fixed","organization":"PLX Inc","requester":"sec@plx.test","priority":"severity-1","channel":"web","title":"Crash on start","description":"d","loggedAt":"2026-03-02T12:00:00Z","events":[{"at":"2026-03-02T13:00:00Z","kind":"defect-confirmed"},{"at":"2026-03-04T13:00:00Z","kind":"status-change","value":"resolved","resolution":"fix"}]}"#,
    ].joined(separator: "\n")

    static func entries(_ reply: DeskHarness.Reply) -> [[String: Any]] { reply["entries"] as? [[String: Any]] ?? [] }

    @Test(arguments: TestDatabase.all) func overdueFirstThenWhatFallsDueSoon(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-04-01T00:00:00Z", on: database) { desk in
            let plixer = try await desk.organization("plixer", plan: "standard", prefix: "PLX")
            _ = try await desk.person(in: plixer, email: "sec@plx.test", role: "user")
            let contact = try await desk.person(in: plixer, email: "boss@plx.test", role: "authorized-contact")
            let imported = try await CaseImportTests.importing(Self.history, into: desk)
            #expect(imported.count == 7 && imported.values.allSatisfy { if case .created = $0 { true } else { false } }, "\(imported)")

            let vulnerabilities = try await desk.call(.GET, "/api/v1/ledgers/vulnerabilities", token: desk.adminToken)
            #expect(vulnerabilities.status == .ok, "\(vulnerabilities.json)")
            let open = Self.entries(vulnerabilities)
            #expect(open.map { $0["title"] as? String ?? "" } == ["CVE in OpenSSH", "CVE in OpenSSL", "CVE in libxml2", "CVE in zlib"])
            #expect(open.map { $0["horizon"] as? String ?? "" } == ["overdue", "week", "later", "waiting"])
            #expect(open.map { $0["band"] as? String ?? "" } == ["critical", "critical", "high", "medium"])
            #expect(open.map { $0["target"] as? String ?? "" } == ["7 days", "7 days", "60 days", "90 days"])
            #expect(open.map { $0["due"] as? String ?? "-" } == ["2026-03-27T12:00:00Z", "2026-04-03T12:00:00Z", "2026-05-19T12:00:00Z", "-"])
            #expect(vulnerabilities["counts"] as? [String: Int] == ["overdue": 1, "week": 1, "month": 0, "later": 1, "waiting": 1, "done": 0])

            let defects = try await desk.call(.GET, "/api/v1/ledgers/defects?state=all", token: desk.adminToken)
            let all = Self.entries(defects)
            #expect(all.map { $0["title"] as? String ?? "" } == ["Flows dropped", "Report totals off", "Crash on start"])
            #expect(all.map { $0["horizon"] as? String ?? "" } == ["overdue", "week", "done"])
            #expect(all.map { $0["target"] as? String ?? "" } == ["5 days", "10 days", "5 days"])
            #expect(all.map { $0["due"] as? String ?? "" } == ["2026-03-25T12:00:00Z", "2026-04-04T12:00:00Z", "2026-03-07T13:00:00Z"])
            #expect(all[0]["lateNotice"] as? String == "given")
            let notice = try #require((all[0]["notices"] as? [[String: Any]])?.first)
            #expect(notice["estimate"] as? String == "2026-04-10T12:00:00Z" && notice["reason"] as? String == "Needs a kernel fix from the vendor")
            #expect(all[2]["state"] as? String == "met")
            let openDefects = Self.entries(try await desk.call(.GET, "/api/v1/ledgers/defects", token: desk.adminToken))
            #expect(openDefects.count == 2, "the fixed defect is on record, not open")

            let csv = try await desk.download("/api/v1/ledgers/defects?format=csv", token: desk.adminToken)
            let text = String(decoding: csv.body, as: UTF8.self)
            #expect(text.hasPrefix("number,title,organization,status,priority,cvss,band,metric,target,notified_at,"))
            #expect(text.contains("2026-03-24T12:00:00Z → 2026-04-10T12:00:00Z: Needs a kernel fix from the vendor"), "\(text)")

            // Plixer's organization visibility: the customer's authorized contact sees the same ledger.
            let theirs = try await desk.call(.GET, "/api/v1/ledgers/vulnerabilities", token: contact.token)
            #expect(Self.entries(theirs).count == 4)
            let user = try await desk.person(in: plixer, email: "dev@plx.test", role: "user")
            #expect(try await desk.call(.GET, "/api/v1/ledgers/vulnerabilities", token: user.token).status == .forbidden)
            #expect(try await desk.call(.GET, "/api/v1/ledgers/patches", token: desk.adminToken).status == .notFound)
            let bad = try await desk.call(.GET, "/api/v1/ledgers/defects?state=late", token: desk.adminToken)
            #expect(bad.status == .badRequest && bad.string["field"] == "state")
            #expect(try await desk.call(.GET, "/api/v1/ledgers/defects?organization=x", token: desk.adminToken).string["field"] == "organization")
        }
    }
}
