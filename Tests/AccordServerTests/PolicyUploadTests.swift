import AccordCore
import Foundation
import Testing
import VaporTesting

/// Uploading and publishing policy versions; cases keep the version they were logged under.
@Suite struct PolicyUploadTests {
    /// The plex preset as version 2026.1 with Silver P2 cut from 24 to 16 business hours.
    static func plexVersion2() throws -> String {
        let yaml = try Presets.yaml("plex")
        let changed = yaml.replacingOccurrences(of: "version: \"2025.2\"", with: "version: \"2026.1\"")
            .replacingOccurrences(of: "p2: 24 business hours      # exclude weekends and holidays observed by Plex",
                                  with: "p2: 16 business hours      # exclude weekends and holidays observed by Plex")
        #expect(changed != yaml)
        return changed
    }

    @Test(arguments: TestDatabase.all) func aPublishedVersionAppliesToNewCasesOnly(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-11-25T20:00:00Z", on: database) { desk in
            let org = try await desk.organization("plex", plan: "silver", prefix: "VER")
            let contact = try await desk.person(in: org, email: "c@ver.test", role: "authorized-contact")
            let body = #"{"title":"Slow","description":"Reports slow","priority":"p2","channel":"web"}"#
            let yamlHeaders = [("Content-Type", "application/yaml")]

            let draft = try await desk.call(.POST, "/api/v1/policies", token: desk.adminToken, bytes: Data(try Self.plexVersion2().utf8), headers: yamlHeaders)
            #expect(draft.status == .created, "\(draft.json)")
            #expect(draft["current"] as? Bool == false)
            let old = try await desk.call(.POST, "/api/v1/cases", token: contact.token, body: body)
            #expect(old.string["policyVersion"] == "2025.2")
            #expect(desk.clock(old)?["due"] as? String == "2026-11-27T20:00:00Z")

            let published = try await desk.call(.POST, "/api/v1/policies/plex/versions/2026.1/publish", token: desk.adminToken)
            #expect(published.status == .ok)
            #expect(published["current"] as? Bool == true, "the answer says what is now true")
            let new = try await desk.call(.POST, "/api/v1/cases", token: contact.token, body: body)
            #expect(new.string["policyVersion"] == "2026.1")
            #expect(desk.clock(new)?["target"] as? String == "16 business hours")
            // Wednesday 15:00 EST: 9 hours to midnight, Thanksgiving skipped, 7 more on Friday.
            #expect(desk.clock(new)?["due"] as? String == "2026-11-27T12:00:00Z")
            // The old case keeps its version and target when read again.
            let oldAgain = try await desk.call(.GET, "/api/v1/cases/\(try #require(old.string["id"]))", token: contact.token)
            #expect(desk.clock(oldAgain)?["target"] as? String == "24 business hours")

            // Uploaded and published in one request: current at once, and the answer says so.
            let third = try Self.plexVersion2().replacingOccurrences(of: "version: \"2026.1\"", with: "version: \"2026.2\"")
            let atOnce = try await desk.call(.POST, "/api/v1/policies?publish=true", token: desk.adminToken, bytes: Data(third.utf8), headers: yamlHeaders)
            #expect(atOnce.status == .created && atOnce["current"] as? Bool == true, "\(atOnce.json)")
            let list = try await desk.list("/api/v1/policies", token: desk.adminToken)
            let plex = try #require(list.first { $0["id"] as? String == "plex" })
            #expect(plex["currentVersion"] as? String == "2026.2")
            #expect((plex["versions"] as? [[String: Any]])?.count == 3)
            let text = try await desk.download("/api/v1/policies/plex/versions/2025.2", token: desk.adminToken)
            #expect(String(decoding: text.body, as: UTF8.self) == (try Presets.yaml("plex")))
        }
    }

    @Test(arguments: TestDatabase.all) func badUploadsAreRefusedWithTheirPlace(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-11-25T20:00:00Z", on: database) { desk in
            let yamlHeaders = [("Content-Type", "application/yaml")]
            let broken = """
                accord: 1
                id: acme
                name: ACME
                version: "1"
                zone: Mars/Olympus
                plans: []
                """
            let refused = try await desk.call(.POST, "/api/v1/policies", token: desk.adminToken, bytes: Data(broken.utf8), headers: yamlHeaders)
            #expect(refused.status == .unprocessableEntity)
            let errors = try #require(refused["errors"] as? [[String: String]])
            #expect(errors.contains { $0["field"] == "zone" && $0["detail"]?.hasPrefix("line 5, column 7:") == true })
            #expect(refused.string["detail"]?.contains("upload.yaml:5:7: zone:") == true)

            // A target too large for any clock used to trap in the server and kill it.
            let huge = try Presets.yaml("plex").replacingOccurrences(of: "version: \"2025.2\"", with: "version: \"9\"")
                .replacingOccurrences(of: "p1: 1 calendar hour        # including weekends and holidays", with: "p1: 100000000000000000000 calendar hours")
            let tooLarge = try await desk.call(.POST, "/api/v1/policies", token: desk.adminToken, bytes: Data(huge.utf8), headers: yamlHeaders)
            #expect(tooLarge.status == .unprocessableEntity)
            #expect(tooLarge.string["detail"]?.contains("is more than ten years") == true, "\(tooLarge.json)")
            #expect(try await desk.call(.GET, "/api/v1/me", token: desk.adminToken).status == .ok, "the server is still up")
            // A 2 KB alias bomb is refused before it is composed.
            let bomb = try await desk.call(.POST, "/api/v1/policies", token: desk.adminToken, bytes: Data(HostilePolicyYAML.bomb.utf8), headers: yamlHeaders)
            #expect(bomb.status == .unprocessableEntity)
            #expect(bomb.string["detail"]?.contains("expands to more than 100000 YAML nodes") == true)
            let duplicate = try await desk.call(.POST, "/api/v1/policies", token: desk.adminToken, bytes: Data(try Presets.yaml("plex").utf8), headers: yamlHeaders)
            #expect(duplicate.status == .conflict)
            let json = try await desk.call(.POST, "/api/v1/policies", token: desk.adminToken, body: "{}")
            #expect(json.status == .unsupportedMediaType)
            let org = try await desk.organization("pro-plus", plan: "pro-plus", prefix: "NOADM")
            let user = try await desk.person(in: org, email: "u@noadm.test", role: "user")
            #expect(try await desk.call(.POST, "/api/v1/policies", token: user.token, bytes: Data(try Self.plexVersion2().utf8), headers: yamlHeaders).status == .forbidden)
            #expect(try await desk.call(.POST, "/api/v1/policies/plex/versions/9.9/publish", token: desk.adminToken).status == .notFound)
        }
    }
}

/// The alias bomb of `HostilePolicyTests`, as an upload: nine levels, the last as a mapping key.
enum HostilePolicyYAML {
    static var bomb: String {
        var yaml = "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...9 {
            yaml += "l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        return yaml + "accord: 1\nid: bomb\nname: Bomb\nversion: '1'\nboom: {? *l9 : 1, ? *l8 : 2}\n"
    }
}
