import ArgumentParser
import Foundation
import NIOHTTP1

/// `accord organization …`: a customer's subscription over the years, through the desk's API.
struct OrganizationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "organization",
        abstract: "Renew, extend, reactivate or edit a customer's subscription on a running desk (managers, admins).",
        subcommands: [List.self, Plan.self, ChangePlan.self, Renew.self, Extend.self, Reactivate.self, Edit.self, Notice.self, WithdrawNotice.self])

    /// What a subscription answer says in one line.
    static func summary(_ organization: [String: Any]) -> String {
        let subscription = organization["subscription"] as? [String: Any] ?? [:]
        let term = subscription["currentTerm"] as? [String: String]
        let name = organization["name"] as? String ?? "?"
        let status = subscription["status"] as? String ?? "?"
        let plan = subscription["plan"] as? String ?? "no plan"
        let ends = (subscription["endsOn"] as? String).map { "ends on \($0)" } ?? "renews"
        return "\(name): \(status), \(plan), term \(term?["start"] ?? "-") to \(term?["end"] ?? "-"), \(ends)"
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every customer: id, policy and where the subscription stands (staff).")
        @OptionGroup var desk: DeskConnection

        func run() async throws {
            let items = try await desk.list("/api/v1/organizations")
            desk.say(items.map { "\($0["id"] as? String ?? "?")  \($0["policy"] as? String ?? "?")  \(OrganizationCommand.summary($0))" }.joined(separator: "\n"))
        }
    }

    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "What the plan in force promises, per priority (the customer's view).")
        @Argument(help: "The organization's id.") var organization: String
        @OptionGroup var desk: DeskConnection

        func run() async throws {
            let plan = try await desk.call(.GET, "/api/v1/organizations/\(organization)/plan")
            var lines = ["\(plan["plan"] as? String ?? "?") (\(plan["status"] as? String ?? "?"))"]
            for priority in plan["priorities"] as? [[String: Any]] ?? [] {
                let promises = (priority["promises"] as? [[String: Any]] ?? []).map { "\($0["metric"] as? String ?? "?") \($0["target"] as? String ?? "?")" }
                lines.append("  \(priority["priority"] as? String ?? "-"): \(promises.joined(separator: "; "))")
            }
            desk.say(lines.joined(separator: "\n"))
        }
    }

    struct ChangePlan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "change-plan", abstract: "Change the plan from a day on (contacts beyond the new allowance are billed).")
        @Argument(help: "The organization's id.") var organization: String
        @Option(help: "The new plan.") var plan: String
        @Option(help: "The day it takes effect (YYYY-MM-DD).") var effective: String
        @Option(help: "Why; kept in the audit trail.") var reason: String?
        @OptionGroup var desk: DeskConnection

        func run() async throws {
            var body: [String: Any] = ["plan": plan, "effective": effective]
            body["reason"] = reason
            desk.say(OrganizationCommand.summary(try await desk.call(.POST, "/api/v1/organizations/\(organization)/plan-changes", body: body)))
        }
    }

    struct Renew: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Renew for a new term after the one in force.")
        @Argument(help: "The organization's id.") var organization: String
        @Option(help: "The new term's last day (YYYY-MM-DD).") var termEnd: String
        @Option(help: "Why (a renewal order, say); kept in the audit trail.") var reason: String?
        @OptionGroup var desk: DeskConnection

        func run() async throws {
            var body: [String: Any] = ["termEnd": termEnd]
            body["reason"] = reason
            desk.say(OrganizationCommand.summary(try await desk.call(.POST, "/api/v1/organizations/\(organization)/renewals", body: body)))
        }
    }

    struct Extend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Extend the term in force to a later last day.")
        @Argument(help: "The organization's id.") var organization: String
        @Option(help: "The term's new last day (YYYY-MM-DD).") var termEnd: String
        @Option(help: "Why; kept in the audit trail.") var reason: String?
        @OptionGroup var desk: DeskConnection

        func run() async throws {
            var body: [String: Any] = ["termEnd": termEnd]
            body["reason"] = reason
            desk.say(OrganizationCommand.summary(try await desk.call(.POST, "/api/v1/organizations/\(organization)/extensions", body: body)))
        }
    }

    struct Reactivate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take a lapsed subscription up again, as the policy allows.")
        @Argument(help: "The organization's id.") var organization: String
        @Option(help: "The plan of the new term.") var plan: String
        @Option(help: "The new term's last day (YYYY-MM-DD).") var termEnd: String
        @Flag(help: "Confirm the customer is current on all fees (plex requires it).") var feesCurrent = false
        @Option(help: "Why; kept in the audit trail.") var reason: String?
        @OptionGroup var desk: DeskConnection

        func run() async throws {
            var body: [String: Any] = ["plan": plan, "termEnd": termEnd]
            if feesCurrent { body["feesCurrent"] = true }
            body["reason"] = reason
            desk.say(OrganizationCommand.summary(try await desk.call(.POST, "/api/v1/organizations/\(organization)/reactivations", body: body)))
        }
    }

    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rename the organization or move it to another region of its policy.")
        @Argument(help: "The organization's id.") var organization: String
        @Option(help: "The new name.") var name: String?
        @Option(help: "The new region (new cases follow; logged ones keep theirs).") var region: String?
        @Option(help: "Why; kept in the audit trail.") var reason: String?
        @OptionGroup var desk: DeskConnection

        func run() async throws {
            var body: [String: Any] = [:]
            body["name"] = name
            body["region"] = region
            body["reason"] = reason
            desk.say(OrganizationCommand.summary(try await desk.call(.PATCH, "/api/v1/organizations/\(organization)", body: body)))
        }
    }

    struct Notice: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a notice of non-renewal (dated before today: administrators, with --reason).")
        @Argument(help: "The organization's id.") var organization: String
        @Option(help: "The day the notice arrived (YYYY-MM-DD; today when left out).") var givenOn: String?
        @Option(help: "Why a notice is dated before today.") var reason: String?
        @OptionGroup var desk: DeskConnection

        func run() async throws {
            var body: [String: Any] = [:]
            body["givenOn"] = givenOn
            body["reason"] = reason
            desk.say(OrganizationCommand.summary(try await desk.call(.POST, "/api/v1/organizations/\(organization)/non-renewal", body: body)))
        }
    }

    struct WithdrawNotice: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "withdraw-notice", abstract: "Withdraw a notice of non-renewal before it takes effect.")
        @Argument(help: "The organization's id.") var organization: String
        @OptionGroup var desk: DeskConnection

        func run() async throws {
            desk.say(OrganizationCommand.summary(try await desk.call(.DELETE, "/api/v1/organizations/\(organization)/non-renewal")))
        }
    }
}
