import AccordServer
import AccordStore
import Foundation
import Testing

/// Signing in to the web desk: invitations, passwords, sessions shared through the database,
/// their cookies, limits and form tokens, and throttled guessing — over HTTP, as a browser does it.
@Suite("Web sign-in")
struct SignInTests {
    static let start = "2026-03-02T09:00:00Z"
    static let password = "correct horse battery staple"

    /// A customer's person with a password set through an invitation; returns their id and a signed-in browser.
    static func invitedCustomer(_ desk: DeskHarness, email: String = "ann@acme.test") async throws -> (id: String, browser: WebClient) {
        let organization = try await desk.organization("plex", plan: "gold", region: "global", prefix: "ACME")
        let (id, _) = try await desk.person(in: organization, email: email, role: "authorized-contact")
        let invitation = try await desk.call(.POST, "/api/v1/people/\(id)/invitations", token: desk.adminToken)
        #expect(invitation.status == .created, "\(invitation.json)")
        let link = try #require(invitation.string["link"])
        let browser = WebClient(desk)
        let form = try await browser.get(link)
        #expect(form.status == .ok)
        #expect(form.text.contains("Set your password"))
        let accepted = try await browser.post(link, [("password", password), ("confirmation", password)])
        #expect(accepted.status == .seeOther)
        return (id, browser)
    }

    @Test("an invitation link sets the password once, signs the person in, and stops working", arguments: TestDatabase.all)
    func invitation(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: Self.start, on: database) { desk in
            let organization = try await desk.organization("plex", plan: "gold", region: "global", prefix: "ACME")
            let (id, _) = try await desk.person(in: organization, email: "ann@acme.test", role: "authorized-contact")
            let invitation = try await desk.call(.POST, "/api/v1/people/\(id)/invitations", token: desk.adminToken)
            #expect(invitation.status == .created)
            #expect(invitation.string["expiresAt"] == "2026-03-05T09:00:00Z", "72 hours by default")
            let link = try #require(invitation.string["link"])
            #expect(invitation["url"] == nil, "no --public-url: the path only")

            let browser = WebClient(desk)
            _ = try await browser.get(link)
            // The rule, each refusal next to the form, nothing stored.
            for (password, words) in [("short one", "at least 12 characters"), ("aaaaaaaaaaaaaaaa", "at least 4 different characters"),
                                      ("ann@acme.test", "must not be your email"), (String(repeating: "é", count: 40), "at most 72 bytes")] {
                let refused = try await browser.post(link, [("password", password), ("confirmation", password)])
                #expect(refused.status == .unprocessableEntity, "\(password)")
                #expect(refused.text.contains(words), "\(password): \(refused.text)")
            }
            let mismatch = try await browser.post(link, [("password", Self.password), ("confirmation", Self.password + "!")])
            #expect(mismatch.status == .unprocessableEntity)
            #expect(mismatch.text.contains("The two passwords differ"))

            let accepted = try await browser.post(link, [("password", Self.password), ("confirmation", Self.password)])
            #expect(accepted.status == .seeOther)
            let cookie = try #require(accepted.setCookies["accord_session"])
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"))
            #expect(!cookie.contains("Secure"), "plain HTTP: a Secure cookie would never come back")
            let home = try await browser.get("/")
            #expect(home.status == .seeOther && home.location == "/portal/cases")

            // Used: the link is dead, for this browser and any other.
            let again = try await WebClient(desk).get(link)
            #expect(again.status == .notFound)
            #expect(again.text.contains("used already, it expired, or a newer invitation replaced it"))
            let history = try await desk.call(.GET, "/api/v1/people/\(id)/history", token: desk.adminToken)
            let kinds = (history["items"] as? [[String: Any]])?.compactMap { $0["kind"] as? String } ?? []
            #expect(kinds.suffix(2) == ["invited", "password-set"])
        }
    }

    @Test("an invitation expires, and a newer one replaces it", arguments: TestDatabase.all)
    func invitationExpiry(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: Self.start, on: database) { desk in
            let organization = try await desk.organization("plex", plan: "gold", region: "global", prefix: "ACME")
            let (id, _) = try await desk.person(in: organization, email: "ann@acme.test", role: "user")
            let first = try #require(try await desk.call(.POST, "/api/v1/people/\(id)/invitations", token: desk.adminToken).string["link"])
            let second = try #require(try await desk.call(.POST, "/api/v1/people/\(id)/invitations", token: desk.adminToken).string["link"])
            #expect(try await WebClient(desk).get(first).status == .notFound, "replaced by the second")
            desk.set("2026-03-05T08:59:59Z")
            #expect(try await WebClient(desk).get(second).status == .ok)
            desk.set("2026-03-05T09:00:00Z")
            #expect(try await WebClient(desk).get(second).status == .notFound, "expired at 72 hours")
            // Customers cannot invite; a customer's person cannot be found by a guess either.
            let (_, userToken) = try await desk.person(in: organization, email: "bob@acme.test", role: "authorized-contact")
            #expect(try await desk.call(.POST, "/api/v1/people/\(id)/invitations", token: userToken).status == .forbidden)
            #expect(try await desk.call(.POST, "/api/v1/people/\(UUID())/invitations", token: desk.adminToken).status == .notFound)
        }
    }

    @Test("a password signs in; a wrong one says only that email or password is not right; signing out ends the session", arguments: TestDatabase.all)
    func signInAndOut(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: Self.start, on: database) { desk in
            let (id, invited) = try await Self.invitedCustomer(desk)
            _ = invited
            let browser = WebClient(desk)
            let wrong = try await browser.signIn("ann@acme.test", "not the password at all")
            #expect(wrong.status == .unauthorized)
            #expect(wrong.text.contains("The email address or the password is not right"))
            let unknown = try await browser.signIn("nobody@acme.test", Self.password)
            #expect(unknown.status == .unauthorized)
            #expect(unknown.text.contains("The email address or the password is not right"), "the same words: no telling which emails exist")
            let empty = try await browser.signIn("", "")
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.text.contains("Enter your email address"))

            let signedIn = try await browser.signIn("ANN@acme.test", Self.password)
            #expect(signedIn.status == .seeOther && signedIn.location == "/portal/cases", "emails match whatever their case")
            let store = DeskStore(database: desk.app.db)
            #expect(try await store.sessionCount(of: UUID(uuidString: id)!) == 2, "the invitation's and this one")

            // Back to where the visitor was going; never to another site.
            let elsewhere = WebClient(desk)
            let asked = try await elsewhere.get("/account")
            #expect(asked.status == .seeOther && asked.location == "/sign-in?next=/account")
            _ = try await elsewhere.get("/sign-in?next=/account")
            let back = try await elsewhere.post("/sign-in", [("email", "ann@acme.test"), ("password", Self.password), ("next", "/account")])
            #expect(back.location == "/account")
            let evil = WebClient(desk)
            _ = try await evil.get("/sign-in")
            let offsite = try await evil.post("/sign-in", [("email", "ann@acme.test"), ("password", Self.password), ("next", "//evil.example/x")])
            #expect(offsite.location == "/portal/cases")

            _ = try await browser.get("/account")
            let before = try await store.sessionCount(of: UUID(uuidString: id)!)
            let out = try await browser.post("/sign-out", [])
            #expect(out.status == .seeOther && out.location == "/sign-in")
            #expect(browser.cookies["accord_session"] == nil, "the cookie is expired")
            #expect(try await store.sessionCount(of: UUID(uuidString: id)!) == before - 1, "only this browser's session ended")
        }
    }

    @Test("a form without its session's token is refused, and so is a sign-in form from another site", arguments: TestDatabase.all)
    func formTokens(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: Self.start, on: database) { desk in
            let (_, browser) = try await Self.invitedCustomer(desk)
            let forged = try await browser.post("/sign-out", [], csrf: false)
            #expect(forged.status == .forbidden)
            #expect(forged.text.contains("This form has expired"))
            let wrong = try await browser.post("/sign-out", [("_csrf", "0123456789abcdef")])
            #expect(wrong.status == .forbidden)
            #expect(try await browser.get("/").status == .seeOther, "still signed in")
            #expect(try await browser.get("/").location == "/portal/cases")

            // Login CSRF: a sign-in posted from elsewhere carries no form cookie of this desk.
            let fresh = WebClient(desk)
            let refused = try await fresh.post("/sign-in", [("email", "ann@acme.test"), ("password", Self.password), ("_csrf", "abc")])
            #expect(refused.status == .forbidden)
            #expect(fresh.cookies["accord_session"] == nil)
        }
    }

    @Test("a session ends after its idle time and at its absolute limit", arguments: TestDatabase.all)
    func sessionLimits(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: Self.start, on: database) { desk in
            let (id, browser) = try await Self.invitedCustomer(desk)
            // A session opened and never used again.
            #expect(try await WebClient(desk).signIn("ann@acme.test", Self.password).status == .seeOther)
            // Idle: 2 hours without a request.
            desk.set("2026-03-02T10:59:59Z")
            #expect(try await browser.get("/").location == "/portal/cases")
            desk.set("2026-03-02T12:59:58Z")
            #expect(try await browser.get("/").location == "/portal/cases", "each request keeps it alive")
            desk.set("2026-03-02T15:00:00Z")
            let idle = try await browser.get("/account")
            #expect(idle.location == "/sign-in?next=/account&expired=1")
            #expect(browser.cookies["accord_session"] == nil, "the dead cookie is cleared")
            let page = try await browser.get("/sign-in?next=/account&expired=1")
            #expect(page.text.contains("Your session ended"))

            // Absolute: 12 hours from signing in, however busy.
            let busy = WebClient(desk)
            desk.set("2026-03-02T16:00:00Z")
            #expect(try await busy.signIn("ann@acme.test", Self.password).status == .seeOther)
            #expect(try await DeskStore(database: desk.app.db).sessionCount(of: UUID(uuidString: id)!) == 1,
                    "ended sessions are forgotten as new ones open, also those never presented again")
            for hour in 17...27 {
                desk.set("2026-03-0\(hour >= 24 ? 3 : 2)T\(String(format: "%02d", hour % 24)):00:00Z")
                #expect(try await busy.get("/").location == "/portal/cases", "hour \(hour)")
            }
            desk.set("2026-03-03T04:00:00Z")
            #expect(try await busy.get("/").location?.hasPrefix("/sign-in") == true, "12 hours after signing in")
        }
    }

    @Test("failed sign-ins are limited per account from any address, and the account opens again as its bucket refills", arguments: TestDatabase.all)
    func throttling(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: Self.start, on: database) { desk in
            _ = try await Self.invitedCustomer(desk)
            let browser = WebClient(desk)
            for attempt in 1...10 {
                #expect(try await browser.signIn("ann@acme.test", "guess number \(attempt) here").status == .unauthorized, "attempt \(attempt)")
            }
            let blocked = try await browser.signIn("ann@acme.test", Self.password)
            #expect(blocked.status == .tooManyRequests, "even the right password: the account is blocked")
            #expect(blocked.text.contains("too many failed sign-ins for this account: try again in 90 seconds"))
            #expect(blocked.headers.first(name: "Retry-After") == "90")
            // Another account from the same address is not blocked by this one.
            desk.set("2026-03-02T09:00:30Z")
            #expect(try await browser.signIn("bob@acme.test", "whatever it is now").status == .unauthorized)
            desk.set("2026-03-02T09:01:31Z")
            #expect(try await browser.signIn("ann@acme.test", Self.password).status == .seeOther, "one attempt back after 90 s")
        }
    }

    @Test("deactivating a person ends their sessions; a new password ends the others'", arguments: TestDatabase.all)
    func endingSessions(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: Self.start, on: database) { desk in
            let (id, browser) = try await Self.invitedCustomer(desk)
            let other = WebClient(desk)
            try await other.signIn("ann@acme.test", Self.password)
            let deactivated = try await desk.call(.POST, "/api/v1/people/\(id)/deactivation", token: desk.adminToken, body: #"{"reason":"left"}"#)
            #expect(deactivated.status == .ok)
            #expect(try await browser.get("/").location?.hasPrefix("/sign-in") == true)
            #expect(try await other.get("/").location?.hasPrefix("/sign-in") == true)
            #expect(try await WebClient(desk).signIn("ann@acme.test", Self.password).status == .unauthorized, "deactivated people cannot sign in")
        }
    }

    /// Two servers of one desk share sessions through the database: signed in on one, a browser is
    /// signed in on the other; signing out on the other ends it on both; failed sign-ins of an
    /// account count on both together.
    @Test(arguments: TestDatabase.all) func serversOfOneDeskShareSessions(_ database: TestDatabase) async throws {
        try await DeskHarness.runTwo(at: Self.start, on: database) { first, second in
            let (_, onFirst) = try await Self.invitedCustomer(first)
            let onSecond = WebClient(second)
            for (name, value) in onFirst.cookies { onSecond.setCookie(name, value) }
            let page = try await onSecond.get("/account")
            #expect(page.status == .ok, "the session made on the first server opens pages on the second")
            #expect(page.text.contains("ann@acme.test"))
            #expect(try await onSecond.post("/sign-out", []).status == .seeOther)
            #expect(try await onFirst.get("/account").location?.hasPrefix("/sign-in") == true, "signed out on one, signed out on both")
            // Five failures on each server: the account's ten are used up on both together.
            for attempt in 0..<10 {
                let desk = attempt.isMultiple(of: 2) ? first : second
                #expect(try await WebClient(desk).signIn("ann@acme.test", "wrong guess \(attempt) here").status == .unauthorized)
            }
            #expect(try await WebClient(first).signIn("ann@acme.test", Self.password).status == .tooManyRequests)
            #expect(try await WebClient(second).signIn("ann@acme.test", Self.password).status == .tooManyRequests)
        }
    }

    /// Behind TLS (here: told it is behind a TLS proxy) the cookies are `Secure` with the `__Host-`
    /// prefix, so no other host or path may set them and they never travel in clear.
    @Test func behindTLSTheCookiesAreSecureHostCookies() async throws {
        try await DeskHarness.run(at: Self.start, configure: { $0.behindTLSProxy = true }) { desk in
            let organization = try await desk.organization("plex", plan: "gold", region: "global", prefix: "ACME")
            let (id, _) = try await desk.person(in: organization, email: "ann@acme.test", role: "user")
            try await DeskStore(database: desk.app.db).setPassword(of: UUID(uuidString: id)!, hash: try Passwords(cost: 4).hash(Self.password), by: nil, at: desk.clock.now())
            let browser = WebClient(desk)
            let form = try await browser.get("/sign-in")
            let formCookie = try #require(form.setCookies["__Host-accord_form"])
            #expect(formCookie.contains("Secure") && formCookie.contains("HttpOnly") && formCookie.contains("SameSite=Strict") && formCookie.contains("Path=/"))
            let signedIn = try await browser.post("/sign-in", [("email", "ann@acme.test"), ("password", Self.password)])
            #expect(signedIn.status == .seeOther)
            let session = try #require(signedIn.setCookies["__Host-accord_session"])
            #expect(session.contains("Secure") && session.contains("HttpOnly") && session.contains("SameSite=Lax") && session.contains("Path=/"))
            #expect(!session.contains("Domain="), "a __Host- cookie names no domain")
            #expect(session.contains("Max-Age=43200"), "as long as the session may last: 12 hours")
            #expect(try await browser.get("/account").status == .ok)
        }
    }
}
