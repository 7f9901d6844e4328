import Vapor

/// The browser's cookies for the web desk: the session and, before there is one, the form token
/// of the sign-in and invitation pages. `HttpOnly` and `SameSite=Lax` always; `Secure` with the
/// `__Host-` prefix (no other host or path may set them) when the desk is reached over TLS.
struct SessionCookie: Sendable {
    let secure: Bool

    var sessionName: String { secure ? "__Host-accord_session" : "accord_session" }
    var formName: String { secure ? "__Host-accord_form" : "accord_form" }

    /// The session's cookie, kept by the browser as long as the session can last at most (a
    /// relative `Max-Age`, so a browser whose clock differs from the desk's keeps it as long).
    func session(_ secret: String, lifetime: TimeInterval) -> HTTPCookies.Value {
        HTTPCookies.Value(string: secret, maxAge: max(1, Int(lifetime.rounded(.down))), path: "/", isSecure: secure, isHTTPOnly: true, sameSite: .lax)
    }

    func form(_ token: String) -> HTTPCookies.Value {
        HTTPCookies.Value(string: token, maxAge: 3600, path: "/", isSecure: secure, isHTTPOnly: true, sameSite: .strict)
    }

    /// An instruction to forget a cookie.
    func expired() -> HTTPCookies.Value {
        HTTPCookies.Value(string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: "/", isSecure: secure, isHTTPOnly: true, sameSite: .lax)
    }
}
