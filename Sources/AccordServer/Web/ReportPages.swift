import AccordCore
import AccordStore
import BusinessTime
import Foundation
import Vapor

/// `/console/reports/attainment` (staff) and `/portal/reports/attainment` (a customer's authorized
/// contacts): the attainment report in a page — a form of period, zone, cuts and filters, the table
/// with each breach linked to its case, and the same report as CSV (`…/attainment.csv`). All
/// through `CaseService.attainment`, as the API.
struct ReportPages: RouteCollection {
    let service: @Sendable (Request) -> CaseService
    let pages: PageRenderer

    func boot(routes: any RoutesBuilder) throws {
        for area in ["console", "portal"] {
            routes.get(.constant(area), "reports", "attainment", use: page)
            routes.get(.constant(area), "reports", "attainment.csv", use: csv)
        }
    }

    /// Where the person's reports live: staff in the console, customers in the portal.
    static func base(for person: Person) -> String {
        person.role.isStaff ? "/console/reports/attainment" : "/portal/reports/attainment"
    }

    static func ledgers(for person: Person) -> String {
        person.role.isStaff ? "/console/reports" : "/portal/reports"
    }

    struct Choice: Encodable, Sendable {
        let value: String
        let text: String
        let selected: Bool
    }

    struct Form: Encodable, Sendable {
        let period: String
        let from: String
        let to: String
        let zone: String
        let cuts: [Choice]
        let priority: String
        let metric: String
        /// The one customer reported on (from the customer's page), kept by the form.
        let customer: String
    }

    struct Content: Encodable, Sendable {
        let base: String
        /// Where the ledgers' pages are (`/console/reports` or `/portal/reports`).
        let ledgers: String
        /// A customer's own maintenance year (authorized contacts; staff reach it per customer).
        let maintenance: String?
        let form: Form
        let problem: String?
        let report: Shown?
    }

    struct Shown: Encodable, Sendable {
        let span: String
        let asOf: String
        let headers: [String]
        let rows: [Line]
        let totals: [Line]
        let download: String
    }

    struct Line: Encodable, Sendable {
        let cuts: [String]
        let metric: String
        let withTarget: Int
        let met: Int
        let breached: Int
        let running: Int
        let late: Int
        let notStarted: Int
        /// Cancelled, out of scope and without a target, in words ("1 out of scope"); "" for none.
        let apart: String
        let attainment: String?
        /// The attainment bar's filled width, of 60 px.
        let bar: Int
        let times: String
        let breaches: [Link]
        /// Breached cases beyond those linked (the CSV lists every one).
        let moreBreaches: Int
    }

    struct Link: Encodable, Sendable {
        let text: String
        let href: String
    }

    /// The cuts a person may choose: a customer's report is not cut by agent.
    static func cuts(for person: Person) -> [AttainmentCut] {
        AttainmentCut.allCases.filter { person.role.isStaff || $0 != .agent }
    }

    /// The query the page's form (or the CSV link) carries, as `AttainmentQuery` reads it.
    static func query(_ request: Request) -> AttainmentQuery {
        let text = { (name: String) -> String? in
            guard let value = request.query[String.self, at: name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return value
        }
        var query = AttainmentQuery()
        query.period = text("period")
        query.from = text("from")
        query.to = text("to")
        query.zone = text("zone")
        query.metric = text("metric")
        // Checkboxes send one `by` each.
        let by = (try? request.query.get([String].self, at: "by")) ?? text("by").map { [$0] } ?? []
        query.by = by.isEmpty ? nil : by.joined(separator: ",")
        if let priority = text("priority") { query.only[.priority] = priority }
        if let customer = text("customer") { query.only[.customer] = customer }
        return query
    }

    func page(_ request: Request) async throws -> Response {
        let person = try request.webSession.person
        let base = Self.base(for: person)
        guard request.url.path == base else { return request.redirect(to: base) }
        guard person.role.isStaff || person.role == .authorizedContact else {
            throw Problem(.forbidden, "reports are for the provider's staff and a customer's authorized contacts")
        }
        var query = Self.query(request)
        // Days typed in the form's from and to stand for themselves, whatever the period field still says.
        if query.from != nil || query.to != nil { query.period = nil }
        // Without a period asked for: this year so far, by priority.
        if query.period == nil, query.from == nil, query.to == nil {
            query.period = Self.year(of: service(request).now(), in: query.zone)
            if query.by == nil { query.by = "priority" }
        }
        let chosen = Set((query.by ?? "").split(separator: ",").map(String.init))
        let form = Form(period: query.period ?? "", from: query.from ?? "", to: query.to ?? "", zone: query.zone ?? "UTC",
                        cuts: Self.cuts(for: person).map { Choice(value: $0.rawValue, text: Self.label($0), selected: chosen.contains($0.rawValue)) },
                        priority: query.only[.priority] ?? "", metric: query.metric ?? "", customer: query.only[.customer] ?? "")
        do {
            let report = try await service(request).attainment(query, for: person, listing: AttainmentView.breachesShown)
            let content = Content(base: base, ledgers: Self.ledgers(for: person), maintenance: person.role.isStaff ? nil : "/portal/maintenance", form: form, problem: nil, report: Self.shown(report, person: person, download: Self.download(request, base: base)))
            return try await pages.render("report", title: "SLA attainment", content: content, on: request)
        } catch let problem as Problem where problem.status == 400 {
            let content = Content(base: base, ledgers: Self.ledgers(for: person), maintenance: person.role.isStaff ? nil : "/portal/maintenance", form: form, problem: problem.detail, report: nil)
            return try await pages.render("report", title: "SLA attainment", content: content, on: request, status: .badRequest)
        }
    }

    func csv(_ request: Request) async throws -> Response {
        let person = try request.webSession.person
        let report = try await service(request).attainment(Self.query(request), for: person, listing: nil)
        let response = CSVText.response(AttainmentTable(report).csv, filename: "attainment.csv")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    /// The year of `now` in `zone` (UTC when none or unknown), as a report period: this year so far.
    static func year(of now: Date, in zone: String?) -> String {
        let clock = (try? ZoneClock(identifier: zone ?? "UTC")) ?? (try! ZoneClock(identifier: "UTC"))
        return String(clock.date(at: CaseService.seconds(now)).year)
    }

    /// The CSV link: the page's own query on the CSV's path.
    static func download(_ request: Request, base: String) -> String {
        base + ".csv" + (request.url.query.map { "?" + $0 } ?? "")
    }

    static func label(_ cut: AttainmentCut) -> String {
        switch cut {
        case .provider: "Provider"
        case .policy: "Policy"
        case .customer: "Customer"
        case .plan: "Plan"
        case .priority: "Priority"
        case .region: "Region"
        case .team: "Team"
        case .tier: "Tier"
        case .agent: "Agent"
        case .channel: "Channel"
        }
    }

    static func shown(_ report: AttainmentReport, person: Person, download: String) -> Shown {
        let cuts = report.report.cuts
        let caseBase = person.role.isStaff ? "/console/cases/" : "/portal/cases/"
        func line(_ row: Attainment.Row, total: Bool) -> Line {
            let values = cuts.enumerated().map { index, cut in
                total ? (index == 0 ? "All" : "") : row.key[index].isEmpty ? "—" : report.names[cut]?[row.key[index]] ?? row.key[index]
            }
            var apart: [String] = []
            if row.cancelled > 0 { apart.append("\(row.cancelled) cancelled") }
            if row.outOfScope > 0 { apart.append("\(row.outOfScope) out of scope") }
            if row.withoutTarget > 0 { apart.append("\(row.withoutTarget) without a target") }
            let times = row.times.map { time in
                "\(WebFormat.duration(seconds: time.median)) · \(WebFormat.duration(seconds: time.p90)) · \(WebFormat.duration(seconds: time.max))"
                    + (time.measure == .business ? " business" : " elapsed")
            }.joined(separator: "; ")
            // An OLA's row is the provider's own target, told apart from the contract's.
            return Line(cuts: values, metric: row.agreement == .ola ? "\(row.metric) (OLA)" : row.metric, withTarget: row.withTarget, met: row.met, breached: row.breached, running: row.running,
                        late: row.breachedRunning, notStarted: row.notStarted, apart: apart.joined(separator: ", "),
                        attainment: row.attainment.map { String(format: "%.1f %%", $0) }, bar: Int(((row.attainment ?? 0) * 0.6).rounded()),
                        times: times.isEmpty ? "—" : times,
                        breaches: row.breaches.prefix(AttainmentView.breachesShown).map { Link(text: report.numbers[$0] ?? $0, href: caseBase + $0) },
                        moreBreaches: max(0, row.breachCount - AttainmentView.breachesShown))
        }
        let zone = (try? ZoneClock(identifier: report.zone)) ?? (try! ZoneClock(identifier: "UTC"))
        let span = "Cases logged from \(zone.format(CaseService.seconds(report.from))) to \(zone.format(CaseService.seconds(report.to))) (\(report.zone))"
        return Shown(span: span, asOf: zone.format(CaseService.seconds(report.asOf)), headers: cuts.map(label),
                     rows: report.report.rows.map { line($0, total: false) },
                     totals: cuts.isEmpty ? [] : report.report.totals.map { line($0, total: true) }, download: download)
    }
}
