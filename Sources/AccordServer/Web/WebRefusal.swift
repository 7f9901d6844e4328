import Vapor

/// A form's refusal as the page shows it: the service's problem (the API's words and status) when
/// the person can act on it; anything else — a 5xx — is not a refusal and goes on up, to the error page.
enum WebRefusal {
    static func problem(_ error: any Error, _ request: Request) throws -> Problem {
        let problem = ProblemMiddleware.problem(for: error, request: request)
        guard problem.status < 500 else { throw error }
        return problem
    }
}
