import Foundation
import Testing
import VaporTesting

/// Filters say what is wrong instead of quietly returning something else: an unknown or repeated
/// parameter, or a value no policy knows, is a 400 naming the parameter.
@Suite struct QueryParameterTests {
    @Test(arguments: TestDatabase.all) func unknownParametersAndBadValuesAreNamed(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z", on: database) { desk in
            let org = try await desk.organization("plixer", plan: "standard", prefix: "QRY")
            let user = try await desk.person(in: org, email: "u@qry.test", role: "user")
            _ = try await desk.call(.POST, "/api/v1/cases", token: user.token, body: #"{"title":"T","description":"d","priority":"severity-3","channel":"web"}"#)
            let cases: [(String, String, String)] = [
                ("/api/v1/cases?stauts=closed", "stauts", "unknown query parameter 'stauts'"),
                ("/api/v1/cases?priority=zzz", "priority", "unknown priority 'zzz'"),
                ("/api/v1/cases?status=open&status=closed", "status", "given twice"),
                ("/api/v1/cases?cursor=%27%20OR%201%3D1", "cursor", "nextCursor"),
                ("/api/v1/me?verbose=1", "verbose", "takes no query parameters"),
                ("/api/v1/deliveries?state=sent", "state", "state must be"),
                ("/api/v1/queues/plixer.support?limit=5&sort=due", "sort", "parameters: limit"),
            ]
            for (path, field, detail) in cases {
                let reply = try await desk.call(.GET, path, token: desk.adminToken)
                #expect(reply.status == .badRequest, "\(path)")
                #expect(reply.string["field"] == field, "\(path): \(reply.json)")
                #expect(reply.string["detail"]?.contains(detail) == true, "\(path): \(reply.json)")
                #expect(reply.headers.contentType?.description == "application/problem+json")
            }
            // Known values still filter.
            let known = try await desk.call(.GET, "/api/v1/cases?priority=severity-3&status=new&limit=10", token: user.token)
            #expect(known.status == .ok && (known["items"] as? [Any])?.count == 1)
            let none = try await desk.call(.GET, "/api/v1/cases?priority=severity-1", token: user.token)
            #expect(none.status == .ok && (none["items"] as? [Any])?.isEmpty == true)
        }
    }

    @Test(arguments: TestDatabase.all) func anAttachmentsNotFoundDoesNotNameItsCase(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z", on: database) { desk in
            let org = try await desk.organization("plm-group", plan: "premium", region: "denmark", prefix: "HIDE")
            let anna = try await desk.person(in: org, email: "anna@hide.test", role: "user")
            let boss = try await desk.person(in: org, email: "boss@hide.test", role: "authorized-contact")
            let logged = try await desk.call(.POST, "/api/v1/cases", token: anna.token, body: DeskHarness.plmCase())
            let caseID = try #require(logged.string["id"])
            let file = try await desk.upload("/api/v1/cases/\(caseID)/attachments", token: anna.token, filename: "a.txt", data: Data("x".utf8))
            let hidden = try await desk.download("/api/v1/attachments/\(try #require(file.string["id"]))", token: boss.token)
            #expect(hidden.status == .notFound)
            let text = String(decoding: hidden.body, as: UTF8.self)
            #expect(!text.lowercased().contains(caseID.lowercased()), "\(text)")
            #expect(text.contains("no attachment has that id"))
        }
    }
}
