import AccordServer
import AccordStore
import ArgumentParser
import BusinessTime
import Foundation

/// `accord sla sweep --at …`: one SLA monitor pass against the desk's database at a given instant.
struct SweepCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run one SLA monitor pass: raise the warnings and breaches due by an instant, once each.",
        discussion: """
            Raised alarms go to the outbox in the same transaction and are fanned out to the webhooks (and to the \
            staff's mail when --smtp or --sendmail is given); a running `accord serve` delivers them, or add --deliver. \
            Prints one JSON line per alarm raised. Safe beside running servers: an alarm is raised exactly once.
            """
    )

    @ArgumentParser.Option(help: ArgumentHelp("The instant of the pass, ISO 8601 with an offset.", valueName: "instant"))
    var at: String

    @ArgumentParser.Option(help: "The SQLite database file (DATABASE_URL chooses PostgreSQL instead).")
    var db = "accord.sqlite"

    @ArgumentParser.Flag(help: "Also deliver what is due now, instead of leaving it to a running server.")
    var deliver = false

    @ArgumentParser.OptionGroup var alerts: AlertOptions

    func run() async throws {
        guard case .instant(let seconds)? = ISO8601.parse(at) else {
            throw ValidationError("--at must be an ISO 8601 instant with an offset, such as 2026-03-02T09:00:00Z; got '\(at)'")
        }
        let instant = Date(timeIntervalSince1970: TimeInterval(seconds))
        let configuration = try alerts.monitorConfiguration()
        try await DeskDatabase.with(sqlitePath: db) { app, store in
            let monitor = try await SLAMonitor(store: store, configuration: configuration, http: app.http.client.shared).readingPolicies(at: instant)
            let (raised, dispatched) = try await monitor.raise(at: instant)
            for line in raised.lines { print(line) }
            var summary = "raised \(raised.count) alarm(s) at \(ISO8601.utc(seconds)); \(dispatched) outbox entr\(dispatched == 1 ? "y" : "ies") dispatched"
            if deliver {
                let (delivered, failed) = try await monitor.deliver(at: Date())
                summary += "; \(delivered) delivered, \(failed) failed (retried later)"
            }
            FileHandle.standardError.write(Data((summary + "\n").utf8))
        }
    }
}
