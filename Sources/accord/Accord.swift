import ArgumentParser
import Foundation
import NIOCore
import NIOPosix

/// Starts `accord`: Swift concurrency runs on SwiftNIO's event loops, so a request's handler, its
/// database calls and its response do not hop between two sets of threads.
@main
enum AccordMain {
    static func main() async {
        // Everything Accord creates — the database, its WAL, the attachment store, the first
        // administrator's token file — is readable by the owner only.
        umask(0o077)
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        // A mail server's delivery: every failure, a bad option included, must be a temporary one.
        if CommandLine.arguments.dropFirst().first == "mailgate" {
            exit(await MailgateCommand.deliver(arguments: Array(CommandLine.arguments.dropFirst(2))))
        }
        await Accord.main()
    }
}

/// The `accord` command: Accord's SLA engine and policies from the command line.
struct Accord: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accord",
        abstract: "Accord: a support case desk with an exact, auditable SLA engine.",
        subcommands: [ServeCommand.self, TokenCommand.self, UserCommand.self, WebhookCommand.self, SLACommand.self, PolicyCommand.self,
                      OrganizationCommand.self, PersonCommand.self, CaseCommand.self, ReportCommand.self, ImportCommand.self, ExportCommand.self, MailgateCommand.self, MailCommand.self]
    )
}
