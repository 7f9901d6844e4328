import ArgumentParser

struct SLACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sla",
        abstract: "Answer SLA deadline questions and run monitor passes.",
        subcommands: [DueCommand.self, SweepCommand.self]
    )
}
