import AccordStore
import Foundation
import Vapor

/// `/account`: who you are, the zone times are shown in, your password, and your own API tokens
/// (made and revoked here as through the API: the same store rules).
struct AccountRoutes: RouteCollection {
    let store: @Sendable (Request) -> DeskStore
    let settings: WebSettings
    let cookie: SessionCookie
    let pages: PageRenderer
    let now: @Sendable () -> Date

    func boot(routes: any RoutesBuilder) throws {
        routes.get("account", use: show)
        routes.post("account", "zone", use: setZone)
        routes.post("account", "password", use: changePassword)
        routes.post("account", "tokens", use: createToken)
        routes.post("account", "tokens", ":token", "revoke", use: revokeToken)
    }

    struct AccountContent: Encodable, Sendable {
        var name: String
        var email: String
        var role: String
        var zone: String?
        var zones: [ZoneChoice]
        var tokens: [TokenRow]
        /// A token just made, shown this once.
        var newToken: String?
        var notice: String?
        var passwordProblem: String?
        var tokenProblem: String?
        var sessionEnds: String
    }

    struct ZoneChoice: Encodable, Sendable {
        let id: String
        let selected: Bool
    }

    struct TokenRow: Encodable, Sendable {
        let id: String
        let label: String
        let created: String
    }

    func show(_ request: Request) async throws -> Response {
        let notice: String? = switch request.query[String.self, at: "changed"] {
        case "password"?: "Your password was changed. Your other sessions were signed out."
        case "token"?: "The token was revoked: it opens nothing any more."
        case "zone"?: "Times are now shown in the zone you chose."
        default: nil
        }
        return try await page(request, notice: notice)
    }

    private func page(_ request: Request, status: HTTPResponseStatus = .ok, newToken: String? = nil, notice: String? = nil,
                      passwordProblem: String? = nil, tokenProblem: String? = nil, zoneOverride: String? = nil) async throws -> Response {
        let session = try request.webSession
        let person = session.person
        let format = WebFormat(request)
        let zone = zoneOverride ?? format.viewerZone?.identifier
        let tokens = try await store(request).tokens(of: person.id).map {
            TokenRow(id: $0.id.uuidString, label: $0.label, created: format.time($0.createdAt, contractZone: nil).viewer)
        }
        let content = AccountContent(
            name: person.name, email: person.email, role: PageRenderer.roleName(person.role), zone: zone,
            zones: TimeZone.knownTimeZoneIdentifiers.sorted().map { ZoneChoice(id: $0, selected: $0 == zone) },
            tokens: tokens, newToken: newToken, notice: notice, passwordProblem: passwordProblem, tokenProblem: tokenProblem,
            sessionEnds: format.time(session.expires, contractZone: nil).viewer)
        return try await pages.render("account", title: "Your account", content: content, on: request, status: status)
    }

    struct ZoneForm: Content {
        var zone: String?
    }

    /// The zone pages write times in, kept in a cookie of this browser.
    func setZone(_ request: Request) async throws -> Response {
        _ = try request.webSession
        let form = try request.content.decode(ZoneForm.self)
        guard let name = form.zone, name.count <= 64, TimeZone(identifier: name) != nil else {
            throw Problem(.unprocessableEntity, "zone must be a time zone such as Europe/Copenhagen", field: "zone")
        }
        let response = request.redirect(to: "/account?changed=zone", redirectType: .normal)
        response.cookies[WebFormat.zoneCookie] = HTTPCookies.Value(string: name, maxAge: 31_536_000, path: "/", isSecure: cookie.secure,
                                                                   isHTTPOnly: false, sameSite: .lax)
        return response
    }

    struct PasswordChange: Content {
        var current: String?
        var password: String?
        var confirmation: String?
    }

    /// A new password, given the current one; every other session of the person ends.
    func changePassword(_ request: Request) async throws -> Response {
        let session = try request.webSession
        let person = session.person
        let form = try request.content.decode(PasswordChange.self)
        let store = store(request)
        let candidate = try await store.signInCandidate(email: person.email)
        guard try await settings.passwords.verify(form.current ?? "", against: candidate?.passwordHash, on: request) else {
            return try await page(request, status: .unprocessableEntity, passwordProblem: "Your current password is not right.")
        }
        let password = form.password ?? ""
        if let problem = Passwords.problem(with: password, email: person.email) {
            return try await page(request, status: .unprocessableEntity, passwordProblem: "The new password \(problem).")
        }
        guard password == form.confirmation else {
            return try await page(request, status: .unprocessableEntity, passwordProblem: "The two new passwords differ; type the same password twice.")
        }
        try await store.setPassword(of: person.id, hash: try await settings.passwords.hash(password, on: request), by: person.id, at: now())
        // Every session ended with the old password; this browser goes on in a new one.
        let (secret, renewed) = try await store.openSession(for: person.id, limits: settings.sessionLimits, address: request.clientAddress, at: now())
        let response = request.redirect(to: "/account?changed=password", redirectType: .normal)
        response.cookies[cookie.sessionName] = cookie.session(secret, lifetime: renewed.expires.timeIntervalSince(now()))
        return response
    }

    struct TokenForm: Content {
        var label: String?
    }

    func createToken(_ request: Request) async throws -> Response {
        let person = try request.webSession.person
        let form = try request.content.decode(TokenForm.self)
        let label = (form.label ?? "").trimmingCharacters(in: .whitespaces)
        guard !label.isEmpty, label.count <= 100, !label.contains(where: { $0.isNewline }) else {
            return try await page(request, status: .unprocessableEntity, tokenProblem: "Give the token a label of up to 100 characters, to recognise it by.")
        }
        let secret = try await store(request).issueToken(for: person.id, label: label)
        return try await page(request, status: .created, newToken: secret, notice: "Token “\(label)” made. Copy it now: it is not shown again.")
    }

    func revokeToken(_ request: Request) async throws -> Response {
        let person = try request.webSession.person
        guard let text = request.parameters.get("token"), let id = UUID(uuidString: text),
              try await store(request).revokeToken(id, of: person.id) else {
            throw Problem(.notFound, "you have no such token")
        }
        return request.redirect(to: "/account?changed=token", redirectType: .normal)
    }
}
