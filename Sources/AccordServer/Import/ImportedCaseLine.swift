import Foundation

/// One line of an import or export (docs/import.md): a case and its timeline, read by
/// `ImportLineReader` and written by `JSONEncoder`.
struct ImportedCaseLine: Encodable, Sendable, Equatable {
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

    struct Event: Encodable, Sendable, Equatable {
        var at: String
        var kind: String
        /// Who, by email (none for the desk itself).
        var by: String?
        var value: String?
        var body: String?
        /// With a status change to resolved: fix, workaround, withdrawn or duplicate.
        var resolution: String?
    }

    /// A line the format refuses, in words naming the field.
    struct Refusal: Error {
        let message: String
    }

    init(externalId: String, organization: String, requester: String, priority: String?, channel: String, title: String, description: String,
         loggedAt: String) {
        (self.externalId, self.organization, self.requester, self.priority, self.channel) = (externalId, organization, requester, priority, channel)
        (self.title, self.description, self.loggedAt) = (title, description, loggedAt)
    }
}
