import AccordStore
import Foundation

/// An audit trail as a page lists it — a customer's, a person's: the latest entries first, each
/// with who made it (names read once each) and when, in the viewer's zone.
enum AuditTrail {
    struct Row: Encodable, Sendable {
        let at: String
        let who: String
        let detail: String
    }

    /// How many entries a page shows.
    static let shown = 50

    /// The latest `shown` of `entries` (oldest first, as stored), newest first.
    static func rows(_ entries: [(at: Date, actorID: UUID?, detail: String)], store: DeskStore, format: WebFormat) async throws -> [Row] {
        var names: [UUID: String] = [:]
        var rows: [Row] = []
        for entry in entries.suffix(shown).reversed() {
            var who = "the desk"
            if let actor = entry.actorID {
                if names[actor] == nil { names[actor] = try await store.person(actor)?.name ?? "someone" }
                who = names[actor]!
            }
            rows.append(Row(at: format.time(entry.at, contractZone: nil).viewer, who: who, detail: entry.detail))
        }
        return rows
    }
}
