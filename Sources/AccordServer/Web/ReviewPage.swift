import AccordCore
import AccordStore
import BusinessTime
import Foundation
import Vapor

/// `/console/customers/{id}/reviews/{period}`: a customer's service review as a page the TAM goes
/// through with the customer — every table of `CaseService.review` with charts drawn as inline
/// SVG (attainment per month, backlog by age, cases per priority), printable to PDF from the
/// browser. `/console/customers/{id}/reviews` opens the latest period the plan grants.
struct ReviewPage: RouteCollection {
    let service: @Sendable (Request) -> CaseService
    let pages: PageRenderer

    func boot(routes: any RoutesBuilder) throws {
        routes.get("console", "customers", ":id", "reviews", use: latest)
        routes.get("console", "customers", ":id", "reviews", ":period", use: page)
    }

    struct Content: Encodable, Sendable {
        let review: ServiceReview
        let attainmentChart: String
        let backlogChart: String
        let priorityChart: String
    }

    private func organizationID(_ request: Request) throws -> UUID {
        guard let id = request.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw Problem(.notFound, "no organization has that id") }
        return id
    }

    /// The most recent period of the largest cadence the customer's plan grants.
    func latest(_ request: Request) async throws -> Response {
        let person = try request.webSession.person
        guard person.role.isStaff else { throw Problem(.forbidden, "service reviews are prepared by the provider's staff") }
        let id = try organizationID(request)
        let service = service(request)
        guard let customer = try await service.store.customer(id) else { throw Problem(.notFound, "no organization has that id") }
        let policy = try await service.catalog.current(customer.organization.policyID, store: service.store)
        let today = try policy.day(at: CaseService.seconds(service.now()))
        let granted = CaseService.reviewCadences(customer.organization, policy, on: today)
        guard let cadence = ReviewPeriod.Cadence.allCases.last(where: granted.contains) else {
            throw Problem(.conflict, "\(customer.organization.name)'s plan grants no service reviews")
        }
        let index = switch cadence { case .monthly: today.month; case .quarterly: (today.month + 2) / 3; case .yearly: 1 }
        let period = ReviewPeriod(cadence, year: today.year, index: index)!
        return request.redirect(to: "/console/customers/\(id)/reviews/\(period)")
    }

    func page(_ request: Request) async throws -> Response {
        let person = try request.webSession.person
        let review = try await service(request).review(of: try organizationID(request), period: request.parameters.get("period") ?? "", for: person)
        let months = review.attainmentPerMonth
        let metric = months.first?.metric
        let attainment = BarChart(title: "Attainment per month\(metric.map { " (\($0))" } ?? "")",
                                  bars: months.filter { $0.metric == metric }.map {
                                      .init(label: $0.month, value: $0.attainment ?? 0, text: $0.attainment.map { String(format: "%.1f %%", $0) } ?? "—")
                                  }, scale: 100)
        let backlog = BarChart(title: "Open at the end, by age", bars: review.backlog.map { .init(label: $0.bucket, value: Double($0.cases), text: "\($0.cases)") },
                               scale: nil)
        let priorities = BarChart(title: "Cases logged per priority", bars: review.casesPerPriority.map {
            .init(label: $0.priority, value: Double($0.logged), text: "\($0.logged)")
        }, scale: nil)
        let content = Content(review: review, attainmentChart: attainment.svg, backlogChart: backlog.svg, priorityChart: priorities.svg)
        return try await pages.render("review", title: "Service review \(review.period) · \(review.organizationName)", content: content, on: request)
    }
}
