import Vapor

/// Errors of web pages as pages: a visitor without a session is sent to sign in and back; a form
/// with a stale or forged token is refused with what to do; every other error says what the API
/// would say, in a page with the status the API would give.
struct WebErrors: AsyncMiddleware {
    let pages: PageRenderer

    struct ErrorContent: Encodable, Sendable {
        let status: Int
        let heading: String
        let detail: String
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch let required as SignInRequired {
            var components = URLComponents()
            components.path = "/sign-in"
            components.queryItems = [URLQueryItem(name: "next", value: required.next)]
            if request.cookies.all.keys.contains(where: { $0.hasSuffix("accord_session") }) {
                components.queryItems?.append(URLQueryItem(name: "expired", value: "1"))
            }
            return request.redirect(to: components.string ?? "/sign-in", redirectType: .normal)
        } catch is FormToken.Mismatch {
            return try await page(.forbidden, "This form has expired",
                                  "The form was older than your session, or it was sent from another site. Go back, reload the page and send it again.",
                                  on: request)
        } catch {
            let problem = ProblemMiddleware.problem(for: error, request: request)
            let status = HTTPResponseStatus(statusCode: problem.status)
            let response = try await page(status, status.reasonPhrase, problem.detail, on: request)
            if let throttled = error as? Throttled { response.headers.replaceOrAdd(name: .retryAfter, value: String(throttled.seconds)) }
            return response
        }
    }

    private func page(_ status: HTTPResponseStatus, _ heading: String, _ detail: String, on request: Request) async throws -> Response {
        try await pages.render("error", title: heading, content: ErrorContent(status: Int(status.code), heading: heading, detail: detail),
                               on: request, status: status)
    }
}
