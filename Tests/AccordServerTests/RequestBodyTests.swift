import Foundation
import Testing
import VaporTesting

/// A body a reader would have to guess at is a 400 naming the field: numbers out of range, bytes
/// that are not UTF-8, a field given twice.
@Suite struct RequestBodyTests {
    @Test(arguments: TestDatabase.all) func malformedBodiesAre400NamingTheField(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z", on: database) { desk in
            let org = try await desk.organization("plixer", plan: "standard", prefix: "BODY")
            let user = try await desk.person(in: org, email: "u@body.test", role: "user")
            let bodies: [([UInt8], String)] = [
                (Array(#"{"title":"T","description":"d","priority":"severity-1","channel":"web","cvss":1e999}"#.utf8), "cvss"),
                (Array(#"{"title":""#.utf8) + [0xFF, 0x41] + Array(#"","description":"d","priority":"severity-1","channel":"web"}"#.utf8), "title"),
                (Array(#"{"title":"T","title":"U","description":"d","priority":"severity-1","channel":"web"}"#.utf8), "title"),
                (Array(#"{"title":"T","description":"d","priority":"severity-1","channel":"web","cc":["a@b.test", NaN]}"#.utf8), "cc[1]"),
            ]
            for (body, field) in bodies {
                let reply = try await desk.call(.POST, "/api/v1/cases", token: user.token, bytes: Data(body), headers: [("Content-Type", "application/json")])
                #expect(reply.status == .badRequest, "\(field): \(reply.json)")
                #expect(reply.string["field"] == field, "\(reply.json)")
                #expect(reply.string["detail"]?.hasPrefix("malformed JSON") == true)
            }
            #expect((try await desk.call(.GET, "/api/v1/cases", token: user.token)["items"] as? [Any])?.isEmpty == true, "nothing was logged")
        }
    }
}
