import AccordStore
import Vapor

/// Resolves `Authorization: Bearer …` to a person; every /api route requires it.
struct BearerAuthentication: AsyncMiddleware {
    let store: @Sendable (Request) -> DeskStore
    /// Failed authentication per client address; past its limit the address gets 429.
    let throttle: AuthenticationThrottle
    let now: @Sendable () -> Date

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        request.storage[CallerKey.self] = try await person(for: request)
        return try await next.respond(to: request)
    }

    /// The person whose token the request carries. An address past its limit of failures gets
    /// 429 before any lookup; an unknown token counts as a failure (the first block is logged).
    /// `accepting` may take a token that is no person's (the metrics scraper's): the answer is then
    /// nil. `missing` is what a request without a token is told.
    func person(for request: Request, accepting: (String) -> Bool = { _ in false },
                missing: String = "send a token: Authorization: Bearer <token> (create one with 'accord token create')") async throws -> Person? {
        let address = request.clientAddress
        if let seconds = throttle.retryAfter(address, at: now()) {
            throw Throttled(seconds: seconds)
        }
        guard let bearer = request.headers.bearerAuthorization else {
            throw Abort(.unauthorized, reason: missing)
        }
        if accepting(bearer.token) { return nil }
        guard let person = try await store(request).person(forToken: bearer.token) else {
            // Counted for every server of the desk: spreading guesses over servers gains nothing.
            if try await throttle.recordFailure(from: address, store: store(request), at: now()) {
                request.logger.warning("authentication throttled: \(address) presented more than \(throttle.limit) unknown tokens in a minute")
            }
            throw Abort(.unauthorized, reason: "the token is not valid")
        }
        return person
    }
}

/// Too many of something (failed authentications from an address, uploads under way): 429 with
/// `Retry-After`.
struct Throttled: Error {
    let seconds: Int
    var detail: String?
}

enum CallerKey: StorageKey {
    typealias Value = Person
}

extension Request {
    /// The authenticated caller.
    var caller: Person {
        get throws {
            guard let person = storage[CallerKey.self] else { throw Abort(.unauthorized) }
            return person
        }
    }

    func requireStaff(_ roles: Set<Role> = [.manager, .admin]) throws -> Person {
        let person = try caller
        guard roles.contains(person.role) else {
            throw Abort(.forbidden, reason: "this needs one of the roles \(roles.map(\.rawValue).sorted().joined(separator: ", ")); you are \(person.role.rawValue)")
        }
        return person
    }
}
