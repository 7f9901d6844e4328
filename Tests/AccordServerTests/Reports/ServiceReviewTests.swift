@testable import AccordServer
import AccordStore
import Foundation
import Testing

/// Plex's Support Services Business Review of a Gold customer's third quarter of 2026, prepared on
/// 5 October from imported history: every list and count worked by hand.
@Suite(.serialized) struct ServiceReviewTests {
    static let history = [
        // Before the quarter, resolved in it: counted as resolved (workaround), not as logged.
        #"{"externalId":"d","organization":"ACME Inc","requester":"ann@acme.test","priority":"p4","channel":"web","title":"Label typo","description":"d","loggedAt":"2026-06-10T14:00:00Z","events":[{"at":"2026-06-10T16:00:00Z","kind":"public-reply","body":"Noted"},{"at":"2026-07-02T14:00:00Z","kind":"status-change","value":"resolved","resolution":"workaround"}]}"#,
        #"{"externalId":"a","organization":"ACME Inc","requester":"ann@acme.test","priority":"p2","channel":"web","title":"Slow reports","description":"d","loggedAt":"2026-07-06T14:00:00Z","events":[{"at":"2026-07-06T15:00:00Z","kind":"public-reply","body":"Looking"},{"at":"2026-07-08T14:00:00Z","kind":"status-change","value":"resolved","resolution":"fix"}]}"#,
        #"{"externalId":"b","organization":"ACME Inc","requester":"ann@acme.test","priority":"p3","channel":"web","title":"Export fails","description":"d","loggedAt":"2026-08-03T14:00:00Z","events":[{"at":"2026-08-03T15:00:00Z","kind":"status-change","value":"open"},{"at":"2026-08-04T14:00:00Z","kind":"escalated","value":"tier-2","body":"needs a product specialist"}]}"#,
        #"{"externalId":"c","organization":"ACME Inc","requester":"ann@acme.test","priority":"p1","channel":"phone","title":"Line down","description":"d","loggedAt":"2026-09-29T14:00:00Z"}"#,
        // After the quarter: not in its review.
        #"{"externalId":"e","organization":"ACME Inc","requester":"ann@acme.test","priority":"p3","channel":"web","title":"Later","description":"d","loggedAt":"2026-10-02T14:00:00Z"}"#,
    ].joined(separator: "\n")

    @Test(arguments: TestDatabase.all) func aGoldCustomersThirdQuarter(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-10-05T12:00:00Z", on: database) { desk in
            let acme = try await desk.organization("plex", plan: "gold", region: "global", prefix: "ACME")
            _ = try await desk.person(in: acme, email: "ann@acme.test", role: "user")
            let boss = try await desk.person(in: acme, email: "boss@acme.test", role: "authorized-contact")
            let imported = try await CaseImportTests.importing(Self.history, into: desk)
            #expect(imported.count == 5 && imported.values.allSatisfy { if case .created = $0 { true } else { false } }, "\(imported)")

            let review = try await desk.call(.GET, "/api/v1/organizations/\(acme)/reviews/2026-Q3", token: desk.adminToken)
            #expect(review.status == .ok, "\(review.json)")
            #expect(review.string["from"] == "2026-07-01T00:00:00-04:00" && review.string["to"] == "2026-10-01T00:00:00-04:00")
            #expect(review["cadences"] as? [String] == ["quarterly"])
            let open = review["openCases"] as? [[String: Any]] ?? []
            #expect(open.map { $0["title"] as? String ?? "" } == ["Line down", "Export fails"], "most urgent first")
            #expect(open.map { $0["status"] as? String ?? "" } == ["new", "open"])
            #expect(open.map { $0["ageDays"] as? Int ?? -1 } == [1, 58])
            let resolved = review["resolvedCases"] as? [[String: Any]] ?? []
            #expect(resolved.map { $0["title"] as? String ?? "" } == ["Label typo", "Slow reports"])
            #expect(resolved.map { $0["resolution"] as? String ?? "" } == ["workaround", "fix"])
            let perPriority = (review["casesPerPriority"] as? [[String: Any]] ?? []).map {
                [$0["priority"] as? String ?? "", "\($0["logged"] ?? "")", "\($0["resolved"] ?? "")", "\($0["openAtEnd"] ?? "")"]
            }
            #expect(perPriority == [["p1", "1", "0", "1"], ["p2", "1", "1", "0"], ["p3", "1", "0", "1"], ["p4", "0", "1", "0"]])
            #expect((review["backlog"] as? [[String: Any]] ?? []).map { $0["cases"] as? Int ?? -1 } == [0, 1, 0, 1])
            let escalations = review["escalations"] as? [[String: Any]] ?? []
            #expect(escalations.count == 1 && escalations.first?["team"] as? String == "tier-2" && escalations.first?["reason"] as? String == "needs a product specialist")
            let months = (review["attainmentPerMonth"] as? [[String: Any]] ?? []).filter { $0["metric"] as? String == "initial-response" }
            #expect(months.map { $0["month"] as? String ?? "" } == ["2026-07", "2026-08", "2026-09"])
            #expect(months.map { $0["withTarget"] as? Int ?? -1 } == [1, 1, 1])
            let rows = ((review["attainment"] as? [String: Any])?["rows"] as? [[String: Any]] ?? []).filter { $0["metric"] as? String == "initial-response" }
            #expect(rows.map { ($0["cuts"] as? [String: String])?["priority"] ?? "" } == ["p1", "p2", "p3"])
            #expect((review["contacts"] as? [[String: Any]] ?? []).map { $0["email"] as? String ?? "" } == ["boss@acme.test"])
            let renewal = review["renewal"] as? [String: Any] ?? [:]
            #expect(renewal["termEnd"] as? String == "2026-12-31" && renewal["noticeBy"] as? String == "2026-10-02" && renewal["automaticRenewal"] as? Bool == true)

            #expect(review["ended"] as? Bool == true)
            // The fourth quarter, still running on 5 October: counted up to now.
            let running = try await desk.call(.GET, "/api/v1/organizations/\(acme)/reviews/2026-Q4", token: desk.adminToken)
            #expect(running["ended"] as? Bool == false)
            let openNow = running["openCases"] as? [[String: Any]] ?? []
            #expect(openNow.map { $0["title"] as? String ?? "" } == ["Line down", "Export fails", "Later"])
            #expect(openNow.map { $0["ageDays"] as? Int ?? -1 } == [5, 62, 2], "ages up to 5 October, 12:00 UTC")
            // Gold grants quarterly reviews only; Silver none; the future and nonsense are no periods to review.
            let monthly = try await desk.call(.GET, "/api/v1/organizations/\(acme)/reviews/2026-09", token: desk.adminToken)
            #expect(monthly.status == .conflict && monthly.string["detail"]?.contains("grants quarterly reviews, not a monthly one") == true, "\(monthly.json)")
            let silver = try await desk.organization("plex", plan: "silver", region: "global", prefix: "SLV")
            #expect(try await desk.call(.GET, "/api/v1/organizations/\(silver)/reviews/2026-Q3", token: desk.adminToken).string["detail"]?.contains("grants no service reviews") == true)
            #expect(try await desk.call(.GET, "/api/v1/organizations/\(acme)/reviews/2027-Q1", token: desk.adminToken).status == .badRequest)
            #expect(try await desk.call(.GET, "/api/v1/organizations/\(acme)/reviews/2026-Q5", token: desk.adminToken).string["field"] == "period")
            #expect(try await desk.call(.GET, "/api/v1/organizations/\(UUID())/reviews/2026-Q3", token: desk.adminToken).status == .notFound)
            #expect(try await desk.call(.GET, "/api/v1/organizations/\(acme)/reviews/2026-Q3", token: boss.token).status == .forbidden)
        }
    }

    /// Kept versions: the TAM prepares a draft, notes it, publishes it — fixed from then on, seen
    /// by the customer's authorized contact; a correction is the next version, the first unchanged.
    @Test(arguments: TestDatabase.all) func aPublishedReviewIsFixedAndCorrectedByANewVersion(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-10-05T12:00:00Z", on: database) { desk in
            let acme = try await desk.organization("plex", plan: "gold", region: "global", prefix: "ACME")
            _ = try await desk.person(in: acme, email: "ann@acme.test", role: "user")
            let boss = try await desk.person(in: acme, email: "boss@acme.test", role: "authorized-contact")
            _ = try await CaseImportTests.importing(Self.history, into: desk)
            let tam = try await WorkDeskTests.staff(desk, "tom@provider.test", role: "tam", tier: nil)
            let draft = try await desk.call(.POST, "/api/v1/organizations/\(acme)/reviews/2026-Q3", token: tam.token)
            #expect(draft.status == .created, "\(draft.json)")
            #expect(draft["version"] as? Int == 1 && draft["published"] as? Bool == false)
            #expect(((draft["content"] as? [String: Any])?["openCases"] as? [Any])?.count == 2)
            let id = try #require(draft.string["id"])
            // The customer sees no draft.
            #expect(try await desk.call(.GET, "/api/v1/reviews/\(id)", token: boss.token).status == .notFound)
            #expect((try await desk.call(.GET, "/api/v1/organizations/\(acme)/reviews", token: boss.token)["reviews"] as? [Any])?.isEmpty == true)
            let noted = try await desk.call(.PUT, "/api/v1/reviews/\(id)/notes", token: tam.token, body: #"{"notes":"The P3 export waits on Tier 2's fix in 2026.4."}"#)
            #expect(noted.string["notes"] == "The P3 export waits on Tier 2's fix in 2026.4.")
            // Preparing again refreshes the draft and keeps its notes.
            let again = try await desk.call(.POST, "/api/v1/organizations/\(acme)/reviews/2026-Q3", token: tam.token)
            #expect(again.string["id"] == id && again.string["notes"] == "The P3 export waits on Tier 2's fix in 2026.4.")
            // Publication mails the customer's authorized contacts still in office — not its users, not one deactivated.
            let gone = try await desk.person(in: acme, email: "gone@acme.test", role: "authorized-contact")
            #expect(try await desk.call(.POST, "/api/v1/people/\(gone.id)/deactivation", token: desk.adminToken, body: #"{"reason":"left"}"#).status == .ok)
            let spool = try LateNoticeTests.Spool()
            defer { try? FileManager.default.removeItem(at: spool.directory) }
            var mailing = SLAMonitorTests.monitor(desk, mail: .sendmail(path: spool.script.path), publicURL: "https://desk.provider.test")
            mailing = try await mailing.readingPolicies(at: desk.clock.now())
            _ = try await mailing.pass(at: desk.clock.now())
            #expect(spool.messages.isEmpty, "nothing before publication")
            let published = try await desk.call(.POST, "/api/v1/reviews/\(id)/publish", token: tam.token)
            #expect(published.status == .ok && published["published"] as? Bool == true, "\(published.json)")
            #expect(try await desk.call(.POST, "/api/v1/reviews/\(id)/publish", token: tam.token).status == .conflict)
            _ = try await mailing.pass(at: desk.clock.now())
            _ = try await mailing.pass(at: desk.clock.now())
            #expect(spool.messages.count == 1, "one mail, once: \(spool.messages)")
            let mail = try #require(spool.messages(to: "boss@acme.test").first)
            #expect(mail.contains("Subject: Your 2026-Q3 service review is published"), "\(mail)")
            #expect(mail.contains("The 2026-Q3 service review of ACME Inc (version 1) is published"))
            #expect(mail.contains("https://desk.provider.test/portal/reviews/\(id)"), "the link to the portal page: \(mail)")
            #expect(try await desk.call(.PUT, "/api/v1/reviews/\(id)/notes", token: tam.token, body: #"{"notes":"changed"}"#).status == .conflict)
            let seen = try await desk.call(.GET, "/api/v1/reviews/\(id)", token: boss.token)
            #expect(seen.status == .ok && seen.string["notes"] == "The P3 export waits on Tier 2's fix in 2026.4.")
            // A correction after publication is version 2; version 1 stays as it was published.
            desk.set("2026-10-06T12:00:00Z")
            let correction = try await desk.call(.POST, "/api/v1/organizations/\(acme)/reviews/2026-Q3", token: tam.token)
            #expect(correction["version"] as? Int == 2 && correction.string["id"] != id && correction.string["notes"] == "")
            let first = try await desk.call(.GET, "/api/v1/reviews/\(id)", token: desk.adminToken)
            #expect((first["content"] as? [String: Any])?["preparedAt"] as? String == "2026-10-05T12:00:00Z")
            let versions = try await desk.call(.GET, "/api/v1/organizations/\(acme)/reviews", token: desk.adminToken)["reviews"] as? [[String: Any]]
            #expect(versions?.map { $0["version"] as? Int ?? 0 } == [2, 1])
            #expect((try await desk.call(.GET, "/api/v1/organizations/\(acme)/reviews", token: boss.token)["reviews"] as? [Any])?.count == 1)
            // Agents and customers prepare nothing.
            let agent = try await WorkDeskTests.staff(desk, "amy@provider.test", role: "agent", tier: 1)
            #expect(try await desk.call(.POST, "/api/v1/organizations/\(acme)/reviews/2026-Q3", token: agent.token).status == .forbidden)
            #expect(try await desk.call(.POST, "/api/v1/organizations/\(acme)/reviews/2026-Q3", token: boss.token).status == .forbidden)
            #expect(try await desk.call(.GET, "/api/v1/reviews/\(UUID())", token: desk.adminToken).status == .notFound)
        }
    }

    /// Each review is prepared by itself once its period ends — Gold's quarter, Platinum's months
    /// and quarter, nothing for Silver — once, even with two servers passing at the same moment.
    @Test(arguments: TestDatabase.all) func reviewsArePreparedWhenTheirPeriodEnds(_ database: TestDatabase) async throws {
        try await DeskHarness.runTwo(at: "2026-10-05T12:00:00Z", on: database) { first, second in
            let gold = try await first.organization("plex", plan: "gold", region: "global", prefix: "GLD")
            let platinum = try await first.organization("plex", plan: "platinum", region: "global", prefix: "PLT")
            _ = try await first.organization("plex", plan: "silver", region: "global", prefix: "SLV")
            let instant = DeskHarness.date("2026-10-05T12:00:00Z")
            async let a = AccordApp.prepareReviews(first.app, now: instant)
            async let b = AccordApp.prepareReviews(second.app, now: instant)
            let prepared = try await (a + b).sorted()
            let expected = ["\(gold.uppercased()) 2026-Q3", "\(platinum.uppercased()) 2026-08", "\(platinum.uppercased()) 2026-09", "\(platinum.uppercased()) 2026-Q3"].sorted()
            #expect(prepared.map { $0.uppercased() } == expected, "each once: \(prepared)")
            #expect(try await AccordApp.prepareReviews(first.app, now: instant).isEmpty, "a second pass prepares nothing")
            let versions = try await first.call(.GET, "/api/v1/organizations/\(platinum)/reviews", token: first.adminToken)["reviews"] as? [[String: Any]]
            #expect(versions?.map { "\($0["period"] ?? "") v\($0["version"] ?? "")" } == ["2026-Q3 v1", "2026-09 v1", "2026-08 v1"])
            #expect(versions?.allSatisfy { $0["published"] as? Bool == false } == true, "drafts for the TAM")
        }
    }
}
