import ArgumentParser

/// The `accord` command: Accord's SLA engine and policies from the command line.
@main
struct Accord: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accord",
        abstract: "Accord: a support case desk with an exact, auditable SLA engine.",
        subcommands: [ServeCommand.self, TokenCommand.self, SLACommand.self, PolicyCommand.self]
    )
}
