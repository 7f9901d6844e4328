import AccordStore
import Foundation
import Metrics
import Prometheus
import Synchronization
import Vapor

/// The desk's metrics in Prometheus text: requests and their latencies by route and status (through
/// swift-metrics), and gauges read from the database when scraped — open cases, running and
/// breached clocks. Each application has its own registry, so several desks in one process (tests)
/// never mix their numbers.
struct DeskMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    private let handles = RequestHandles()

    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(20), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
        ]
        self.factory = factory
    }

    /// Which counter and timer a request is recorded in: its route (nil when none matched), method and status.
    struct RequestKey: Hashable, Sendable {
        let route: ObjectIdentifier?
        let method: String
        let status: UInt
    }

    /// The counter and timer of each key, made once: building them from labels takes the
    /// registry's lock and hashes every label, which every request would pay otherwise.
    private final class RequestHandles: Sendable {
        let byKey = Mutex<[RequestKey: (Metrics.Counter, Metrics.Timer)]>([:])
    }

    func recordRequest(_ key: RequestKey, route: @autoclosure () -> String, nanoseconds: Int64) {
        let (counter, timer) = handles.byKey.withLock { byKey in
            if let known = byKey[key] { return known }
            let label = route()
            let made = (
                Metrics.Counter(label: "accord_http_requests_total", dimensions: [("method", key.method), ("route", label), ("status", String(key.status))],
                        factory: factory),
                Metrics.Timer(label: "accord_http_request_duration_seconds", dimensions: [("method", key.method), ("route", label)], factory: factory)
            )
            byKey[key] = made
            return made
        }
        counter.increment()
        timer.recordNanoseconds(nanoseconds)
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
        let route = request.route
        let nanoseconds = elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
        metrics.recordRequest(.init(route: route.map(ObjectIdentifier.init), method: request.method.rawValue, status: response.status.code),
                              route: route.map { "/" + $0.path.map(\.description).joined(separator: "/") } ?? "unmatched",
                              nanoseconds: nanoseconds)
        return response
    }
}
