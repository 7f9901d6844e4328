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

    @ArgumentParser.Option(help: ArgumentHelp("The instant of the pass: now, or an ISO 8601 instant with an offset no later than now.", valueName: "instant"))
    var at = "now"

    /// A pass at a future instant raises alarms that have not happened yet — and they are then
    /// never raised when they do. Only for trying a scenario on a test desk.
    @ArgumentParser.Flag(help: "Allow an --at later than now (test desks only: the alarms it raises early are never raised again).")
    var force = false

    @ArgumentParser.OptionGroup var desk: DeskLocation

    @ArgumentParser.Flag(help: "Also deliver what is due now, instead of leaving it to a running server.")
    var deliver = false

    @ArgumentParser.OptionGroup var alerts: AlertOptions

    func run() async throws {
        let now = Int64(Date().timeIntervalSince1970.rounded(.down))
        let seconds: Int64
        if at == "now" {
            seconds = now
        } else {
            guard case .instant(let instant)? = ISO8601.parse(at) else {
                throw ValidationError("--at must be now or an ISO 8601 instant with an offset, such as 2026-03-02T09:00:00Z; got '\(at)'")
            }
            seconds = instant
        }
        if seconds > now && !force {
            throw ValidationError("""
                --at \(at) is later than now (\(ISO8601.utc(now))): the pass would raise alarms that have not happened yet, \
                and they would never be raised when they do. Use --at now, or --force on a test desk.
                """)
        }
        let instant = Date(timeIntervalSince1970: TimeInterval(seconds))
        let configuration = try alerts.monitorConfiguration()
        try await desk.with { app, store in
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
