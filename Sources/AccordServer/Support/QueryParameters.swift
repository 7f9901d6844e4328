import Vapor

/// Refuses query parameters a route does not know, and parameters given twice, with a 400 naming
/// them: a misspelt filter (`?stauts=closed`) must not quietly return everything. Runs after
/// routing, so it knows the route; routes not listed take no query parameters at all.
struct QueryParameters: AsyncMiddleware {
    /// The query parameters of each route that takes any, by method and path pattern.
    static let allowed: [String: [String]] = [
        "GET api/v1/cases": ["status", "priority", "organization", "dueBefore", "breached", "assignee", "team", "q", "limit", "cursor", "sort"],
        "GET api/v1/deliveries": ["case", "state", "limit"],
        "GET api/v1/reports/attainment": ReportRoutes.attainmentParameters,
        "GET api/v1/ledgers/:kind": ReportRoutes.ledgerParameters,
        "GET api/v1/organizations/:id/maintenance": ["year"],
        "GET api/v1/queues/:queue": ["limit"],
        "GET api/v1/mail/quarantine": ["limit"],
        "GET api/v1/mail/failing-addresses": ["limit"],
        "POST api/v1/policies": ["publish"],
        "PUT api/v1/templates/:name": ["policy", "language"],
        "DELETE api/v1/templates/:name": ["policy", "language"],
    ]

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let query = request.url.query, !query.isEmpty else { return try await next.respond(to: request) }
        let route = request.route.map { "\($0.method.rawValue) \($0.path.map(\.description).joined(separator: "/"))" } ?? ""
        let known = Self.allowed[route] ?? []
        var seen: Set<String> = []
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let raw = pair.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
            let name = (raw.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? raw)
            guard known.contains(name) else {
                let hint = known.isEmpty ? "this request takes no query parameters" : "parameters: \(known.joined(separator: ", "))"
                throw Problem(.badRequest, "unknown query parameter '\(name)'; \(hint)", field: name)
            }
            guard seen.insert(name).inserted else {
                throw Problem(.badRequest, "the query parameter '\(name)' is given twice; give it once", field: name)
            }
        }
        return try await next.respond(to: request)
    }
}
