@testable import AccordServer
import Foundation
import Testing

/// Plex's Enhanced Business Continuity over HTTP: scheduled maintenance limited per calendar year
/// (Detroit) to 60 minutes in ten months and 240 in two — two four-hour months fit, a third month
/// past 60 minutes is refused, an administrator may record it anyway with a reason and it stands
/// as a breach; emergency maintenance is recorded but not counted; a window for every customer of
/// the policy counts for each; PLM Group sets no limits.
@Suite(.serialized) struct MaintenanceTests {
    static func window(_ desk: DeskHarness, token: String, organization: String? = nil, policy: String? = nil, _ start: String, _ end: String,
                       kind: String = "scheduled", override: String? = nil) async throws -> DeskHarness.Reply {
        var fields: [String: Any] = ["start": start, "end": end, "kind": kind, "note": "Database upgrade"]
        if let organization { fields["organization"] = organization }
        if let policy { fields["policy"] = policy }
        if let override { fields["override"] = override }
        let body = String(decoding: try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]), as: UTF8.self)
        return try await desk.call(.POST, "/api/v1/maintenance-windows", token: token, body: body)
    }

    @Test(arguments: TestDatabase.all) func aPlexYearHeldToItsLimits(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-01T12:00:00Z", on: database) { desk in
            let acme = try await desk.organization("plex", plan: "gold", region: "global", prefix: "ACME")
            let manager = try await WorkDeskTests.staff(desk, "mia@provider.test", role: "manager", tier: nil)
            let march = try await Self.window(desk, token: manager.token, organization: acme, "2026-03-14T22:00:00-04:00", "2026-03-15T02:00:00-04:00")
            #expect(march.status == .created, "\(march.json)")
            #expect(try await Self.window(desk, token: manager.token, organization: acme, "2026-09-12T22:00:00-04:00", "2026-09-13T02:00:00-04:00").status == .created)
            // A third month past 60 minutes: refused, naming the month and the rule.
            let november = try await Self.window(desk, token: manager.token, organization: acme, "2026-11-14T22:00:00-05:00", "2026-11-14T23:30:00-05:00")
            #expect(november.status == .unprocessableEntity)
            #expect(november.string["detail"]?.contains("ACME Inc: November 2026 would have 90 minutes of its 60") == true, "\(november.json)")
            #expect(november.string["detail"]?.contains("allows 60 minutes in 10 months and 240 minutes in 2 months per calendar year") == true)
            // Only an administrator records it anyway, with the reason: a breach on record.
            let notAdmin = try await Self.window(desk, token: manager.token, organization: acme, "2026-11-14T22:00:00-05:00", "2026-11-14T23:30:00-05:00",
                                                 override: "Vendor security fix")
            #expect(notAdmin.status == .forbidden && notAdmin.string["field"] == "override")
            let overridden = try await Self.window(desk, token: desk.adminToken, organization: acme, "2026-11-14T22:00:00-05:00", "2026-11-14T23:30:00-05:00",
                                                   override: "Vendor security fix")
            #expect(overridden.status == .created && overridden.string["override"] == "Vendor security fix", "\(overridden.json)")
            // Emergency maintenance is recorded, not counted; a window for all of Plex's customers counts for each.
            #expect(try await Self.window(desk, token: manager.token, organization: acme, "2026-11-20T10:00:00-05:00", "2026-11-20T13:00:00-05:00",
                                          kind: "emergency").status == .created)
            #expect(try await Self.window(desk, token: manager.token, policy: "plex", "2026-01-10T22:00:00-05:00", "2026-01-10T22:30:00-05:00").status == .created)

            let year = try await desk.call(.GET, "/api/v1/organizations/\(acme)/maintenance?year=2026", token: manager.token)
            #expect(year.status == .ok, "\(year.json)")
            #expect(year["withinLimits"] as? Bool == false)
            let months = year["months"] as? [[String: Any]] ?? []
            let used = months.map { $0["minutes"] as? Int ?? -1 }
            #expect(used == [30, 0, 240, 0, 0, 0, 0, 0, 240, 0, 90, 0])
            #expect(months.map { $0["allowance"] as? Int ?? -1 } == [60, 60, 240, 60, 60, 60, 60, 60, 240, 60, 60, 60])
            #expect(months.compactMap { ($0["over"] as? Bool) == true ? $0["month"] as? Int : nil } == [11])
            let windows = year["windows"] as? [[String: Any]] ?? []
            #expect(windows.count == 5 && windows.filter { $0["override"] != nil }.count == 1)
            #expect(windows.first?["organization"] == nil, "January's window is every Plex customer's")

            // PLM Group sets no limits: ten hours are recorded and the year has no allowances.
            let fjord = try await desk.organization("plm-group", plan: "premium", region: "norway", prefix: "FJD")
            #expect(try await Self.window(desk, token: manager.token, organization: fjord, "2026-05-01T18:00:00+02:00", "2026-05-02T04:00:00+02:00").status == .created)
            let plm = try await desk.call(.GET, "/api/v1/organizations/\(fjord)/maintenance?year=2026", token: manager.token)
            #expect(plm["withinLimits"] as? Bool == true && (plm["months"] as? [[String: Any]])?[4]["minutes"] as? Int == 600)
            #expect((plm["months"] as? [[String: Any]])?[4]["allowance"] == nil)

            // The year in the web desk: the grid from the customer's page, the customer's own in the portal.
            let console = try await WebClient.signedIn(desk, manager.id, "mia@provider.test")
            let page = try await console.get("/console/customers/\(acme)/maintenance?year=2026")
            #expect(page.status == .ok && page.text.contains("Past the limits."), "\(page.text)")
            #expect(page.text.contains("March 240 240 —") && page.text.contains("November 90 60 over"), "\(page.text)")
            #expect(page.text.contains("Vendor security fix") && page.text.contains("every customer of plex"))
            #expect(try await console.get("/console/customers/\(acme)/maintenance?year=soon").status == .badRequest)
            // The customer's authorized contact sees their year; no one else's.
            let contact = try await desk.person(in: acme, email: "ops@acme.test", role: "authorized-contact")
            #expect(try await desk.call(.GET, "/api/v1/organizations/\(acme)/maintenance?year=2026", token: contact.token).status == .ok)
            #expect(try await desk.call(.GET, "/api/v1/organizations/\(fjord)/maintenance?year=2026", token: contact.token).status == .notFound)
            let portal = try await WebClient.signedIn(desk, contact.id, "ops@acme.test")
            let theirs = try await portal.get("/portal/maintenance?year=2026")
            #expect(theirs.status == .ok && theirs.text.contains("Maintenance 2026: ACME Inc"), "\(theirs.text)")
            #expect(try await Self.window(desk, token: contact.token, organization: acme, "2026-12-01T22:00:00-05:00", "2026-12-01T22:30:00-05:00").status == .forbidden)
        }
    }

    @Test func badWindowsAreRefusedNamingTheField() async throws {
        try await DeskHarness.run(at: "2026-03-01T12:00:00Z") { desk in
            let acme = try await desk.organization("plex", plan: "gold", region: "global", prefix: "ACME")
            let cases: [(String?, String?, String, String, String, String)] = [
                (acme, nil, "2026-03-14T22:00:00-04:00", "2026-03-14T21:00:00-04:00", "scheduled", "end"),
                (acme, nil, "2026-03-14 22:00", "2026-03-14T23:00:00-04:00", "scheduled", "start"),
                (acme, nil, "2026-03-01T00:00:00Z", "2026-03-09T00:00:00Z", "scheduled", "end"),
                (acme, nil, "2026-03-14T22:00:00-04:00", "2026-03-14T23:00:00-04:00", "routine", "kind"),
                (acme, "plixer", "2026-03-14T22:00:00-04:00", "2026-03-14T23:00:00-04:00", "scheduled", "policy"),
                (nil, nil, "2026-03-14T22:00:00-04:00", "2026-03-14T23:00:00-04:00", "scheduled", "organization"),
                (UUID().uuidString, nil, "2026-03-14T22:00:00-04:00", "2026-03-14T23:00:00-04:00", "scheduled", "organization"),
                (nil, "nope", "2026-03-14T22:00:00-04:00", "2026-03-14T23:00:00-04:00", "scheduled", "policy"),
            ]
            for (organization, policy, start, end, kind, field) in cases {
                let reply = try await Self.window(desk, token: desk.adminToken, organization: organization, policy: policy, start, end, kind: kind)
                #expect(reply.status == .unprocessableEntity, "\(field): \(reply.json)")
                let fields = [reply.string["field"]] + ((reply["errors"] as? [[String: Any]]) ?? []).map { $0["field"] as? String }
                #expect(fields.contains(field), "\(field): \(reply.json)")
            }
            let unknownField = try await desk.call(.POST, "/api/v1/maintenance-windows", token: desk.adminToken,
                                                   body: #"{"organization":"\#(acme)","start":"2026-03-14T22:00:00-04:00","end":"2026-03-14T23:00:00-04:00","kind":"scheduled","note":"x","minutes":60}"#)
            #expect(unknownField.status == .badRequest || unknownField.status == .unprocessableEntity, "\(unknownField.json)")
            #expect(try await desk.call(.GET, "/api/v1/organizations/\(acme)/maintenance", token: desk.adminToken).string["field"] == "year")
            #expect(try await desk.call(.GET, "/api/v1/organizations/\(acme)/maintenance?year=0", token: desk.adminToken).string["field"] == "year")
        }
    }
}
