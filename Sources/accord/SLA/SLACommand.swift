import ArgumentParser

struct SLACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sla",
        abstract: "Answer SLA deadline questions.",
        subcommands: [DueCommand.self]
    )
}
