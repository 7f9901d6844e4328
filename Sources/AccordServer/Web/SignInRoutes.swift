import AccordStore
import Vapor

/// Signing in and out, and setting a first password through an invitation link.
struct SignInRoutes: RouteCollection {
    let store: @Sendable (Request) -> DeskStore
    let settings: WebSettings
    let cookie: SessionCookie
    let throttle: SignInThrottle
    let pages: PageRenderer
    let now: @Sendable () -> Date

    func boot(routes: any RoutesBuilder) throws {
        routes.get(use: home)
        routes.get("sign-in", use: signInForm)
        routes.post("sign-in", use: signIn)
        routes.post("sign-out", use: signOut)
        routes.get("invitations", ":secret", use: invitationForm)
        routes.post("invitations", ":secret", use: acceptInvitation)
    }

    /// The start page of the person's role; the sign-in page for a visitor.
    func home(_ request: Request) async throws -> Response {
        let session = try request.webSession
        return request.redirect(to: session.person.role.isStaff ? "/console/queues" : "/portal/cases", redirectType: .normal)
    }

    struct SignInContent: Encodable, Sendable {
        var email = ""
        var next = "/"
        var formToken: String
        var problem: String?
        var expired = false
    }

    func signInForm(_ request: Request) async throws -> Response {
        if request.storage[WebSessionKey.self] != nil { return request.redirect(to: Self.localPath(request.query["next"])) }
        let token = FormToken.fresh()
        let content = SignInContent(next: Self.localPath(request.query["next"]), formToken: token,
                                    expired: request.query["expired"] == "1")
        let response = try await pages.render("sign-in", title: "Sign in", content: content, on: request)
        response.cookies[cookie.formName] = cookie.form(token)
        return response
    }

    struct SignInForm: Content {
        var email: String?
        var password: String?
        var next: String?
        var _csrf: String?
    }

    func signIn(_ request: Request) async throws -> Response {
        let form = try request.content.decode(SignInForm.self)
        let email = (form.email ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let next = Self.localPath(form.next)
        // A sign-in form from another site (login CSRF) has no matching cookie.
        guard FormToken.same(form._csrf ?? "", request.cookies[cookie.formName]?.string ?? "") else { throw FormToken.Mismatch() }
        func again(_ problem: String, status: HTTPResponseStatus) async throws -> Response {
            let token = FormToken.fresh()
            let response = try await pages.render("sign-in", title: "Sign in",
                                                  content: SignInContent(email: String(email.prefix(320)), next: next, formToken: token, problem: problem),
                                                  on: request, status: status)
            response.cookies[cookie.formName] = cookie.form(token)
            return response
        }
        let password = form.password ?? ""
        guard !email.isEmpty, email.count <= 320 else { return try await again("Enter your email address.", status: .unprocessableEntity) }
        guard !password.isEmpty, password.utf8.count <= 1024 else { return try await again("Enter your password.", status: .unprocessableEntity) }
        let store = store(request)
        do {
            try await throttle.check(email: email, on: request, store: store, at: now())
        } catch let throttled as Throttled {
            let response = try await again(throttled.detail ?? "Too many failed sign-ins.", status: .tooManyRequests)
            response.headers.replaceOrAdd(name: .retryAfter, value: String(throttled.seconds))
            return response
        }
        let candidate = try await store.signInCandidate(email: email)
        guard try await settings.passwords.verify(password, against: candidate?.passwordHash, on: request), let person = candidate?.person else {
            try await throttle.fail(email: email, on: request, store: store, at: now())
            return try await again("The email address or the password is not right.", status: .unauthorized)
        }
        let (secret, session) = try await store.openSession(for: person.id, limits: settings.sessionLimits, address: request.clientAddress, at: now())
        let response = request.redirect(to: next == "/" ? (person.role.isStaff ? "/console/queues" : "/portal/cases") : next, redirectType: .normal)
        response.cookies[cookie.sessionName] = cookie.session(secret, lifetime: session.expires.timeIntervalSince(now()))
        response.cookies[cookie.formName] = cookie.expired()
        return response
    }

    func signOut(_ request: Request) async throws -> Response {
        if let secret = request.cookies[cookie.sessionName]?.string { try await store(request).closeSession(secret: secret) }
        let response = request.redirect(to: "/sign-in", redirectType: .normal)
        response.cookies[cookie.sessionName] = cookie.expired()
        return response
    }

    struct InvitationContent: Encodable, Sendable {
        var name: String
        var email: String
        var expires: String
        var formToken: String
        var problem: String?
    }

    func invitationForm(_ request: Request) async throws -> Response {
        let secret = request.parameters.get("secret") ?? ""
        guard let invitation = try await store(request).invitation(secret: secret, at: now()) else { throw Self.deadLink }
        let token = FormToken.fresh()
        let response = try await pages.render("invitation", title: "Set your password",
                                              content: InvitationContent(name: invitation.person.name, email: invitation.person.email,
                                                                         expires: WebFormat(request).time(invitation.expires, contractZone: nil).viewer, formToken: token),
                                              on: request)
        response.cookies[cookie.formName] = cookie.form(token)
        return response
    }

    struct PasswordForm: Content {
        var password: String?
        var confirmation: String?
        var _csrf: String?
    }

    func acceptInvitation(_ request: Request) async throws -> Response {
        let secret = request.parameters.get("secret") ?? ""
        let form = try request.content.decode(PasswordForm.self)
        guard FormToken.same(form._csrf ?? "", request.cookies[cookie.formName]?.string ?? "") else { throw FormToken.Mismatch() }
        let store = store(request)
        guard let invitation = try await store.invitation(secret: secret, at: now()) else { throw Self.deadLink }
        let password = form.password ?? ""
        var problem = Passwords.problem(with: password, email: invitation.person.email).map { "The password \($0)." }
        if problem == nil, password != form.confirmation { problem = "The two passwords differ; type the same password twice." }
        if let problem {
            let token = FormToken.fresh()
            let response = try await pages.render("invitation", title: "Set your password",
                                                  content: InvitationContent(name: invitation.person.name, email: invitation.person.email,
                                                                             expires: WebFormat(request).time(invitation.expires, contractZone: nil).viewer, formToken: token, problem: problem),
                                                  on: request, status: .unprocessableEntity)
            response.cookies[cookie.formName] = cookie.form(token)
            return response
        }
        let hash = try await settings.passwords.hash(password, on: request)
        guard let person = try await store.acceptInvitation(secret: secret, passwordHash: hash, at: now()) else { throw Self.deadLink }
        let (sessionSecret, session) = try await store.openSession(for: person.id, limits: settings.sessionLimits, address: request.clientAddress, at: now())
        let response = request.redirect(to: "/", redirectType: .normal)
        response.cookies[cookie.sessionName] = cookie.session(sessionSecret, lifetime: session.expires.timeIntervalSince(now()))
        response.cookies[cookie.formName] = cookie.expired()
        return response
    }

    static let deadLink = Abort(.notFound, reason: "This invitation link does not work: it was used already, it expired, or a newer invitation replaced it. Ask the person who invited you for a new one.")

    /// `next` when it is a path of this desk; "/" otherwise (never another site: no open redirect).
    static func localPath(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\"), next.count <= 2048,
              !next.contains(where: { $0.isNewline }) else { return "/" }
        return next
    }
}
