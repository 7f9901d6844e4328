import AccordCore
import Foundation
import Testing
import VaporTesting

@testable import AccordServer

/// Policies in the console: an administrator uploads a version (pasted or as a file), sees every
/// problem at its line and column when it is refused, reads its differences from the version in
/// force, and publishes it — after which new cases run on it, as through the API.
@Suite struct PolicyPagesTests {
    @Test(arguments: TestDatabase.all) func anAdministratorUploadsComparesAndPublishes(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-11-25T20:00:00Z", on: database) { desk in
            let ada = try await WorkDeskTests.staff(desk, "ada@provider.test", role: "admin", tier: nil)
            let admin = try await WebClient.signedIn(desk, ada.id, "ada@provider.test")
            let list = try await admin.get("/console/policies")
            #expect(list.status == .ok && list.text.contains("Plex Customer Care Plans") && list.text.contains("2025.2"))
            #expect(list.html.contains(#"enctype="multipart/form-data""#))

            // Refused: every problem listed, linked to its line, and shown beside the line in the text sent.
            let broken = try PolicyUploadTests.plexVersion2().replacingOccurrences(of: "p2: 16 business hours", with: "p2: 16 fortnights")
            let api = try await desk.call(.POST, "/api/v1/policies", token: desk.adminToken, bytes: Data(broken.utf8),
                                          headers: [("Content-Type", "application/yaml")])
            #expect(api.status == .unprocessableEntity)
            let apiProblem = try #require((api["errors"] as? [[String: Any]])?.first?["detail"] as? String)
            let line = try #require(Int(apiProblem.split(separator: " ")[1].dropLast()))
            // Sent as a browser sends a textarea: lines ended by CR LF.
            let refused = try await admin.postMultipart("/console/policies", [("yaml", broken.replacingOccurrences(of: "\n", with: "\r\n"))])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains(String(apiProblem.dropFirst("line \(line), ".count).split(separator: ":").last!.trimmingCharacters(in: .whitespaces))),
                    "the API's words: \(apiProblem)")
            #expect(refused.html.contains(##"<a href="#upload-line-\##(line)">"##))
            #expect(refused.html.contains(#"<li id="upload-line-\#(line)" class="problem"><code>"#), "the line itself is marked")
            #expect(refused.html.contains("16 fortnights"), "the text sent is kept in the form")
            #expect(try await desk.list("/api/v1/policies", token: desk.adminToken).first { $0["id"] as? String == "plex" }?["versions"]
                    .map { ($0 as? [Any])?.count } == 1, "nothing stored")

            // As a file: stored as a draft; its page shows what changed from the version in force.
            let uploaded = try await admin.postMultipart("/console/policies", [("yaml", "")], files: [("file", "plex-2026.1.yaml", Data(try PolicyUploadTests.plexVersion2().utf8))])
            #expect(uploaded.status == .seeOther && uploaded.location == "/console/policies/plex/versions/2026.1?done=1")
            let draft = try await admin.get(uploaded.location!)
            #expect(draft.text.contains("Uploaded as a draft") && draft.text.contains("Changes from 2025.2, the version in force"))
            #expect(draft.html.contains(#"<tr class="removed">"#) && draft.html.contains("p2: 24 business hours"))
            #expect(draft.html.contains(#"<tr class="added">"#) && draft.html.contains("p2: 16 business hours"))
            #expect(draft.html.contains(#"version: &quot;2026.1&quot;"#))
            let again = try await admin.postMultipart("/console/policies", [("yaml", try PolicyUploadTests.plexVersion2())])
            #expect(again.status == .conflict && again.text.contains("exists already"))

            // Published: new cases run on it.
            let published = try await admin.post("/console/policies/plex/versions/2026.1/publish", [])
            #expect(published.status == .seeOther)
            #expect(try await admin.get(published.location!).text.contains("in force: new cases are logged under it"))
            let org = try await desk.organization("plex", plan: "silver", prefix: "VER")
            let contact = try await desk.person(in: org, email: "c@ver.test", role: "authorized-contact")
            let new = try await desk.call(.POST, "/api/v1/cases", token: contact.token, body: #"{"title":"Slow","description":"d","priority":"p2","channel":"web"}"#)
            #expect(new.string["policyVersion"] == "2026.1" && desk.clock(new)?["target"] as? String == "16 business hours")

            // A manager reads, never uploads or publishes; an empty upload names the field.
            let mia = try await WorkDeskTests.staff(desk, "mia@provider.test", role: "manager", tier: nil)
            let manager = try await WebClient.signedIn(desk, mia.id, "mia@provider.test")
            let read = try await manager.get("/console/policies")
            #expect(read.status == .ok && !read.text.contains("Upload a policy version"))
            #expect(try await manager.postMultipart("/console/policies", [("yaml", "id: x")]).status == .forbidden)
            let empty = try await admin.postMultipart("/console/policies", [("yaml", "  ")])
            #expect(empty.status == .unprocessableEntity && empty.html.contains(#"id="upload-yaml-error""#))
        }
    }
}

/// A policy's lines as YAML counts them, whatever ends them.
@Suite struct PolicyLinesTests {
    @Test func linesEndedByLFCRLFOrCRAreTheSame() {
        #expect(PolicyPages.lines("a\nb\r\nc\rd") == ["a", "b", "c", "d"])
        #expect(PolicyPages.lines("a\r\n\r\nb\n") == ["a", "", "b", ""])
    }
}
