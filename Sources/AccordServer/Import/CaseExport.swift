public import AccordStore
import AccordCore
import BusinessTime
public import Foundation

/// Writes cases in the import's format (docs/import.md), one JSON line each, in case-number order:
/// an export imported into another desk with the same customers and people gives the same
/// reports. Each case keeps the external id it was imported with, else its number becomes one.
public struct CaseExport: Sendable {
    let store: DeskStore

    public init(store: DeskStore) {
        self.store = store
    }

    /// The events a desk's timeline has that an import takes; the rest (how a case was first
    /// routed, linked) the importing desk decides again.
    static let kinds: Set<String> = ["public-reply", "customer-message", "internal-note", "status-change", "priority-change", "defect-confirmed",
                                     "patch-available", "out-of-scope", "rectification-late", "escalated", "assigned"]

    /// Writes every case (of `organization`, when given) through `write`, a line at a time; returns how many.
    public func run(organization: UUID?, write: (String) throws -> Void) async throws -> Int {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var people: [UUID: String] = [:]
        var organizations: [UUID: String] = [:]
        var after: String?
        var count = 0
        while true {
            let page = try await store.casesInNumberOrder(after: after, organizationID: organization, limit: 500)
            guard let last = page.last else { return count }
            after = last.number
            let ids = page.map(\.id)
            let timelines = try await store.events(of: ids)
            let external = try await store.externalIDs(of: ids)
            func email(_ id: UUID?) async throws -> String? {
                guard let id else { return nil }
                if let known = people[id] { return known }
                let found = try await store.person(id)?.email
                people[id] = found
                return found
            }
            for supportCase in page {
                // By name: another desk has other ids for the same customer.
                if organizations[supportCase.organizationID] == nil {
                    organizations[supportCase.organizationID] = try await store.organization(supportCase.organizationID)?.name ?? supportCase.organizationID.uuidString
                }
                let events = timelines[supportCase.id] ?? []
                let logged = events.first { $0.kind == "logged" }
                var line = ImportedCaseLine(externalId: external[supportCase.id] ?? supportCase.number, organization: organizations[supportCase.organizationID]!,
                                            requester: try await email(supportCase.requesterID) ?? "", priority: logged?.value ?? supportCase.priority,
                                            channel: supportCase.channel, title: supportCase.title, description: supportCase.description,
                                            loggedAt: ISO8601.utc(CaseService.seconds(supportCase.loggedAt)))
                line.region = supportCase.regionID
                line.policyVersion = supportCase.policyVersion
                line.cvss = supportCase.details.cvss
                line.product = supportCase.details.product
                line.version = supportCase.details.version
                line.team = supportCase.work.team
                line.assignee = try await email(supportCase.work.assigneeID)
                var exported: [ImportedCaseLine.Event] = []
                for event in events where Self.kinds.contains(event.kind) {
                    var item = ImportedCaseLine.Event(at: ISO8601.utc(CaseService.seconds(event.at)), kind: event.kind, by: try await email(event.actorID),
                                                      value: event.value, body: event.body)
                    if event.kind == "status-change", let value = event.value, let colon = value.firstIndex(of: ":") {
                        (item.value, item.resolution) = (String(value[..<colon]), String(value[value.index(after: colon)...]))
                    }
                    if event.kind == "defect-confirmed" { item.value = nil }
                    if event.kind == "assigned" {
                        // By email: another desk has other ids for the same person; an assignment to nobody is no pickup.
                        guard let email = try await email(event.value.flatMap(UUID.init(uuidString:))) else { continue }
                        (item.value, item.body) = (email, nil)
                    }
                    exported.append(item)
                }
                line.events = exported.isEmpty ? nil : exported
                try write(String(decoding: try encoder.encode(line), as: UTF8.self))
                count += 1
            }
        }
    }
}
