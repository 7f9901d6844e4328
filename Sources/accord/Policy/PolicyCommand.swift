import AccordCore
import ArgumentParser
import BusinessTime
import Foundation

struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Validate policy files and print the presets.",
        subcommands: [Check.self, List.self, Show.self]
    )

    /// `accord policy check FILE`: every problem with line and column, non-zero exit when there is any.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate a policy YAML file and report every problem with its line and column.")

        @Argument(help: "The policy YAML file.")
        var file: String

        func run() throws {
            do {
                let policy = try PolicySource.loadFile(file)
                print("\(file): OK: policy \(policy.id) version \(policy.version): \(policy.plans.count) plans, \(policy.priorities.count) priorities, \(policy.metrics.count) metrics, \(policy.calendars.count) calendars, \(policy.regions.count) regions")
            } catch let issues as PolicyIssues {
                FileHandle.standardError.write(Data("\(issues)\n\(issues.issues.count) problem\(issues.issues.count == 1 ? "" : "s") found\n".utf8))
                throw ExitCode(1)
            }
        }
    }

    /// `accord policy list`: the presets, one a line.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the preset policies.")

        func run() throws {
            for name in Presets.names {
                let policy = try Presets.policy(name)
                print("\(name.padding(toLength: 10, withPad: " ", startingAt: 0)) \(policy.name) (version \(policy.version), plans: \(policy.plans.map(\.id).joined(separator: ", ")))")
            }
        }
    }

    /// `accord policy show NAME`: a preset (or file) in readable form, or its YAML.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a preset policy or a policy file.")

        @Argument(help: "A preset name or a policy YAML file.")
        var name: String

        @Flag(help: "Print the YAML source instead of the summary.")
        var yaml = false

        func run() throws {
            if yaml {
                print(Presets.names.contains(name) ? try Presets.yaml(name) : try String(contentsOfFile: name, encoding: .utf8))
                return
            }
            print(PolicySummary(policy: try PolicySource.load(name)).text)
        }
    }
}
