import AccordStore
import Crypto
import Foundation
import Vapor

/// Who may read `/metrics`: a scraper with the configured metrics token, or else a manager or
/// administrator with their API token — checked, throttled and logged as every API request is.
/// The numbers say how busy and how late the desk is — not for anyone who can reach the port.
struct MetricsAccess: Sendable {
    let token: String?
    let authentication: BearerAuthentication

    func check(_ request: Request) async throws {
        let scraper = token
        let person = try await authentication.person(
            for: request, accepting: { presented in scraper.map { Self.same(presented, $0) } ?? false },
            missing: "send the metrics token (accord serve --metrics-token-file) or a manager's token: Authorization: Bearer <token>")
        guard let person else { return }
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
