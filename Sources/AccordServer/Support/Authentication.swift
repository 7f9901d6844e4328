import AccordStore
import Vapor

/// Resolves `Authorization: Bearer …` to a person; every /api route requires it.
struct BearerAuthentication: AsyncMiddleware {
    let store: @Sendable (Request) -> DeskStore

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let bearer = request.headers.bearerAuthorization else {
            throw Abort(.unauthorized, reason: "send a token: Authorization: Bearer <token> (create one with 'accord token create')")
        }
        guard let person = try await store(request).person(forToken: bearer.token) else {
            throw Abort(.unauthorized, reason: "the token is not valid")
        }
        request.storage[CallerKey.self] = person
        return try await next.respond(to: request)
    }
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
