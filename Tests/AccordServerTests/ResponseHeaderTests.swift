import Foundation
import Testing
import VaporTesting

/// What every response says about itself: security headers, no caching of personal data, and 405
/// with `Allow` for a method a path does not take.
@Suite struct ResponseHeaderTests {
    @Test(arguments: TestDatabase.all) func everyResponseCarriesTheSecurityHeaders(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z", on: database) { desk in
            for (path, token) in [("/health", nil), ("/api/v1/me", desk.adminToken), ("/api/v1/me", "wrong"), ("/api/v1/cases/nope", desk.adminToken)] as [(String, String?)] {
                let response = try await desk.send(.GET, path, headers: token.map { [("Authorization", "Bearer \($0)")] } ?? [], body: nil)
                #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff", "\(path)")
                #expect(response.headers.first(name: "Referrer-Policy") == "no-referrer", "\(path)")
                #expect(response.headers.first(name: "X-Frame-Options") == "DENY", "\(path)")
                #expect(response.headers.first(name: "Content-Security-Policy")?.contains("default-src 'none'") == true, "\(path)")
                #expect(response.headers.first(name: "Strict-Transport-Security") == nil, "no HSTS without TLS")
                if path.hasPrefix("/api/") {
                    #expect(response.headers.first(name: "Cache-Control") == "no-store", "\(path): tokens and personal data are never cached")
                }
            }
        }
    }

    @Test(arguments: TestDatabase.all) func anUnsupportedMethodIs405WithAllow(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z", on: database) { desk in
            let trace = try await desk.send(.TRACE, "/api/v1/cases", headers: [("Authorization", "Bearer \(desk.adminToken)")], body: nil)
            #expect(trace.status == .methodNotAllowed)
            #expect(trace.headers.first(name: .allow) == "GET, HEAD, POST")
            #expect(trace.headers.contentType?.description == "application/problem+json")
            // With a body (which TRACE may not have; found by schemathesis): still 405, not a 502.
            // (Sent by hand: HTTP clients refuse to send such a request.)
            let socket = try await FrontDoorTests.connectOffPool(port: desk.port, sending: "TRACE /api/v1/cases HTTP/1.1\r\nHost: desk\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
            defer { close(socket) }
            let traceWithBody = await FrontDoorTests.readUntilClosed(socket, within: 5) ?? ""
            #expect(traceWithBody.hasPrefix("HTTP/1.1 405 Method Not Allowed\r\n") && traceWithBody.contains("allow: GET, HEAD, POST\r\n"), "\(traceWithBody)")
            let delete = try await desk.send(.DELETE, "/api/v1/me", headers: [], body: nil)
            #expect(delete.status == .methodNotAllowed && delete.headers.first(name: .allow) == "GET, HEAD")
            let patch = try await desk.send(.PATCH, "/api/v1/cases/\(UUID())/events", headers: [], body: nil)
            #expect(patch.status == .methodNotAllowed && patch.headers.first(name: .allow) == "POST")
            #expect(try await desk.send(.GET, "/api/v1/nothing-here", headers: [], body: nil).status == .notFound)
            // Methods and paths the OpenAPI document has no operation for: not checked against it.
            desk.exchanges.withLock { $0.removeAll { ["TRACE", "DELETE", "PATCH"].contains($0.method) || $0.path == "/api/v1/nothing-here" } }
        }
    }
}

/// Guessing tokens is throttled per address: 429 with Retry-After, before any lookup.
@Suite struct AuthenticationThrottleTests {
    @Test(arguments: TestDatabase.all) func unknownTokensPastTheLimitAre429UntilTheBucketRefills(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z", on: database) { desk in
            var statuses: [UInt] = []
            for attempt in 0..<25 {
                statuses.append(try await desk.call(.GET, "/api/v1/me", token: "acd_guess\(attempt)").status.code)
            }
            #expect(statuses.prefix(20).allSatisfy { $0 == 401 }, "\(statuses)")
            #expect(statuses.suffix(5).allSatisfy { $0 == 429 }, "\(statuses)")
            let blocked = try await desk.call(.GET, "/api/v1/me", token: desk.adminToken)
            #expect(blocked.status == .tooManyRequests, "the address is blocked, whatever it sends")
            #expect(blocked.headers.first(name: .retryAfter) == "3", "one failure's worth at 20 a minute")
            #expect(blocked.string["detail"]?.contains("too many failed authentications") == true)
            desk.set("2026-03-02T09:00:03Z")
            #expect(try await desk.call(.GET, "/api/v1/me", token: desk.adminToken).status == .ok, "the bucket refilled")
            #expect(try await desk.call(.GET, "/api/v1/me", token: "acd_again").status == .unauthorized)
            #expect(try await desk.call(.GET, "/api/v1/me", token: "acd_again2").status == .tooManyRequests)
        }
    }

    /// Two servers on one database share the buckets: guesses spread over them are counted
    /// together (an address gets at most one more failure per further server, the one that tells it).
    @Test(arguments: TestDatabase.all) func serversOfOneDeskCountFailuresTogether(_ database: TestDatabase) async throws {
        try await DeskHarness.runTwo(at: "2026-03-02T09:00:00Z", on: database, configure: { $0.authenticationFailuresPerMinute = 4 }) { first, second in
            var statuses: [UInt] = []
            for attempt in 0..<10 {
                let desk = attempt.isMultiple(of: 2) ? first : second
                statuses.append(try await desk.call(.GET, "/api/v1/me", token: "acd_guess\(attempt)").status.code)
            }
            // The fourth failure in all empties the shared bucket and blocks the server that saw it; the
            // other lets one more through, finds the bucket empty, and blocks too. (Each on its own: 8.)
            #expect(statuses == [401, 401, 401, 401, 401, 429, 429, 429, 429, 429], "\(statuses)")
        }
    }
}
