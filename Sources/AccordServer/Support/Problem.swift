import AccordCore
import AccordStore
import Vapor

/// An RFC 9457 problem: every error the API returns has this shape, with `application/problem+json`.
struct Problem: Error, Content {
    var type: String = "about:blank"
    var title: String
    var status: Int
    var detail: String
    /// The request field at fault, when there is one.
    var field: String?
    /// Per-field problems (422 validation).
    var errors: [FieldProblem]?

    struct FieldProblem: Content, Equatable {
        let field: String
        let detail: String
    }

    init(_ status: HTTPResponseStatus, _ detail: String, field: String? = nil, errors: [FieldProblem]? = nil) {
        self.title = status.reasonPhrase
        self.status = Int(status.code)
        self.detail = detail
        self.field = field
        self.errors = errors
    }
}

/// Turns every error into problem+json with the right status; nothing leaks as a bare 500.
struct ProblemMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            var problem = Self.problem(for: error, request: request)
            // No route for this method: if the path has routes for other methods, say which (405 with Allow).
            var allow: [String] = []
            if request.route == nil, problem.status == 404 {
                allow = Self.allowedMethods(for: request.url.path, in: request.application.routes.all)
                if !allow.isEmpty {
                    problem = Problem(.methodNotAllowed, "\(request.method.rawValue) is not supported here; use \(allow.joined(separator: ", "))")
                }
            }
            let response = Response(status: HTTPResponseStatus(statusCode: problem.status))
            try response.content.encode(problem, as: .json)
            response.headers.contentType = HTTPMediaType(type: "application", subType: "problem+json")
            if !allow.isEmpty { response.headers.replaceOrAdd(name: .allow, value: allow.joined(separator: ", ")) }
            if let throttled = error as? Throttled { response.headers.replaceOrAdd(name: .retryAfter, value: String(throttled.seconds)) }
            return response
        }
    }

    /// The methods the routes whose path matches `path` answer (HEAD with GET), in a fixed order.
    static func allowedMethods(for path: String, in routes: [Route]) -> [String] {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var methods: Set<String> = []
        for route in routes where matches(route.path, parts) {
            methods.insert(route.method.rawValue)
            if route.method == .GET { methods.insert("HEAD") }
        }
        let order = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]
        return order.filter(methods.contains) + methods.subtracting(order).sorted()
    }

    private static func matches(_ pattern: [PathComponent], _ parts: [String]) -> Bool {
        var index = 0
        for component in pattern {
            switch component {
            case .catchall: return index < parts.count
            case .constant(let text):
                guard index < parts.count, parts[index] == text else { return false }
            case .parameter, .anything:
                guard index < parts.count else { return false }
            }
            index += 1
        }
        return index == parts.count
    }

    static func problem(for error: any Error, request: Request) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let throttled as Throttled:
            return Problem(.tooManyRequests, throttled.detail ?? "too many failed authentications from your address: try again in \(throttled.seconds) s")
        case let error as QueryError:
            return Problem(.unprocessableEntity, error.description, field: Self.field(of: error))
        case StoreError.notFound(let what):
            return Problem(.notFound, "\(what) does not exist or is not visible to you")
        case StoreError.conflict(let detail), StoreError.limit(let detail):
            return Problem(.conflict, detail)
        case let error as SubscriptionError:
            // A new term's dates wrong as asked: 422 on the field; a change the subscription's state forbids: 409.
            if let field = error.field { return Problem(.unprocessableEntity, error.description, field: field) }
            return Problem(.conflict, error.description)
        case StoreError.staleVersion:
            return Problem(.preconditionFailed, "the case changed since you read it: fetch it again and retry with its new ETag")
        case let abort as any AbortError:
            return Problem(abort.status, abort.reason)
        default:
            request.logger.report(error: error)
            return Problem(.internalServerError, "an unexpected error occurred; it has been logged")
        }
    }

    private static func field(of error: QueryError) -> String {
        switch error {
        case .unknown(let field, _, _), .missing(let field, _), .invalid(let field, _, _), .notApplicable(let field, _): field
        }
    }
}
