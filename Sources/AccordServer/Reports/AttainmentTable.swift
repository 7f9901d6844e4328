import AccordCore
import Foundation

/// An attainment report as a table: a header and one line per row, then the totals (when the
/// report is cut at all). The columns are said once here, for the API's CSV, the CLI's table and
/// the web page's download.
struct AttainmentTable: Sendable {
    let header: [String]
    let lines: [[String]]

    /// The measures a time column may be in, in column order.
    private static let measures: [AttainmentSample.Measure] = [.business, .calendar]

    init(_ report: AttainmentReport) {
        let cuts = report.report.cuts
        var header: [String] = []
        for cut in cuts {
            header.append(cut.rawValue)
            if Self.named.contains(cut) { header.append("\(cut.rawValue)_name") }
        }
        header += ["metric", "agreement", "with_target", "met", "breached", "running", "breached_running", "not_started",
                   "cancelled", "out_of_scope", "without_target", "attainment_percent"]
        for measure in Self.measures {
            header += ["\(measure.rawValue)_count", "\(measure.rawValue)_median_seconds", "\(measure.rawValue)_p90_seconds", "\(measure.rawValue)_max_seconds"]
        }
        header.append("breached_cases")
        func line(_ row: Attainment.Row, total: Bool) -> [String] {
            var line: [String] = []
            for (index, cut) in cuts.enumerated() {
                let value = total ? (index == 0 ? "(total)" : "") : row.key[index]
                line.append(value)
                if Self.named.contains(cut) { line.append(total ? "" : report.names[cut]?[value] ?? "") }
            }
            line += [row.metric, row.agreement.rawValue] + [row.withTarget, row.met, row.breached, row.running, row.breachedRunning, row.notStarted,
                                                             row.cancelled, row.outOfScope, row.withoutTarget].map(String.init)
            line.append(row.attainment.map { String(format: "%.1f", $0) } ?? "")
            for measure in Self.measures {
                if let time = row.times.first(where: { $0.measure == measure }) {
                    line += [String(time.count), String(time.median), String(time.p90), String(time.max)]
                } else {
                    line += ["0", "", "", ""]
                }
            }
            line.append(row.breaches.map { report.numbers[$0] ?? $0 }.joined(separator: " "))
            return line
        }
        self.header = header
        lines = report.report.rows.map { line($0, total: false) } + (cuts.isEmpty ? [] : report.report.totals.map { line($0, total: true) })
    }

    /// The cuts whose values are ids or codes with a name beside them.
    private static let named: Set<AttainmentCut> = [.policy, .customer, .plan, .region, .team, .agent]

    /// The table as CSV (RFC 4180).
    var csv: String { CSVText.lines([header] + lines) }
}
