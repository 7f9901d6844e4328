import AccordCore
import AccordStore
import BusinessTime
import Foundation
import Vapor

/// `GET /api/v1/reports/attainment`: the attainment of a period's clocks, cut as asked — as JSON,
/// or as CSV with `format=csv` (one line per row, then the totals). `GET /api/v1/ledgers/vulnerabilities`
/// and `…/defects`: every vulnerability's patch clock and every confirmed defect's rectification
/// clock, overdue first (JSON or CSV).
struct ReportRoutes: RouteCollection {
    let service: @Sendable (Request) -> CaseService

    /// The query parameters of the attainment report: the period, the cuts, one filter per cut.
    static let attainmentParameters = AttainmentQuery.parameters.map(\.0) + AttainmentCut.allCases.map(\.rawValue) + ["format"]

    /// The query parameters of a ledger.
    static let ledgerParameters = ["organization", "state", "format"]

    func boot(routes: any RoutesBuilder) throws {
        routes.get("reports", "attainment", use: attainment)
        routes.get("ledgers", ":kind", use: ledger)
        routes.get("organizations", ":id", "reviews", ":period", use: review)
    }

    /// A customer's service review of a period, prepared now (staff).
    func review(_ request: Request) async throws -> ServiceReview {
        guard let id = request.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw Problem(.notFound, "no organization has that id") }
        return try await service(request).review(of: id, period: request.parameters.get("period") ?? "", for: try request.caller)
    }

    func ledger(_ request: Request) async throws -> Response {
        guard let kind = request.parameters.get("kind").flatMap(LedgerKind.init(rawValue:)) else {
            throw Problem(.notFound, "ledgers: \(LedgerKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let state = (try? request.query.get(String.self, at: "state")) ?? "open"
        guard ["open", "all"].contains(state) else { throw Problem(.badRequest, "state must be open or all, not '\(state)'", field: "state") }
        let csv = try Self.wantsCSV(request)
        let service = service(request)
        let entries = try await service.ledger(kind, organization: try? request.query.get(String.self, at: "organization"), all: state == "all",
                                               for: try request.caller)
        let view = LedgerView(kind: kind, asOf: service.now(), entries: entries)
        if csv { return CSVText.response(view.csv, filename: "\(kind.rawValue).csv") }
        let response = Response(status: .ok)
        try response.content.encode(view, as: .json)
        return response
    }

    /// Whether `format` asks for CSV (`csv`) rather than JSON (`json`, the default); anything else is refused.
    static func wantsCSV(_ request: Request) throws -> Bool {
        let format = (try? request.query.get(String.self, at: "format")) ?? "json"
        guard ["json", "csv"].contains(format) else { throw Problem(.badRequest, "format must be json or csv, not '\(format)'", field: "format") }
        return format == "csv"
    }

    func attainment(_ request: Request) async throws -> Response {
        var query = AttainmentQuery()
        for (name, keyPath) in AttainmentQuery.parameters {
            query[keyPath: keyPath] = try? request.query.get(String.self, at: name)
        }
        for cut in AttainmentCut.allCases {
            if let value = try? request.query.get(String.self, at: cut.rawValue) { query.only[cut] = value }
        }
        let csv = try Self.wantsCSV(request)
        let report = try await service(request).attainment(query, for: try request.caller, listing: csv ? nil : AttainmentView.breachesShown)
        if csv { return CSVText.response(AttainmentTable(report).csv, filename: "attainment.csv") }
        let response = Response(status: .ok)
        try response.content.encode(AttainmentView(report), as: .json)
        return response
    }
}

/// An attainment report as the API answers it.
struct AttainmentView: Content {
    struct Row: Content {
        /// The row's value of each cut asked for (absent where the cases have none, such as no team yet).
        let cuts: [String: String]
        let metric: String
        let agreement: String
        let withTarget: Int
        let met: Int
        let breached: Int
        let running: Int
        let breachedRunning: Int
        let notStarted: Int
        let cancelled: Int
        let outOfScope: Int
        let withoutTarget: Int
        /// Met as a percentage of the decided (met, breached, breached while running); absent with none.
        let attainment: Double?
        let time: [Time]
        /// The first `breachesShown` breached cases, in case-number order.
        let breaches: [Breach]
        /// How many more breached cases the row has than it lists (the CSV lists every one).
        let moreBreaches: Int
    }

    /// The breached cases a row lists at most: a year of a large desk has tens of thousands.
    static let breachesShown = 100

    /// Time used by the decided clocks of one measure, in seconds.
    struct Time: Content {
        let measure: String
        let count: Int
        let median: Int64
        let p90: Int64
        let max: Int64
    }

    /// A breached case, and where its deadline is explained.
    struct Breach: Content {
        let id: UUID
        let number: String
        let explanation: String
    }

    let from: String
    let to: String
    let zone: String
    let asOf: String
    let by: [String]
    let rows: [Row]
    let totals: [Row]
    /// Names of the cut values that are ids or codes, by cut and value.
    let names: [String: [String: String]]

    init(_ report: AttainmentReport) {
        from = ISO8601.utc(CaseService.seconds(report.from))
        to = ISO8601.utc(CaseService.seconds(report.to))
        zone = report.zone
        asOf = ISO8601.utc(CaseService.seconds(report.asOf))
        by = report.report.cuts.map(\.rawValue)
        let cuts = report.report.cuts
        func row(_ row: Attainment.Row) -> Row {
            var values: [String: String] = [:]
            for (cut, value) in zip(cuts, row.key) where !value.isEmpty { values[cut.rawValue] = value }
            return Row(cuts: values, metric: row.metric, agreement: row.agreement.rawValue, withTarget: row.withTarget, met: row.met,
                       breached: row.breached, running: row.running, breachedRunning: row.breachedRunning, notStarted: row.notStarted,
                       cancelled: row.cancelled, outOfScope: row.outOfScope, withoutTarget: row.withoutTarget,
                       attainment: row.attainment.map { ($0 * 10).rounded() / 10 },
                       time: row.times.map { Time(measure: $0.measure.rawValue, count: $0.count, median: $0.median, p90: $0.p90, max: $0.max) },
                       breaches: row.breaches.prefix(Self.breachesShown).compactMap { id in
                           UUID(uuidString: id).map { Breach(id: $0, number: report.numbers[id] ?? "", explanation: "/api/v1/cases/\($0.uuidString.lowercased())/clocks/\(row.metric)/explanation") }
                       },
                       moreBreaches: max(0, row.breachCount - Self.breachesShown))
        }
        rows = report.report.rows.map(row)
        totals = report.report.totals.map(row)
        names = Dictionary(uniqueKeysWithValues: report.names.map { ($0.key.rawValue, $0.value) })
    }
}
