import AccordStore
import Crypto
import Foundation
import Vapor

/// Who may read `/metrics`: a scraper with the configured metrics token, or else a manager or
/// administrator with their API token. The numbers say how busy and how late the desk is — not for
/// anyone who can reach the port.
struct MetricsAccess: Sendable {
    let token: String?
    let store: @Sendable (Request) -> DeskStore
    let throttle: AuthenticationThrottle
    let now: @Sendable () -> Date

    func check(_ request: Request) async throws {
        let address = request.remoteAddress?.ipAddress ?? "unknown"
        if let seconds = throttle.retryAfter(address, at: now()) { throw Throttled(seconds: seconds) }
        guard let bearer = request.headers.bearerAuthorization else {
            throw Abort(.unauthorized, reason: "send the metrics token (accord serve --metrics-token-file) or a manager's token: Authorization: Bearer <token>")
        }
        if let token, Self.same(bearer.token, token) { return }
        guard let person = try await store(request).person(forToken: bearer.token) else {
            _ = throttle.fail(address, at: now())
            throw Abort(.unauthorized, reason: "the token is not valid")
        }
        guard person.role == .manager || person.role == .admin else {
            throw Abort(.forbidden, reason: "the metrics are for managers, administrators and the metrics scraper")
        }
    }

    /// Compares in constant time (by their digests), so the comparison leaks nothing of the token.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = SHA256.hash(data: Data(a.utf8)), y = SHA256.hash(data: Data(b.utf8))
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
