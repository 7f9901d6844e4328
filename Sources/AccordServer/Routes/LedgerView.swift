import AccordCore
import AccordStore
import BusinessTime
import Foundation
import Vapor

/// A ledger as the API answers it, and the same as CSV.
struct LedgerView: Content {
    struct Entry: Content {
        let id: UUID
        let number: String
        let title: String
        let organization: UUID
        let organizationName: String
        let status: String
        /// The severity the contract's period follows (the case's priority).
        let priority: String?
        let cvss: Double?
        let band: String?
        let metric: String
        /// The period in the contract's words ("7 days"); absent with none.
        let target: String?
        /// When the provider was notified: the case was logged.
        let notifiedAt: String
        let patchAvailableAt: String?
        let start: String?
        let due: String?
        let stoppedAt: String?
        /// As the case shows the clock: running, paused, met, breached, not-started, cancelled…
        let state: String
        let horizon: String
        /// Whether the customer is owed a notice that the rectification runs late, was given one, or never was.
        let lateNotice: String?
        let notices: [Notice]
        let explanation: String
    }

    struct Notice: Content {
        let at: String
        let estimate: String
        let reason: String?
    }

    let kind: String
    let asOf: String
    /// How many entries each horizon holds: overdue, week, month, later, waiting, done.
    let counts: [String: Int]
    let entries: [Entry]

    init(kind: LedgerKind, asOf: Date, entries: [LedgerEntry]) {
        self.kind = kind.rawValue
        self.asOf = ISO8601.utc(CaseService.seconds(asOf))
        var counts = Dictionary(uniqueKeysWithValues: LedgerHorizon.allCases.map { ($0.rawValue, 0) })
        for entry in entries { counts[entry.horizon.rawValue, default: 0] += 1 }
        self.counts = counts
        self.entries = entries.map { entry in
            let c = entry.supportCase, status = entry.clock.status
            return Entry(
                id: c.id, number: c.number, title: c.title, organization: c.organizationID, organizationName: entry.organization, status: c.status,
                priority: c.priority, cvss: c.details.cvss, band: entry.band, metric: entry.metric, target: entry.clock.target,
                notifiedAt: ISO8601.utc(CaseService.seconds(c.loggedAt)), patchAvailableAt: entry.patchAvailable.map(ISO8601.utc),
                start: status.map { ISO8601.utc($0.clockStart) }, due: status.map { ISO8601.utc($0.due) }, stoppedAt: status?.stoppedAt.map(ISO8601.utc),
                state: entry.clock.state, horizon: entry.horizon.rawValue, lateNotice: entry.clock.lateNotice?.state.rawValue,
                notices: entry.notices.map { Notice(at: ISO8601.utc($0.at), estimate: ISO8601.utc($0.estimate), reason: $0.reason) },
                explanation: "/api/v1/cases/\(c.id.uuidString.lowercased())/clocks/\(entry.metric)/explanation")
        }
    }

    /// One line per entry under a header; notices as "at → estimate: reason" joined by " | ".
    var csv: String {
        let header = ["number", "title", "organization", "status", "priority", "cvss", "band", "metric", "target", "notified_at", "patch_available_at",
                      "start", "due", "stopped_at", "state", "horizon", "late_notice", "notices"]
        let lines = entries.map { e in
            [e.number, e.title, e.organizationName, e.status, e.priority ?? "", e.cvss.map { String($0) } ?? "", e.band ?? "", e.metric, e.target ?? "",
             e.notifiedAt, e.patchAvailableAt ?? "", e.start ?? "", e.due ?? "", e.stoppedAt ?? "", e.state, e.horizon, e.lateNotice ?? "",
             e.notices.map { "\($0.at) → \($0.estimate)\($0.reason.map { ": " + $0 } ?? "")" }.joined(separator: " | ")]
        }
        return CSVText.lines([header] + lines)
    }
}
