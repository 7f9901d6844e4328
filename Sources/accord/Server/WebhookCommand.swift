import AccordServer
import AccordStore
import ArgumentParser
import Crypto
import Foundation

/// `accord webhook add|list|remove`: where the SLA monitor posts its warnings and breaches, and the
/// desk a case's activity (`case.created`, `case.message`, `case.updated`).
struct WebhookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhook", abstract: "Manage the webhooks that receive SLA warnings and breaches, and a case's activity.",
        subcommands: [Add.self, List.self, Remove.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Subscribe a URL to events; prints its id and signing secret.")

        @ArgumentParser.Option(help: "The http(s) URL to POST to.")
        var url: String

        @ArgumentParser.Option(help: "Comma-separated events: sla.warning, sla.breach, sla.estimate-passed, customer.late-notice, case.created, case.updated, case.message, or * for all.")
        var events = WebhookSubscription.defaultEvents.joined(separator: ",")

        @ArgumentParser.Option(help: "The HMAC-SHA256 signing secret (default: a new random one).")
        var secret: String?

        @ArgumentParser.Option(help: ArgumentHelp("A loopback or private network the URL may be in (CIDR; repeat for several). Servers deliver there only if started with the same --webhook-allow-network.", valueName: "cidr"))
        var allowNetwork: [String] = []

        @ArgumentParser.OptionGroup var desk: DeskLocation

        /// The subscription asked for, checked against the networks allowed.
        static func subscription(url: String, events: String, allowNetwork: [String]) -> Result<WebhookSubscription, WebhookSubscription.Invalid> {
            WebhookNetworks.parse(allowNetwork).flatMap { networks in
                Result { () throws(WebhookSubscription.Invalid) in
                    try WebhookSubscription(url: url, events: events.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }, networks: networks)
                }
            }
        }

        func run() async throws {
            let subscription: WebhookSubscription
            switch Self.subscription(url: url, events: events, allowNetwork: allowNetwork) {
            case .success(let checked): subscription = checked
            case .failure(let error): throw ValidationError("--\(error.field) \(error.message)")
            }
            let key = secret ?? SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
            try await desk.with { _, store in
                let hook = try await store.addWebhook(url: subscription.url, secret: key, events: subscription.events, at: Date())
                print("webhook \(hook.id.uuidString) → \(url) for \(subscription.events.joined(separator: ", "))\nsigning secret: \(key)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the webhooks, active and removed.")

        @ArgumentParser.OptionGroup var desk: DeskLocation

        func run() async throws {
            try await desk.with { _, store in
                for hook in try await store.webhooks() {
                    print("\(hook.id.uuidString)  \(hook.active ? "active " : "removed")  \(hook.url)  \(hook.events.joined(separator: ","))")
                }
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop posting to a webhook (its deliveries stay on record).")

        @ArgumentParser.Argument(help: "The webhook's id.")
        var id: String

        @ArgumentParser.OptionGroup var desk: DeskLocation

        func run() async throws {
            guard let uuid = UUID(uuidString: id) else { throw ValidationError("'\(id)' is not a webhook id (a UUID)") }
            try await desk.with { _, store in
                guard try await store.removeWebhook(uuid) else { throw CommandFailure("no active webhook has the id \(id)") }
                print("webhook \(id) removed")
            }
        }
    }
}
