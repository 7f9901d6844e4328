import Vapor

/// Headers every response carries: no content sniffing, no referrer, no framing, a strict
/// Content-Security-Policy (HTML is the desk's own, with its own scripts and styles only), and
/// `Cache-Control: no-store` on anything under `/api` — which carries tokens or personal data —
/// so no proxy or browser cache keeps it. With TLS, `Strict-Transport-Security` too.
struct SecurityHeaders: AsyncMiddleware {
    /// Whether the desk is served over TLS (or told it is behind a TLS proxy).
    let tls: Bool

    static let contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        for (name, value) in Self.headers(path: request.url.path, tls: tls) { response.headers.replaceOrAdd(name: name, value: value) }
        return response
    }

    /// The headers for a response to `path`.
    static func headers(path: String, tls: Bool) -> [(String, String)] {
        var result: [(String, String)] = [
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "no-referrer"),
            ("X-Frame-Options", "DENY"),
            ("Content-Security-Policy", contentSecurityPolicy),
        ]
        if path.hasPrefix("/api/") || path == "/metrics" { result.append(("Cache-Control", "no-store")) }
        if tls { result.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains")) }
        return result
    }
}
