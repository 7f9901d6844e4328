import ArgumentParser
import Foundation
import NIOHTTP1

/// `accord case …`: finding, linking and merging cases, through the desk's API.
struct CaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case",
        abstract: "List, search, assign, classify, link and merge cases on a running desk.",
        subcommands: [List.self, Search.self, Assign.self, Unassign.self, Exclude.self, Link.self, Unlink.self, Merge.self])

    static func line(_ supportCase: [String: Any]) -> String {
        "\(supportCase["number"] as? String ?? "?")  \(supportCase["status"] as? String ?? "?")  \(supportCase["title"] as? String ?? "")"
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The cases the token's owner may see, newest first: my cases with --assignee me.")
        @Option(help: "me, none (waiting in a queue) or a person's id (staff).") var assignee: String?
        @Option(help: "A queue, POLICY.TEAM (staff).") var team: String?
        @Option(help: "Only cases in this status.") var status: String?
        @Option(help: "How many (1-200).") var limit = 50
        @OptionGroup var desk: DeskConnection

        func run() async throws {
            var query = URLComponents()
            query.queryItems = [URLQueryItem(name: "limit", value: String(limit))]
            for (name, value) in [("assignee", assignee), ("team", team), ("status", status)] {
                if let value { query.queryItems?.append(URLQueryItem(name: name, value: value)) }
            }
            let items = try await desk.call(.GET, "/api/v1/cases?\(query.percentEncodedQuery ?? "")")["items"] as? [[String: Any]] ?? []
            desk.say(items.isEmpty ? "no case" : items.map(CaseCommand.line).joined(separator: "\n"))
        }
    }

    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Assign or reassign a case to a staff member of its team (managers; an agent to themselves).")
        @Argument(help: "The case's id.") var caseID: String
        @Option(help: "The person's id.") var to: String
        @OptionGroup var desk: DeskConnection

        func run() async throws {
            desk.say("assigned: " + CaseCommand.line(try await desk.call(.PUT, "/api/v1/cases/\(caseID)/assignee", body: ["person": to])))
        }
    }

    struct Unassign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Put a case back in its queue.")
        @Argument(help: "The case's id.") var caseID: String
        @OptionGroup var desk: DeskConnection

        func run() async throws {
            desk.say("unassigned: " + CaseCommand.line(try await desk.call(.DELETE, "/api/v1/cases/\(caseID)/assignee")))
        }
    }

    struct Exclude: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Classify a request out of scope as its contract lists (a breach before stays on record).")
        @Argument(help: "The case's id.") var caseID: String
        @Option(help: "Why: which of the contract's exclusions it is.") var reason: String
        @OptionGroup var desk: DeskConnection

        func run() async throws {
            let answer = try await desk.call(.POST, "/api/v1/cases/\(caseID)/events", body: ["kind": "out-of-scope", "body": reason])
            desk.say("\(answer["outOfScope"] as? String ?? "out of scope"): " + CaseCommand.line(answer))
        }
    }

    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cases holding every word, newest written first, as the token's owner may see them.")
        @Argument(help: "The words to find.") var words: [String]
        @Option(help: "Only cases in this status.") var status: String?
        @Option(help: "How many (1-200).") var limit = 50
        @OptionGroup var desk: DeskConnection

        func run() async throws {
            var query = URLComponents()
            query.queryItems = [URLQueryItem(name: "q", value: words.joined(separator: " ")), URLQueryItem(name: "limit", value: String(limit))]
            if let status { query.queryItems?.append(URLQueryItem(name: "status", value: status)) }
            let page = try await desk.call(.GET, "/api/v1/cases?\(query.percentEncodedQuery ?? "")")
            let items = page["items"] as? [[String: Any]] ?? []
            desk.say(items.isEmpty ? "no case holds \(words.joined(separator: " "))" : items.map(CaseCommand.line).joined(separator: "\n"))
        }
    }

    struct Link: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Link two cases that concern the same thing (staff).")
        @Argument(help: "A case's id.") var caseID: String
        @Argument(help: "The other case's id.") var other: String
        @OptionGroup var desk: DeskConnection

        func run() async throws {
            desk.say("linked: " + CaseCommand.line(try await desk.call(.POST, "/api/v1/cases/\(caseID)/links", body: ["case": other])))
        }
    }

    struct Unlink: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove the link between two cases (staff).")
        @Argument(help: "A case's id.") var caseID: String
        @Argument(help: "The other case's id.") var other: String
        @OptionGroup var desk: DeskConnection

        func run() async throws {
            desk.say("unlinked: " + CaseCommand.line(try await desk.call(.DELETE, "/api/v1/cases/\(caseID)/links/\(other)")))
        }
    }

    struct Merge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Merge a duplicate into the case that carries the request on (staff).")
        @Argument(help: "The duplicate's id.") var duplicate: String
        @Option(help: "The surviving case's id.") var into: String
        @Option(help: "Why; on both timelines.") var reason: String?
        @OptionGroup var desk: DeskConnection

        func run() async throws {
            var body: [String: Any] = ["into": into]
            body["reason"] = reason
            desk.say("merged into " + CaseCommand.line(try await desk.call(.POST, "/api/v1/cases/\(duplicate)/merge", body: body)))
        }
    }
}
