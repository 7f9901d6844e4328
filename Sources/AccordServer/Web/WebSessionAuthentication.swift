import AccordStore
import Vapor

/// Resolves the session cookie of a web page request to its session and person; pages that need
/// someone signed in ask `request.webSession`, which sends a visitor without one to sign in. A
/// cookie whose session has ended is cleared in the answer, whatever the page answered.
struct WebSessionAuthentication: AsyncMiddleware {
    let store: @Sendable (Request) -> DeskStore
    let cookie: SessionCookie
    let limits: SessionLimits
    let now: @Sendable () -> Date

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        var expiredCookie = false
        if let secret = request.cookies[cookie.sessionName]?.string, !secret.isEmpty {
            if let session = try await store(request).session(secret: secret, limits: limits, at: now()) {
                request.storage[WebSessionKey.self] = session
                request.storage[CallerKey.self] = session.person
            } else {
                expiredCookie = true
            }
        }
        let response = try await next.respond(to: request)
        if expiredCookie, response.cookies[cookie.sessionName] == nil {
            response.cookies[cookie.sessionName] = cookie.expired()
        }
        return response
    }
}

/// Every form post of a signed-in person must carry their session's form token (CSRF), compared
/// in constant time; the body is read first, up to `maxBodySize` — a larger one is refused
/// before it is read. Forms with files are the exception: `WebUploads` reads them as they stream.
struct FormTokenCheck: AsyncMiddleware {
    /// Largest form post collected here.
    let maxBodySize: Int

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // A form that may carry files, sent with them, is read as it streams in by its route,
        // which checks the token before storing anything (`WebUploads`).
        if WebUploads.carriesFiles(request), request.headers.contentType?.type == "multipart" {
            return try await next.respond(to: request)
        }
        if request.method == .POST {
            if let length = request.headers.first(name: .contentLength).flatMap(Int.init), length > maxBodySize {
                throw Abort(.payloadTooLarge, reason: "the form is larger than \(maxBodySize / 1_048_576) MB in all; send smaller or fewer files")
            }
            _ = try await request.body.collect(max: maxBodySize).get()
            if let session = request.storage[WebSessionKey.self] {
                let sent = (try? request.content.get(String.self, at: "_csrf")) ?? ""
                guard FormToken.same(sent, session.csrfToken) else { throw FormToken.Mismatch() }
            }
        }
        return try await next.respond(to: request)
    }
}

enum WebSessionKey: StorageKey {
    typealias Value = WebSession
}

/// A page that needs someone signed in was asked for without a live session.
struct SignInRequired: Error {
    /// The page to come back to after signing in.
    let next: String
}

extension Request {
    /// The live browser session; without one, the visitor is sent to sign in and back here.
    var webSession: WebSession {
        get throws {
            guard let session = storage[WebSessionKey.self] else {
                throw SignInRequired(next: method == .GET ? url.string : "/")
            }
            return session
        }
    }
}

/// Form tokens: compared without telling by timing how much of a guess was right.
enum FormToken {
    /// A form's token did not match its session's (a forged cross-site post, or a page from an
    /// earlier session).
    struct Mismatch: Error {}

    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count, !x.isEmpty else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }

    /// A fresh random token for a form shown before there is a session.
    static func fresh() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(generator.next() as UInt64, radix: 16) }.joined()
    }
}
