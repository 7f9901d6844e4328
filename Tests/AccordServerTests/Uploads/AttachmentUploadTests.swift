import Foundation
import Testing
import VaporTesting

/// Uploads go to disk as they arrive, and one person can have only so many under way at once.
@Suite struct AttachmentUploadTests {
    @Test func aPersonHasAtMostFourUploadsUnderWay() async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z") { desk in
            let org = try await desk.organization("plixer", plan: "standard", prefix: "UPL")
            let user = try await desk.person(in: org, email: "u@upl.test", role: "user")
            let other = try await desk.person(in: org, email: "o@upl.test", role: "user")
            let logged = try await desk.call(.POST, "/api/v1/cases", token: user.token,
                                             body: #"{"title":"T","description":"d","priority":"severity-3","channel":"web"}"#)
            let path = "/api/v1/cases/\(try #require(logged.string["id"]))/attachments"
            // Four uploads that have sent their first megabyte of ten and wait.
            let head = "POST \(path) HTTP/1.1\r\nHost: desk\r\nAuthorization: Bearer \(user.token)\r\n"
                + "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 10485860\r\n\r\n"
                + "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n\r\n"
            let megabyte = String(repeating: "x", count: 1_048_576)
            var stalled: [Int32] = []
            for _ in 0..<4 { stalled.append(try await FrontDoorTests.connectOffPool(port: desk.port, sending: head + megabyte)) }
            defer { stalled.forEach { close($0) } }
            // Given a moment to reach the desk (a fifth sent at once could overtake one of them),
            // the fifth waits its turn: 429, saying why.
            try await Task.sleep(for: .seconds(1))
            let fifth = try await desk.upload(path, token: user.token, filename: "a.txt", data: Data("a".utf8))
            #expect(fifth.status == .tooManyRequests)
            #expect(fifth.headers.first(name: "Retry-After") == "5")
            #expect(fifth.string["detail"] == "you have 4 uploads under way, the most one person may at once; wait for one to finish")
            // Someone else uploads meanwhile.
            #expect(try await desk.upload(path, token: other.token, filename: "b.txt", data: Data("b".utf8)).status == .created)
            // When one ends (here: broken off), the person may upload again, and the broken one left no file behind.
            close(stalled.removeLast())
            var again = fifth
            for _ in 0..<50 where again.status != .created {
                try await Task.sleep(for: .milliseconds(100))
                again = try await desk.upload(path, token: user.token, filename: "a.txt", data: Data("a".utf8))
            }
            #expect(again.status == .created)
            stalled.forEach { close($0) }
            stalled = []
            let incoming = URL(fileURLWithPath: desk.attachmentDirectory).appendingPathComponent(".incoming")
            var left: [String] = []
            for _ in 0..<50 {
                left = (try? FileManager.default.contentsOfDirectory(atPath: incoming.path)) ?? []
                if left.isEmpty { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(left.isEmpty, "temporary files of broken-off uploads are removed")
        }
    }
}
