import ArgumentParser
import Foundation
import NIOHTTP1

/// `accord person …`: a person over their time with the desk, through the desk's API.
struct PersonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "person",
        abstract: "Change, deactivate or reactivate a person on a running desk (customers' people: managers, admins; staff: admins).",
        subcommands: [Staff.self, Edit.self, Deactivate.self, Reactivate.self, Tokens.self, RevokeToken.self])

    static func summary(_ person: [String: Any]) -> String {
        let tier = (person["tier"] as? Int).map { ", tier \($0)" } ?? ""
        let state = person["deactivated"] as? Bool == true ? ", deactivated" : ""
        return "\(person["email"] as? String ?? "?"): \(person["role"] as? String ?? "?")\(tier)\(state)"
    }

    struct Staff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The provider's staff, by email (staff).")
        @OptionGroup var desk: DeskConnection

        func run() async throws {
            let items = try await desk.call(.GET, "/api/v1/staff")["items"] as? [[String: Any]] ?? []
            desk.say(items.map { "\($0["id"] as? String ?? "?")  \(PersonCommand.summary($0))" }.joined(separator: "\n"))
        }
    }

    struct Tokens: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A person's API tokens: id, label, made when (never the secret).")
        @Argument(help: "The person's id.") var person: String
        @OptionGroup var desk: DeskConnection

        func run() async throws {
            let items = try await desk.call(.GET, "/api/v1/people/\(person)/tokens")["items"] as? [[String: Any]] ?? []
            desk.say(items.isEmpty ? "no token" : items.map { "\($0["id"] as? String ?? "?")  \($0["label"] as? String ?? "")  \($0["createdAt"] as? String ?? "")" }
                .joined(separator: "\n"))
        }
    }

    struct RevokeToken: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke-token", abstract: "Revoke one of a person's tokens: it stops working at once.")
        @Argument(help: "The person's id.") var person: String
        @Argument(help: "The token's id (from `accord person tokens`).") var token: String
        @OptionGroup var desk: DeskConnection

        func run() async throws {
            _ = try await desk.call(.DELETE, "/api/v1/people/\(person)/tokens/\(token)")
            desk.say("token \(token) revoked")
        }
    }

    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a person's name, email, role or tier.")
        @Argument(help: "The person's id.") var person: String
        @Option(help: "The new name.") var name: String?
        @Option(help: "The new email.") var email: String?
        @Option(help: "The new role: user or authorized-contact (customers); agent, tam, manager or admin (staff).") var role: String?
        @Option(help: "The agent's tier: 1, 2 or 3.") var tier: Int?
        @Flag(help: "Accept the fee for an authorized contact beyond the plan's allowance.") var acknowledgeFee = false
        @OptionGroup var desk: DeskConnection

        func run() async throws {
            var body: [String: Any] = [:]
            body["name"] = name
            body["email"] = email
            body["role"] = role
            body["tier"] = tier
            if acknowledgeFee { body["acknowledgeFee"] = true }
            desk.say(PersonCommand.summary(try await desk.call(.PATCH, "/api/v1/people/\(person)", body: body)))
        }
    }

    struct Deactivate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Deactivate a person who leaves: no sign-in, tokens revoked, staff give their cases back.")
        @Argument(help: "The person's id.") var person: String
        @Option(help: "Why (left the company, on leave…).") var reason: String
        @OptionGroup var desk: DeskConnection

        func run() async throws {
            desk.say(PersonCommand.summary(try await desk.call(.POST, "/api/v1/people/\(person)/deactivation", body: ["reason": reason])))
        }
    }

    struct Reactivate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let a deactivated person sign in again (with a new token).")
        @Argument(help: "The person's id.") var person: String
        @Option(help: "Why.") var reason: String?
        @OptionGroup var desk: DeskConnection

        func run() async throws {
            var body: [String: Any] = [:]
            body["reason"] = reason
            desk.say(PersonCommand.summary(try await desk.call(.POST, "/api/v1/people/\(person)/reactivation", body: body)))
        }
    }
}
