import AccordStore
import ArgumentParser
import Foundation

/// `accord mail`: the mail gateways' tokens (on the desk's database) and the quarantine (through
/// the desk's API, as an administrator).
struct MailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mail", abstract: "Mail gateways' tokens and the quarantine of mail the desk could not process.",
        subcommands: [GatewayToken.self, Quarantine.self])

    struct GatewayToken: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gateway-token", abstract: "Tokens for 'accord mailgate': they deliver mail and can do nothing else.",
            subcommands: [Create.self, List.self, Revoke.self])

        struct Create: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Create a mail-gateway token; the secret is printed once.")
            @ArgumentParser.Option(help: "What the token is for (e.g. the mail server's name), 1 to 100 characters.")
            var label: String
            @ArgumentParser.OptionGroup var desk: DeskLocation

            func run() async throws {
                let label = label.trimmingCharacters(in: .whitespacesAndNewlines)
                guard (1...100).contains(label.count) else { throw CommandFailure("--label must be 1 to 100 characters") }
                try await desk.with { _, store in print(try await store.issueMailGatewayToken(label: label, at: Date()).secret) }
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List mail-gateway tokens (never their secrets).")
            @ArgumentParser.OptionGroup var desk: DeskLocation

            func run() async throws {
                try await desk.with { _, store in
                    for token in try await store.mailGatewayTokens() {
                        print("\(token.id)  \(ISO8601DateFormatter().string(from: token.createdAt))  \(token.label)")
                    }
                }
            }
        }

        struct Revoke: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Revoke a mail-gateway token by its id.")
            @ArgumentParser.Argument(help: "The token's id (from 'list').")
            var id: String
            @ArgumentParser.OptionGroup var desk: DeskLocation

            func run() async throws {
                guard let uuid = UUID(uuidString: id) else { throw CommandFailure("'\(id)' is not a token id (a UUID from 'accord mail gateway-token list')") }
                try await desk.with { _, store in
                    guard try await store.revokeMailGatewayToken(uuid) else { throw CommandFailure("no mail-gateway token has the id \(id)") }
                    print("revoked")
                }
            }
        }
    }

    struct Quarantine: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mail the desk set aside: list, show, retry after a fix, or drop (administrators).",
            subcommands: [List.self, Show.self, Retry.self, Drop.self])

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Quarantined messages, oldest first.")
            @ArgumentParser.OptionGroup var connection: DeskConnection

            func run() async throws {
                let answer = try await connection.call(.GET, "/api/v1/mail/quarantine")
                guard !connection.json else { return }
                let messages = answer["messages"] as? [[String: Any]] ?? []
                if messages.isEmpty { print("the quarantine is empty") }
                for message in messages {
                    print("\(message["id"] ?? "")  \(message["received"] ?? "")  \(message["sender"] ?? "-")  \(message["subject"] ?? "")")
                    print("    \(message["reason"] ?? "")")
                }
            }
        }

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "One message's facts and why it was set aside.")
            @ArgumentParser.Argument(help: "The message's id.")
            var id: String
            @ArgumentParser.OptionGroup var connection: DeskConnection

            func run() async throws {
                let message = try await connection.call(.GET, "/api/v1/mail/messages/\(try Self.checked(id))")
                guard !connection.json else { return }
                for key in ["id", "received", "sender", "recipient", "subject", "messageID", "size", "status", "outcome", "reason", "attempts"] {
                    print("\(key): \(message[key].map { "\($0)" } ?? "-")")
                }
            }

            static func checked(_ id: String) throws -> String {
                guard UUID(uuidString: id) != nil else { throw CommandFailure("'\(id)' is not a message id (a UUID from 'accord mail quarantine list')") }
                return id
            }
        }

        struct Retry: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Process a quarantined message again (after fixing what stopped it).")
            @ArgumentParser.Argument(help: "The message's id.")
            var id: String
            @ArgumentParser.OptionGroup var connection: DeskConnection

            func run() async throws {
                let outcome = try await connection.call(.POST, "/api/v1/mail/quarantine/\(try Show.checked(id))/retry")
                guard !connection.json else { return }
                print("\(outcome["outcome"] ?? "")\((outcome["case"] as? String).map { " \($0)" } ?? "")\((outcome["detail"] as? String).map { ": \($0)" } ?? "")")
            }
        }

        struct Drop: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Drop a quarantined message for good: its bytes are deleted, the reason kept.")
            @ArgumentParser.Argument(help: "The message's id.")
            var id: String
            @ArgumentParser.Option(help: "Why it is dropped.")
            var reason: String
            @ArgumentParser.OptionGroup var connection: DeskConnection

            func run() async throws {
                _ = try await connection.call(.POST, "/api/v1/mail/quarantine/\(try Show.checked(id))/drop", body: ["reason": reason])
                if !connection.json { print("dropped") }
            }
        }
    }
}
