import Foundation
import Testing
import VaporTesting

/// A customer reads what their plan promises: the contract's numbers per priority, the hours they
/// count in, and what the plan grants — without seeing the provider's policy.
@Suite struct PlanViewTests {
    static func promises(_ reply: DeskHarness.Reply) -> [String: [String]] {
        var byPriority: [String: [String]] = [:]
        for level in reply["priorities"] as? [[String: Any]] ?? [] {
            byPriority[level["priority"] as? String ?? "-"] = (level["promises"] as? [[String: Any]] ?? []).map {
                "\($0["metric"] as? String ?? ""): \($0["target"] as? String ?? "") (\($0["measure"] as? String ?? ""), \($0["calendar"] as? String ?? ""))"
            }
        }
        return byPriority
    }

    @Test(arguments: TestDatabase.all) func aCustomerReadsTheirPlansPromisesInTheContractsWords(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z", on: database) { desk in
            // Plex Gold: P1 answered within 1 calendar hour and updated every 4 hours around the clock;
            // P2–P4 within 12, 24 and 48 business hours; TAM, advocate, quarterly reviews, 4 contacts.
            let plex = try await desk.organization("plex", plan: "gold", prefix: "GLD")
            let contact = try await desk.person(in: plex, email: "c@gld.test", role: "authorized-contact")
            let gold = try await desk.call(.GET, "/api/v1/organizations/\(plex)/plan", token: contact.token)
            #expect(gold.status == .ok, "\(gold.json)")
            #expect(gold.string["planName"] == "Gold Customer Care Plan" && gold.string["status"] == "active")
            #expect(Self.promises(gold) == [
                "p1": ["initial-response: 1 calendar hour (calendar time, business-days)", "p1-updates: 4 calendar hours (calendar time, always)"],
                "p2": ["initial-response: 12 business hours (business time, business-days)"],
                "p3": ["initial-response: 24 business hours (business time, business-days)"],
                "p4": ["initial-response: 48 business hours (business time, business-days)"],
            ])
            let p1 = (gold["priorities"] as? [[String: Any]])?.first
            #expect((p1?["definition"] as? String)?.hasPrefix("Critical production issue affecting all Users") == true)
            let grants = gold["entitlements"] as? [String: Any] ?? [:]
            #expect(grants["technicalAccountManager"] as? String == "reactive" && grants["escalationAdvocate"] as? Bool == true)
            #expect(grants["authorizedContacts"] as? Int == 4 && grants["businessReviews"] as? [String] == ["quarterly"])
            #expect((gold["renewal"] as? [String: Any])?["noticeDays"] as? Int == 90)

            // Plixer Tier 2: the same response and rectification times, counted 24/7/365.
            let plixer = try await desk.organization("plixer", plan: "tier-2", prefix: "TWO")
            let user = try await desk.person(in: plixer, email: "u@two.test", role: "user")
            let tierTwo = try await desk.call(.GET, "/api/v1/organizations/\(plixer)/plan", token: user.token)
            #expect(tierTwo.status == .ok, "\(tierTwo.json)")
            #expect(Self.promises(tierTwo)["severity-1"] == ["initial-response: 1 business day (business days, always)", "resolution: 5 days (calendar days, always)"])
            #expect(tierTwo.string["hours"] == "always", "Tier 2 counts around the clock: \(tierTwo.json)")

            // Pro Plus: no priorities, one level.
            let pro = try await desk.organization("pro-plus", plan: "pro-plus", prefix: "PRP")
            let paul = try await desk.person(in: pro, email: "p@prp.test", role: "user")
            let proPlus = try await desk.call(.GET, "/api/v1/organizations/\(pro)/plan", token: paul.token)
            #expect(Self.promises(proPlus).keys.sorted() == ["-"], "\(proPlus.json)")
            #expect(Self.promises(proPlus)["-"]?.first?.hasPrefix("initial-response: 24 business hours") == true, "\(proPlus.json)")

            // Only the organization's people (and staff) read it.
            #expect(try await desk.call(.GET, "/api/v1/organizations/\(plex)/plan", token: user.token).status == .notFound)
            #expect(try await desk.call(.GET, "/api/v1/organizations/\(plex)/plan", token: desk.adminToken).status == .ok)
        }
    }

    @Test(arguments: TestDatabase.all) func aLapsedPlexCustomerIsToldThereIsNoSupport(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2025-10-01T09:00:00Z", on: database) { desk in
            let org = try await desk.organization("plex", plan: "gold", prefix: "LPS", termStart: "2025-02-02", termEnd: "2026-02-01")
            let user = try await desk.person(in: org, email: "u@lps.test", role: "authorized-contact")
            #expect(try await desk.call(.POST, "/api/v1/organizations/\(org)/non-renewal", token: desk.adminToken).status == .created)
            desk.set("2026-03-02T09:00:00Z")
            let lapsed = try await desk.call(.GET, "/api/v1/organizations/\(org)/plan", token: user.token)
            #expect(lapsed.status == .conflict && lapsed.string["detail"]?.contains("gives no support after a lapse") == true, "\(lapsed.json)")
        }
    }
}
