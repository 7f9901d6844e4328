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

    /// A byte above 0x7F in a part's header name made MultipartKit index past its table and kill
    /// the server (found by schemathesis); such uploads are refused before it parses them.
    @Test(arguments: TestDatabase.all) func anUploadWithANonASCIIHeaderNameIsRefusedNotACrash(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z", on: database) { desk in
            let org = try await desk.organization("plixer", plan: "standard", prefix: "MIME")
            let user = try await desk.person(in: org, email: "u@mime.test", role: "user")
            let logged = try await desk.call(.POST, "/api/v1/cases", token: user.token,
                                             body: #"{"title":"T","description":"d","priority":"severity-3","channel":"web"}"#)
            let path = "/api/v1/cases/\(try #require(logged.string["id"]))/attachments"
            let boundary = "ee72172232482d046f5c73dda9867493"
            let hostile: [[UInt8]] = [
                Array("--\(boundary)\r\n".utf8) + [0xC2, 0xBA, 0xF1, 0x8E, 0x98, 0x9D] + Array("--\(boundary)--\r\n".utf8),
                Array("--\(boundary)\r\nContent-Type: text/plain\r\nX-".utf8) + [0xE7, 0xB6, 0xA4] + Array(": v\r\n\r\nx\r\n--\(boundary)--\r\n".utf8),
            ]
            for body in hostile {
                let reply = try await desk.call(.POST, path, token: user.token, bytes: Data(body),
                                                headers: [("Content-Type", "multipart/form-data; boundary=\(boundary)")])
                #expect(reply.status == .badRequest && reply.string["field"] == "file", "\(reply.json)")
            }
            #expect(try await desk.call(.GET, "/health", token: nil).status == .ok, "the server is still up")
            // A UTF-8 file name (a header value) is fine.
            let good = try await desk.upload(path, token: user.token, filename: "rapport-æøå.txt", data: Data("ok".utf8))
            #expect(good.status == .created && good.string["filename"] == "rapport-æøå.txt", "\(good.json)")
        }
    }
}
