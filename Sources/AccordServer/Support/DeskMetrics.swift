import AccordStore
import Foundation
import Metrics
import Prometheus
import Vapor

/// The desk's metrics in Prometheus text: requests and their latencies by route and status (through
/// swift-metrics), and gauges read from the database when scraped — open cases, running and
/// breached clocks. Each application has its own registry, so several desks in one process (tests)
/// never mix their numbers.
struct DeskMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory

    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(20), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
        ]
        self.factory = factory
    }

    func recordRequest(method: String, route: String, status: UInt, seconds: Double) {
        let dimensions = [("method", method), ("route", route), ("status", String(status))]
        Counter(label: "accord_http_requests_total", dimensions: dimensions, factory: factory).increment()
        Metrics.Timer(label: "accord_http_request_duration_seconds", dimensions: [("method", method), ("route", route)], factory: factory)
            .recordNanoseconds(Int64(seconds * 1_000_000_000))
    }

    /// The text exposition, with the gauges brought up to date from `store` at `now`.
    func exposition(store: DeskStore, now: Date) async throws -> String {
        let counts = try await store.clockCounts(at: now)
        Gauge(label: "accord_open_cases", dimensions: [], factory: factory).record(try await store.openCaseCount())
        Gauge(label: "accord_clocks_running", dimensions: [], factory: factory).record(counts.running)
        Gauge(label: "accord_clocks_breached", dimensions: [], factory: factory).record(counts.breached)
        return registry.emitToString()
    }
}

/// Counts every request and times it, labelled by the route pattern (never the raw path, so case
/// ids do not explode the label set).
struct MetricsMiddleware: AsyncMiddleware {
    let metrics: DeskMetrics

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next.respond(to: request)
        let elapsed = ContinuousClock.now - start
        let route = request.route.map { "/" + $0.path.map(\.description).joined(separator: "/") } ?? "unmatched"
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        metrics.recordRequest(method: request.method.rawValue, route: route, status: response.status.code, seconds: seconds)
        return response
    }
}
