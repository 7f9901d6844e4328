import Foundation

/// One line of an import or export (docs/import.md): a case and its timeline. A key the format
/// does not have is refused by name, so a misspelt field is never silently left out.
struct ImportedCaseLine: Codable, Sendable, Equatable {
    var externalId: String
    /// The organization's id, or its name when no other organization has it.
    var organization: String
    /// The requester's email; a person of the organization.
    var requester: String
    var priority: String?
    var channel: String
    var title: String
    var description: String
    /// When the case was logged, with its offset: its clocks start from here.
    var loggedAt: String
    /// The region it was served in (default: the organization's).
    var region: String?
    /// The policy version it ran under (default: the version in force).
    var policyVersion: String?
    var cvss: Double?
    var product: String?
    var version: String?
    /// The team that works it (default: the policy's first tier-1 team, or the last escalation's).
    var team: String?
    /// The staff member it is assigned to, by email.
    var assignee: String?
    var events: [Event]?

    struct Event: Codable, Sendable, Equatable {
        var at: String
        var kind: String
        /// Who, by email (none for the desk itself).
        var by: String?
        var value: String?
        var body: String?
        /// With a status change to resolved: fix, workaround, withdrawn or duplicate.
        var resolution: String?

        static let keys: Set<String> = ["at", "kind", "by", "value", "body", "resolution"]

        init(at: String, kind: String, by: String? = nil, value: String? = nil, body: String? = nil, resolution: String? = nil) {
            (self.at, self.kind, self.by, self.value, self.body, self.resolution) = (at, kind, by, value, body, resolution)
        }

        init(from decoder: any Decoder) throws {
            try ImportedCaseLine.refuseUnknownKeys(decoder, Self.keys)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            at = try c.decode(String.self, forKey: .at)
            kind = try c.decode(String.self, forKey: .kind)
            by = try c.decodeIfPresent(String.self, forKey: .by)
            value = try c.decodeIfPresent(String.self, forKey: .value)
            body = try c.decodeIfPresent(String.self, forKey: .body)
            resolution = try c.decodeIfPresent(String.self, forKey: .resolution)
        }
    }

    static let keys: Set<String> = ["externalId", "organization", "requester", "priority", "channel", "title", "description", "loggedAt", "region",
                                    "policyVersion", "cvss", "product", "version", "team", "assignee", "events"]

    /// A line the format refuses, in words naming the field.
    struct Refusal: Error {
        let message: String
    }

    private struct AnyKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    static func refuseUnknownKeys(_ decoder: any Decoder, _ known: Set<String>) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        if let unknown = container.allKeys.map(\.stringValue).sorted().first(where: { !known.contains($0) }) {
            let path = ImportedCaseLine.pathText(decoder.codingPath)
            throw Refusal(message: "\(path.isEmpty ? "" : path + ": ")unknown field '\(unknown)'; fields: \(known.sorted().joined(separator: ", "))")
        }
    }

    static func pathText(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
    }

    init(externalId: String, organization: String, requester: String, priority: String?, channel: String, title: String, description: String,
         loggedAt: String) {
        (self.externalId, self.organization, self.requester, self.priority, self.channel) = (externalId, organization, requester, priority, channel)
        (self.title, self.description, self.loggedAt) = (title, description, loggedAt)
    }

    init(from decoder: any Decoder) throws {
        try Self.refuseUnknownKeys(decoder, Self.keys)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        externalId = try c.decode(String.self, forKey: .externalId)
        organization = try c.decode(String.self, forKey: .organization)
        requester = try c.decode(String.self, forKey: .requester)
        priority = try c.decodeIfPresent(String.self, forKey: .priority)
        channel = try c.decode(String.self, forKey: .channel)
        title = try c.decode(String.self, forKey: .title)
        description = try c.decode(String.self, forKey: .description)
        loggedAt = try c.decode(String.self, forKey: .loggedAt)
        region = try c.decodeIfPresent(String.self, forKey: .region)
        policyVersion = try c.decodeIfPresent(String.self, forKey: .policyVersion)
        cvss = try c.decodeIfPresent(Double.self, forKey: .cvss)
        product = try c.decodeIfPresent(String.self, forKey: .product)
        version = try c.decodeIfPresent(String.self, forKey: .version)
        team = try c.decodeIfPresent(String.self, forKey: .team)
        assignee = try c.decodeIfPresent(String.self, forKey: .assignee)
        events = try c.decodeIfPresent([Event].self, forKey: .events)
    }
}
