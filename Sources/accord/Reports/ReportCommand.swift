import ArgumentParser
import Foundation

/// `accord report …`: the desk's reports, through its API — the same numbers the web desk shows.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Reports of a running desk: SLA attainment, the vulnerability and defect ledgers, a customer's maintenance year, service reviews.",
        subcommands: [AttainmentCommand.self, LedgerCommand.self, MaintenanceCommand.self, ReviewCommand.self])

    /// `lines` as columns two spaces apart, each as wide as its widest cell (the first line the header).
    static func aligned(_ lines: [[String]]) -> [String] {
        let widths = lines[0].indices.map { column in lines.map { $0[column].count }.max() ?? 0 }
        return lines.map { line in
            zip(line, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
    }
}

/// `accord report attainment`: met, breached and running clocks of a period's cases, cut as asked.
struct AttainmentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attainment",
        abstract: "SLA attainment of the cases logged in a period, per metric and the cuts asked for.",
        discussion: """
            Counts every clock of the cases logged in the period as it stands now: with a target, met, \
            breached, running, breached while running, not started, and apart from those cancelled, out \
            of scope and without a target; attainment is met ÷ (met + breached + breached while running). \
            Times are the decided clocks' median, p90 and max, pauses excluded, in the contract's measure.

            accord report attainment --period 2026-Q3 --by customer,priority
            accord report attainment --from 2026-07-01 --to 2026-10-01 --zone Europe/Copenhagen --only priority=critical --format csv
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, csv, json
    }

    @Option(help: "A month (2026-09), a quarter (2026-Q3) or a year (2026), read in --zone.") var period: String?
    @Option(help: "The period's first day (2026-07-01) or instant with offset; with --to.") var from: String?
    @Option(help: "The first day (or instant) after the period.") var to: String?
    @Option(help: "The IANA zone days are read in (default UTC).") var zone: String?
    @Option(help: "Cuts, comma-separated: provider, policy, customer, plan, priority, region, team, tier, agent, channel.") var by: String?
    @Option(help: "Only one value of a cut, as CUT=VALUE (customer and agent by id); repeatable.") var only: [String] = []
    @Option(help: "Only one metric's clocks.") var metric: String?
    @Option(help: "table (default), csv or json.") var format: Format = .table
    @OptionGroup var desk: DeskConnection

    func run() async throws {
        var items: [URLQueryItem] = []
        for (name, value) in [("period", period), ("from", from), ("to", to), ("zone", zone), ("by", by), ("metric", metric)] {
            if let value { items.append(URLQueryItem(name: name, value: value)) }
        }
        for filter in only {
            let parts = filter.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw CommandFailure("--only must be CUT=VALUE, such as priority=P1; got '\(filter)'")
            }
            items.append(URLQueryItem(name: parts[0], value: parts[1]))
        }
        if format == .csv { items.append(URLQueryItem(name: "format", value: "csv")) }
        var query = URLComponents()
        query.queryItems = items
        let path = "/api/v1/reports/attainment?\(query.percentEncodedQuery ?? "")"
        switch format {
        case .csv:
            print(try await desk.text(path), terminator: "")
        case .json:
            print(try await desk.text(path))
        case .table:
            desk.say(Self.table(try await desk.call(.GET, path)))
        }
    }

    /// The report as aligned columns: a line per row, the totals under a rule, the breached cases after.
    static func table(_ report: [String: Any]) -> String {
        let cuts = report["by"] as? [String] ?? []
        let names = report["names"] as? [String: [String: String]] ?? [:]
        var lines: [[String]] = [cuts + ["metric", "target", "met", "breached", "running", "late", "attain", "median", "p90", "max"]]
        func line(_ row: [String: Any], total: Bool) -> [String] {
            let values = row["cuts"] as? [String: String] ?? [:]
            let key = cuts.enumerated().map { index, cut in
                total ? (index == 0 ? "total" : "") : values[cut].map { names[cut]?[$0] ?? $0 } ?? "-"
            }
            let count = { (name: String) in String(row[name] as? Int ?? 0) }
            let attainment = (row["attainment"] as? Double).map { String(format: "%.1f %%", $0) } ?? "-"
            let times = row["time"] as? [[String: Any]] ?? []
            let time = { (name: String) in
                times.map { "\(duration($0[name] as? Int ?? 0))\(($0["measure"] as? String) == "business" ? " b" : "")" }.joined(separator: " / ")
            }
            let metric = (row["metric"] as? String ?? "") + (row["agreement"] as? String == "ola" ? " (OLA)" : "")
            return key + [metric, count("withTarget"), count("met"), count("breached"), count("running"),
                          count("breachedRunning"), attainment, time("median"), time("p90"), time("max")]
        }
        let rows = report["rows"] as? [[String: Any]] ?? []
        let totals = report["totals"] as? [[String: Any]] ?? []
        lines += rows.map { line($0, total: false) }
        if !cuts.isEmpty { lines += totals.map { line($0, total: true) } }
        var text = ReportCommand.aligned(lines)
        let breaches = Set(totals.flatMap { ($0["breaches"] as? [[String: Any]] ?? []).compactMap { $0["number"] as? String } }).sorted()
        // The desk lists the first 100 breached cases of a row; the CSV has every one.
        let more = totals.map { $0["moreBreaches"] as? Int ?? 0 }.max() ?? 0
        text.insert("cases logged \(report["from"] as? String ?? "") – \(report["to"] as? String ?? "") (\(report["zone"] as? String ?? "")), as of \(report["asOf"] as? String ?? "")", at: 0)
        text.append("times: business (b) or calendar time used by met and breached clocks; late: breached while running; (OLA): the provider's own target")
        text.append("breached: " + (breaches.isEmpty ? "none" : breaches.joined(separator: " ")) + (more > 0 ? " … and more (every one with --format csv)" : ""))
        return text.joined(separator: "\n")
    }

    /// Seconds as `3h05m`, or `2d 4h` from a day on.
    static func duration(_ seconds: Int) -> String {
        let minutes = (seconds + 59) / 60
        if minutes >= 24 * 60 { return "\(minutes / (24 * 60))d \(minutes % (24 * 60) / 60)h" }
        return "\(minutes / 60)h" + String(format: "%02dm", minutes % 60)
    }
}

/// `accord report ledger vulnerabilities|defects`: what is overdue, what falls due soon.
struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Every vulnerability's patch clock or every confirmed defect's rectification clock, overdue first.",
        discussion: """
            accord report ledger vulnerabilities
            accord report ledger defects --all --format csv
            """)

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case vulnerabilities, defects
    }

    @Argument(help: "vulnerabilities or defects.") var kind: Kind
    @Option(help: "Only this organization's cases (its id).") var organization: String?
    @Flag(help: "Also what is done (met, breached, cancelled).") var all = false
    @Option(help: "table (default), csv or json.") var format: AttainmentCommand.Format = .table
    @OptionGroup var desk: DeskConnection

    func run() async throws {
        var items = [URLQueryItem(name: "state", value: all ? "all" : "open")]
        if let organization { items.append(URLQueryItem(name: "organization", value: organization)) }
        if format == .csv { items.append(URLQueryItem(name: "format", value: "csv")) }
        var query = URLComponents()
        query.queryItems = items
        let path = "/api/v1/ledgers/\(kind.rawValue)?\(query.percentEncodedQuery ?? "")"
        switch format {
        case .csv: print(try await desk.text(path), terminator: "")
        case .json: print(try await desk.text(path))
        case .table: desk.say(Self.table(try await desk.call(.GET, path), kind: kind))
        }
    }

    static func table(_ ledger: [String: Any], kind: Kind) -> String {
        let entries = ledger["entries"] as? [[String: Any]] ?? []
        guard !entries.isEmpty else { return "no \(kind == .vulnerabilities ? "vulnerability" : "defect") \(ledger["asOf"] as? String ?? "")" }
        var lines = [["horizon", "case", kind == .vulnerabilities ? "cvss" : "severity", "target", "due", "state", "notice", "title"]]
        for entry in entries {
            let grade = kind == .vulnerabilities
                ? "\((entry["cvss"] as? Double).map { String($0) } ?? "") \(entry["band"] as? String ?? "")"
                : entry["priority"] as? String ?? ""
            lines.append([entry["horizon"] as? String ?? "", entry["number"] as? String ?? "", grade, entry["target"] as? String ?? "-",
                          entry["due"] as? String ?? "-", entry["state"] as? String ?? "", entry["lateNotice"] as? String ?? "-",
                          entry["title"] as? String ?? ""])
        }
        return ReportCommand.aligned(lines).joined(separator: "\n")
    }
}


/// `accord report maintenance ORG-ID --year 2026`: a customer's maintenance month by month.
struct MaintenanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "maintenance",
        abstract: "A customer's scheduled maintenance in a calendar year, month by month against the contract's limits.")

    @Argument(help: "The organization's id.") var organization: String
    @Option(help: "The calendar year (in the policy's zone).") var year: Int
    @OptionGroup var desk: DeskConnection

    func run() async throws {
        let grid = try await desk.call(.GET, "/api/v1/organizations/\(organization)/maintenance?year=\(year)")
        let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        var lines = ["\(grid["organizationName"] as? String ?? "") \(year) (\(grid["zone"] as? String ?? "")): "
            + ((grid["withinLimits"] as? Bool) == true ? "within the contract's limits" : "PAST the contract's limits")]
        for month in grid["months"] as? [[String: Any]] ?? [] {
            let index = (month["month"] as? Int ?? 1) - 1
            let allowance = (month["allowance"] as? Int).map { " of \($0)" } ?? ""
            lines.append("\(names[index])  \(month["minutes"] as? Int ?? 0) min\(allowance)\((month["over"] as? Bool) == true ? "  OVER" : "")")
        }
        for window in grid["windows"] as? [[String: Any]] ?? [] {
            let scope = window["organization"] == nil ? " (every customer)" : ""
            let breach = (window["override"] as? String).map { "  breach recorded: \($0)" } ?? ""
            lines.append("\(window["start"] as? String ?? "") – \(window["end"] as? String ?? "")  \(window["kind"] as? String ?? "")\(scope)  "
                + "\(window["note"] as? String ?? "")\(breach)")
        }
        desk.say(lines.joined(separator: "\n"))
    }
}

/// `accord report review --organization ID --period 2026-Q3`: a customer's service review, prepared now.
struct ReviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "A customer's service review of a period its plan grants (Plex Gold: quarterly; Platinum: monthly and quarterly).")

    @Option(help: "The organization's id.") var organization: String
    @Option(help: "The period: a month (2026-09), a quarter (2026-Q3) or a year (2026).") var period: String
    @Option(help: "text (default) or json.") var format: Format = .text
    @OptionGroup var desk: DeskConnection

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    func run() async throws {
        let path = "/api/v1/organizations/\(organization)/reviews/\(period)"
        if format == .json {
            print(try await desk.text(path))
            return
        }
        let review = try await desk.call(.GET, path)
        func list(_ key: String) -> [[String: Any]] { review[key] as? [[String: Any]] ?? [] }
        var lines = ["Service review: \(review["organizationName"] as? String ?? "") \(review["period"] as? String ?? "") "
            + "(\(review["from"] as? String ?? "") – \(review["to"] as? String ?? ""), plan \(review["plan"] as? String ?? ""))"]
        lines.append("Open at the period's end (\(list("openCases").count)):")
        lines += list("openCases").map { "  \($0["number"] as? String ?? "")  \($0["priority"] as? String ?? "-")  \($0["status"] as? String ?? "")  "
            + "\($0["ageDays"] as? Int ?? 0) days  \($0["title"] as? String ?? "")" }
        lines.append("Resolved in the period (\(list("resolvedCases").count)):")
        lines += list("resolvedCases").map { "  \($0["number"] as? String ?? "")  \($0["resolvedAt"] as? String ?? "")  \($0["resolution"] as? String ?? "")  "
            + "\($0["title"] as? String ?? "")" }
        lines.append("Per priority (logged / resolved / open at the end):")
        lines += list("casesPerPriority").map { "  \($0["priority"] as? String ?? "")  \($0["logged"] as? Int ?? 0) / \($0["resolved"] as? Int ?? 0) / \($0["openAtEnd"] as? Int ?? 0)" }
        lines.append("Attainment per month:")
        lines += list("attainmentPerMonth").map { "  \($0["month"] as? String ?? "")  \($0["metric"] as? String ?? "")  "
            + ((($0["attainment"] as? Double).map { String(format: "%.1f %%", $0) }) ?? "-") + " of \($0["withTarget"] as? Int ?? 0)" }
        lines.append("Escalations: \(list("escalations").count); backlog by age: "
            + list("backlog").map { "\($0["bucket"] as? String ?? "") \($0["cases"] as? Int ?? 0)" }.joined(separator: ", "))
        lines.append("Authorized contacts: " + list("contacts").map { "\($0["name"] as? String ?? "")\(($0["billableOverage"] as? Bool) == true ? " (billable)" : "")" }
            .joined(separator: ", "))
        let renewal = review["renewal"] as? [String: Any] ?? [:]
        lines.append("Renewal: term ends \(renewal["termEnd"] as? String ?? "-"), \((renewal["automaticRenewal"] as? Bool) == true ? "renews automatically" : "does not renew by itself"); "
            + "notice of non-renewal by \(renewal["noticeBy"] as? String ?? "-")")
        desk.say(lines.joined(separator: "\n"))
    }
}
