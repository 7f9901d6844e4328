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
            let problem = Self.problem(for: error, request: request)
            let response = Response(status: HTTPResponseStatus(statusCode: problem.status))
            try response.content.encode(problem, as: .json)
            response.headers.contentType = HTTPMediaType(type: "application", subType: "problem+json")
            return response
        }
    }

    static func problem(for error: any Error, request: Request) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let error as QueryError:
            return Problem(.unprocessableEntity, error.description, field: Self.field(of: error))
        case StoreError.notFound(let what):
            return Problem(.notFound, "\(what) does not exist or is not visible to you")
        case StoreError.conflict(let detail), StoreError.limit(let detail):
            return Problem(.conflict, detail)
        case let error as SubscriptionError:
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
