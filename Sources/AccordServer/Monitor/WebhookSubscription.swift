import AccordStore
import Foundation

/// A webhook subscription as an operator asks for it (`accord webhook add` or the API), checked:
/// an http(s) URL with a host, and events the outbox carries — the SLA alarms, the customer's late
/// notice, a case's activity (`CaseActivity`) — or `*` for all.
public struct WebhookSubscription: Sendable, Equatable {
    /// What is wrong with a requested subscription, naming the field.
    public struct Invalid: Error, Equatable {
        public let field: String
        public let message: String

        public init(field: String, message: String) {
            self.field = field
            self.message = message
        }
    }

    /// What a subscription gets when it names no events.
    public static let defaultEvents = ["sla.warning", "sla.breach"]

    public let url: String
    public let events: [String]

    /// Checks the URL and events; the URL's host must not be loopback, private or reserved unless
    /// `networks` allows it (see `WebhookNetworks`; this resolves the name, so call it off the event loop).
    public init(url: String, events: [String], networks: WebhookNetworks) throws(Invalid) {
        guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), let host = parsed.host, !host.isEmpty else {
            throw Invalid(field: "url", message: "must be an http or https URL, such as https://ops.example.com/accord; got '\(url)'")
        }
        if let refusal = networks.refusal(host: host, refusingUnresolvable: false) {
            throw Invalid(field: "url", message: "is refused: \(refusal)")
        }
        guard !events.isEmpty else { throw Invalid(field: "events", message: "must name at least one event, or * for all") }
        let known = SLAMonitor.events + CaseActivity.events + ["*"]
        if let unknown = events.first(where: { !known.contains($0) }) {
            throw Invalid(field: "events", message: "names an unknown event '\(unknown)'; events: \(known.joined(separator: ", "))")
        }
        self.url = url
        self.events = events
    }
}
