import AccordCore
import FluentKit
import FluentSQL
import Foundation

/// Writing a case's activity (`CaseActivity`) to the outbox in the transaction that changed the
/// case, for the webhooks that want it: integrations hear of new cases, messages and changes
/// without polling, and an activity is announced exactly when its change is committed.
extension DeskStore {
    /// The case events some active webhook wants, read in the writing transaction: only those are
    /// written, so a desk without such webhooks keeps no outbox rows for them.
    static func wantedActivity(on sql: any SQLDatabase) async throws -> Set<String> {
        var wanted: Set<String> = []
        for row in try await sql.raw("SELECT events FROM webhooks WHERE active = \(bind: true)").all() {
            for event in try row.decode(column: "events", as: String.self).split(separator: ",").map(String.init) {
                if event == "*" { return Set(CaseActivity.events) }
                if CaseActivity.events.contains(event) { wanted.insert(event) }
            }
        }
        return wanted
    }

    /// Writes the activities some webhook wants to the outbox.
    static func recordActivity(_ activities: [CaseActivity], at instant: Date, on sql: any SQLDatabase) async throws {
        guard !activities.isEmpty else { return }
        let wanted = try await wantedActivity(on: sql)
        guard !wanted.isEmpty else { return }
        let entries = try activities.filter { wanted.contains($0.event) }.map {
            (caseID: $0.caseID, entry: OutboxEntry(event: $0.event, payload: try OutboxJSON.encode($0)))
        }
        try await writeOutbox(entries, at: instant, on: sql)
    }

    /// For changes written in SQL (take next, staff leaving): the activity of `caseIDs`' latest
    /// timeline entry, as the cases stand now.
    static func recordLatestActivity(of caseIDs: [UUID], at instant: Date, on db: any Database) async throws {
        guard !caseIDs.isEmpty else { return }
        let sql = try db.sql
        guard try await !wantedActivity(on: sql).isEmpty else { return }
        var activities: [CaseActivity] = []
        for caseID in caseIDs {
            guard let supportCase = try await CaseModel.find(caseID, on: db)?.record(),
                  let latest = try await CaseEventModel.query(on: db).filter(\.$caseModel.$id == caseID).sort(\.$sequence, .descending).first() else {
                continue
            }
            let event = CaseEvent(sequence: latest.sequence, at: latest.at, actorID: latest.$actor.id, kind: latest.kind, value: latest.value)
            activities += CaseActivity.of(supportCase, events: [event])
        }
        try await recordActivity(activities, at: instant, on: sql)
    }
}
