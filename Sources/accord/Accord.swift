import ArgumentParser

/// The `accord` command: Accord's SLA engine and policies from the command line.
@main
struct Accord: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accord",
        abstract: "Accord: a support case desk with an exact, auditable SLA engine.",
        subcommands: [SLACommand.self, PolicyCommand.self]
    )
}
