import Foundation
import Testing
import VaporTesting

/// What a case carries beyond title and priority: required information, versions, scope, watchers,
/// attachments and the lifecycle's resolution and reopen window — on every test database.
@Suite struct CaseIntakeTests {
    @Test(arguments: TestDatabase.all) func plmGroupChecksTheRequiredInformationFieldByField(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z", on: database) { desk in
            let plm = try await desk.organization("plm-group", plan: "standard", region: "denmark", prefix: "REQ")
            let anna = try await desk.person(in: plm, email: "anna@req.test", role: "user")
            let missing = try await desk.call(.POST, "/api/v1/cases", token: anna.token, body: DeskHarness.plmCase(replacing: [
                "contactPhone": nil, "stepsToReproduce": nil, "englishConsent": nil, "version": "26", "servicePack": "service pack 2",
            ]))
            #expect(missing.status == .unprocessableEntity)
            let errors = try #require(missing["errors"] as? [[String: String]])
            #expect(Set(errors.compactMap { $0["field"] }) == ["contactPhone", "stepsToReproduce", "englishConsent", "version", "servicePack"])
            #expect(errors.first { $0["field"] == "version" }?["detail"] == "SOLIDWORKS version (20XX): '26' does not match ^20[0-9]{2}$")
            #expect(errors.first { $0["field"] == "contactPhone" }?["detail"] == "Phone number is required by PLM Group Support SLA")

            // 2023 is older than the current (2026) and two prior: taken, but flagged unsupported.
            let old = try await desk.call(.POST, "/api/v1/cases", token: anna.token, body: DeskHarness.plmCase(replacing: ["version": "2023"]))
            #expect(old.status == .created, "\(old.json)")
            #expect(old["unsupportedVersion"] as? Bool == true)
            let current = try await desk.call(.POST, "/api/v1/cases", token: anna.token, body: DeskHarness.plmCase(replacing: ["version": "2024"]))
            #expect(current["unsupportedVersion"] as? Bool == false)
            #expect((current["details"] as? [String: Any])?["servicePack"] as? String == "SP2.1")
        }
    }

    @Test(arguments: TestDatabase.all) func ccAndCaseTeamSeeTheCaseOthersDoNot(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z", on: database) { desk in
            let plm = try await desk.organization("plm-group", plan: "premium", region: "denmark", prefix: "TEAM")
            let anna = try await desk.person(in: plm, email: "anna@team.test", role: "user")
            let carl = try await desk.person(in: plm, email: "carl@team.test", role: "user")
            let dina = try await desk.person(in: plm, email: "dina@team.test", role: "user")
            let boss = try await desk.person(in: plm, email: "boss@team.test", role: "authorized-contact")
            let logged = try await desk.call(.POST, "/api/v1/cases", token: anna.token,
                                             body: DeskHarness.plmCase(replacing: ["cc": ["Carl@team.test", "outside@example.com"]]))
            #expect(logged.status == .created, "\(logged.json)")
            let id = try #require(logged.string["id"])
            #expect((logged["watchers"] as? [[String: Any]])?.compactMap { $0["email"] as? String }.sorted() == ["carl@team.test", "outside@example.com"])
            #expect(try await desk.call(.GET, "/api/v1/cases/\(id)", token: carl.token).status == .ok)
            #expect((try await desk.call(.GET, "/api/v1/cases", token: carl.token)["items"] as? [Any])?.count == 1)
            #expect(try await desk.call(.GET, "/api/v1/cases/\(id)", token: dina.token).status == .notFound)
            // A user cannot add the case team; the authorized contact cannot see plm cases to add to them.
            let byUser = try await desk.call(.POST, "/api/v1/cases/\(id)/watchers", token: anna.token, body: #"{"email":"dina@team.test","kind":"team"}"#)
            #expect(byUser.status == .forbidden)
            #expect(try await desk.call(.POST, "/api/v1/cases/\(id)/watchers", token: boss.token, body: #"{"email":"dina@team.test","kind":"team"}"#).status == .notFound)
            let bad = try await desk.call(.POST, "/api/v1/cases/\(id)/watchers", token: anna.token, body: #"{"email":"nope","kind":"cc"}"#)
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.string["field"] == "email")

            // Plex: an authorized contact adds a user of the organization to the case team.
            let plex = try await desk.organization("plex", plan: "gold", prefix: "PTEAM")
            let user = try await desk.person(in: plex, email: "u@pteam.test", role: "user")
            let other = try await desk.person(in: plex, email: "o@pteam.test", role: "user")
            let contact = try await desk.person(in: plex, email: "c@pteam.test", role: "authorized-contact")
            let p1 = try await desk.call(.POST, "/api/v1/cases", token: user.token, body: #"{"title":"Down","description":"All","priority":"p1","channel":"web"}"#)
            let plexID = try #require(p1.string["id"])
            #expect(try await desk.call(.GET, "/api/v1/cases/\(plexID)", token: other.token).status == .notFound)
            let outsider = try await desk.call(.POST, "/api/v1/cases/\(plexID)/watchers", token: contact.token, body: #"{"email":"anna@team.test","kind":"team"}"#)
            #expect(outsider.status == .unprocessableEntity)
            let added = try await desk.call(.POST, "/api/v1/cases/\(plexID)/watchers", token: contact.token, body: #"{"email":"o@pteam.test","kind":"team"}"#)
            #expect(added.status == .created, "\(added.json)")
            #expect((added["events"] as? [[String: Any]])?.last?["kind"] as? String == "team-added")
            #expect(try await desk.call(.GET, "/api/v1/cases/\(plexID)", token: other.token).status == .ok)
        }
    }

    @Test(arguments: TestDatabase.all) func attachmentsAreStoredByChecksumAndVerifiedOnDownload(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z", on: database) { desk in
            let org = try await desk.organization("pro-plus", plan: "pro-plus", prefix: "FILE")
            let user = try await desk.person(in: org, email: "u@file.test", role: "user")
            let elsewhere = try await desk.organization("pro-plus", plan: "pro-plus", prefix: "ELSE")
            let stranger = try await desk.person(in: elsewhere, email: "s@else.test", role: "user")
            let logged = try await desk.call(.POST, "/api/v1/cases", token: user.token, body: #"{"title":"Log","description":"See file","channel":"web"}"#)
            let id = try #require(logged.string["id"])
            let content = Data("2026-03-02 ERROR disk full\n".utf8)
            let uploaded = try await desk.upload("/api/v1/cases/\(id)/attachments", token: user.token, filename: "../../etc/server.log", data: content)
            #expect(uploaded.status == .created, "\(uploaded.json)")
            #expect(uploaded.string["filename"] == "server.log")
            #expect(uploaded.string["sha256"] == "cae0aee6b807d8ec605546c918367ea58df094953950c2efafc10a6bc9a6611e")  // sha256sum of the same bytes
            #expect(uploaded["size"] as? Int == content.count)
            let attachment = try #require(uploaded.string["id"])
            let sha = try #require(uploaded.string["sha256"])
            let fetched = try await desk.download("/api/v1/attachments/\(attachment)", token: user.token)
            #expect(fetched.status == .ok)
            #expect(fetched.body == content)
            #expect(fetched.headers.first(name: "Repr-Digest")?.hasPrefix("sha-256=:") == true)
            #expect(try await desk.download("/api/v1/attachments/\(attachment)", token: stranger.token).status == .notFound)
            let shown = try await desk.call(.GET, "/api/v1/cases/\(id)", token: user.token)
            #expect((shown["attachments"] as? [[String: Any]])?.first?["sha256"] as? String == sha)

            let huge = Data(repeating: 0x41, count: 21 * 1024 * 1024)
            let tooBig = try await desk.upload("/api/v1/cases/\(id)/attachments", token: user.token, filename: "big.bin", data: huge)
            #expect(tooBig.status == .payloadTooLarge)
            let notMultipart = try await desk.call(.POST, "/api/v1/cases/\(id)/attachments", token: user.token, body: "{}")
            #expect(notMultipart.status == .unsupportedMediaType)
            #expect(try await desk.upload("/api/v1/cases/\(id)/attachments", token: user.token, filename: "empty.txt", data: Data()).status == .unprocessableEntity)

            // A file altered on disk is refused, not served.
            let path = "\(desk.attachmentDirectory)/\(sha.prefix(2))/\(sha)"
            try Data("tampered".utf8).write(to: URL(fileURLWithPath: path))
            let corrupted = try await desk.download("/api/v1/attachments/\(attachment)", token: user.token)
            #expect(corrupted.status == .internalServerError)
            #expect(String(decoding: corrupted.body, as: UTF8.self).contains("no longer matches its SHA-256 checksum"))
        }
    }

    @Test(arguments: TestDatabase.all) func resolutionNeedsAnOutcomeAndReopeningHasAWindow(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T15:00:00Z", on: database) { desk in
            let org = try await desk.organization("plex", plan: "gold", prefix: "LIFE")
            let contact = try await desk.person(in: org, email: "c@life.test", role: "authorized-contact")
            let logged = try await desk.call(.POST, "/api/v1/cases", token: contact.token, body: #"{"title":"Q","description":"How","priority":"p3","channel":"web"}"#)
            let id = try #require(logged.string["id"])
            let events = "/api/v1/cases/\(id)/events"
            let reply = try await desk.call(.POST, events, token: desk.adminToken, body: #"{"kind":"public-reply","body":"Try this"}"#)
            #expect((reply["events"] as? [[String: Any]])?.compactMap { $0["kind"] as? String } == ["logged", "routed", "public-reply", "status-change"])
            #expect(reply.string["status"] == "open")
            let noOutcome = try await desk.call(.POST, events, token: desk.adminToken, body: #"{"kind":"status-change","value":"resolved"}"#, headers: [("If-Match", "\"2\"")])
            #expect(noOutcome.status == .unprocessableEntity)
            #expect(noOutcome.string["field"] == "resolution")
            let resolved = try await desk.call(.POST, events, token: desk.adminToken, body: #"{"kind":"status-change","value":"resolved","resolution":"workaround"}"#,
                                               headers: [("If-Match", "\"2\"")])
            #expect(resolved.status == .created)
            #expect((resolved["events"] as? [[String: Any]])?.last?["value"] as? String == "resolved:workaround")
            // Plex's policy leaves the default 14-day window: day 15 is too late.
            desk.set("2026-03-17T15:00:01Z")
            let late = try await desk.call(.POST, events, token: contact.token, body: #"{"kind":"status-change","value":"open"}"#, headers: [("If-Match", "\"3\"")])
            #expect(late.status == .conflict)
            #expect(late.string["detail"]?.contains("allows reopening within 14 days") == true)
            desk.set("2026-03-16T15:00:00Z")
            let reopened = try await desk.call(.POST, events, token: contact.token, body: #"{"kind":"status-change","value":"open"}"#, headers: [("If-Match", "\"3\"")])
            #expect(reopened.status == .created)
        }
    }
}
