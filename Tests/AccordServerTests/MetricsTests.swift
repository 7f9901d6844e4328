import Foundation
import Testing
import VaporTesting

/// `/metrics` in Prometheus text, and the `breached` list filter, which read the same stored clocks.
@Suite struct MetricsTests {
    @Test(arguments: TestDatabase.all) func metricsCountRequestsOpenCasesAndBreaches(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-11-25T20:00:00Z", on: database) { desk in
            let org = try await desk.organization("plex", plan: "silver", prefix: "MET")
            let user = try await desk.person(in: org, email: "u@met.test", role: "user")
            // Two P1 cases (one calendar hour); one is answered in time.
            let first = try await desk.call(.POST, "/api/v1/cases", token: user.token, body: #"{"title":"A","description":"d","priority":"p1","channel":"web"}"#)
            let second = try await desk.call(.POST, "/api/v1/cases", token: user.token, body: #"{"title":"B","description":"d","priority":"p1","channel":"web"}"#)
            let answered = try #require(first.string["id"])
            let late = try #require(second.string["id"])
            desk.set("2026-11-25T20:30:00Z")
            _ = try await desk.call(.POST, "/api/v1/cases/\(answered)/events", token: desk.adminToken, body: #"{"kind":"public-reply","body":"On it"}"#)
            desk.set("2026-11-25T21:30:00Z")  // the other is now past its due, still counting

            let metrics = try await desk.download("/metrics", token: desk.adminToken)
            #expect(metrics.status == .ok)
            let text = String(decoding: metrics.body, as: UTF8.self)
            #expect(text.contains("accord_open_cases 2"))
            #expect(text.contains("accord_clocks_breached 1"))
            // Each P1 case also runs its 4-hourly update clock (the answer restarted one of them).
            #expect(text.contains("accord_clocks_running 2"))
            #expect(text.contains(#"accord_http_requests_total{method="POST",route="/api/v1/cases",status="201"} 2"#))
            #expect(text.contains("accord_http_request_duration_seconds_bucket"))

            let breached = try await desk.call(.GET, "/api/v1/cases?breached=true", token: desk.adminToken)
            #expect((breached["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [late])
            let fine = try await desk.call(.GET, "/api/v1/cases?breached=false", token: desk.adminToken)
            #expect((fine["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [answered])
            #expect(try await desk.call(.GET, "/api/v1/cases?breached=maybe", token: desk.adminToken).status == .badRequest)
            #expect(try await desk.call(.GET, "/api/v1/cases?limit=ten", token: desk.adminToken).status == .badRequest)
            #expect(try await desk.call(.GET, "/api/v1/cases?status=pending", token: desk.adminToken).status == .badRequest)
        }
    }

    @Test(arguments: TestDatabase.all) func metricsAreForManagersAdminsAndTheScraper(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-11-25T20:00:00Z", on: database, configure: { $0.metricsToken = "scraper-0123456789abcdef" }) { desk in
            let manager = try await WorkDeskTests.staff(desk, "mia@provider.test", role: "manager", tier: nil)
            let agent = try await WorkDeskTests.staff(desk, "al@provider.test")
            #expect(try await desk.send(.GET, "/metrics", headers: [], body: nil).status == .unauthorized)
            #expect(try await desk.download("/metrics", token: agent.token).status == .forbidden)
            #expect(try await desk.download("/metrics", token: "scraper-0123456789abcdeX").status == .unauthorized)
            #expect(try await desk.download("/metrics", token: manager.token).status == .ok)
            let scraped = try await desk.download("/metrics", token: "scraper-0123456789abcdef")
            #expect(scraped.status == .ok && String(decoding: scraped.body, as: UTF8.self).contains("accord_open_cases"))
            #expect(scraped.headers.first(name: "Cache-Control") == "no-store")
        }
    }
}
