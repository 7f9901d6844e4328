import FluentKit
import FluentSQL
import Foundation

/// The case list's reads as plain SQL decoded into flat rows: a page of cases under a filter, and
/// the timelines of a page. Fluent's model decoding reflects over every field of every model it
/// builds, which cost several times the queries themselves for a page of fifty.
enum CaseReads {
    /// One page of cases newest first under `filter`'s conditions and `part`'s own; unordered when
    /// `ordered` is false (the cases named by `filter.caseIDs`, whose order the caller keeps — asked
    /// to order them, the database may walk the whole number index to find a few hundred ids).
    static func page(_ filter: CaseFilter, after cursor: String?, limit: Int, ordered: Bool = true, on db: any Database,
                     _ part: (SQLSelectBuilder) -> SQLSelectBuilder) async throws -> [SupportCase] {
        var select = try selecting(CaseRows.caseColumns, filter, after: cursor, on: db, part)
        if ordered, filter.byNextDue {
            // What breaches next first: only cases with a clock running, by its due (cases_next_due).
            select = select.where("next_due", .isNot, SQLLiteral.null).orderBy("next_due", .ascending).orderBy("number", .descending)
        } else if ordered {
            select = select.orderBy("number", .descending)
        }
        return try await select.limit(limit).all(decoding: CaseRow.self).map(\.record)
    }

    /// A page of cases under `filter` in ascending number order after `cursor`.
    static func ascending(_ filter: CaseFilter, after cursor: String?, limit: Int, on db: any Database) async throws -> [SupportCase] {
        var select = try selecting(CaseRows.caseColumns, filter, after: nil, on: db) { $0 }
        if let cursor { select = select.where("number", .greaterThan, cursor) }
        return try await select.orderBy("number", .ascending).limit(limit).all(decoding: CaseRow.self).map(\.record)
    }

    /// The ids of the cases named by `filter.caseIDs` that pass its conditions and `part`'s: what a
    /// search checks of its candidates before it reads the few it shows.
    static func ids(_ filter: CaseFilter, on db: any Database, _ part: (SQLSelectBuilder) -> SQLSelectBuilder) async throws -> [UUID] {
        try await selecting(["id"], filter, after: nil, on: db, part).all().map { try $0.decode(column: "id", as: UUID.self) }
    }

    static func selecting(_ columns: [String], _ filter: CaseFilter, after cursor: String?, on db: any Database,
                                  _ part: (SQLSelectBuilder) -> SQLSelectBuilder) throws -> SQLSelectBuilder {
        var select = try db.sql.select().columns(columns.map { SQLIdentifier($0) }).from(CaseModel.schema)
        // An empty list matches nothing; PostgreSQL refuses `IN ()` outright.
        let lists: [(String, [any Encodable & Sendable]?)] = [("organization_id", filter.organizationIDs), ("requester_id", filter.requesterIDs),
                                                               ("id", filter.caseIDs), ("policy_id", filter.policyIDs), ("assignee_id", filter.assigneeIDs)]
        for case let (column, values?) in lists {
            select = values.isEmpty ? select.where(SQLLiteral.boolean(false)) : select.where(SQLColumn(column), .in, SQLBind.group(values))
        }
        if let status = filter.status { select = select.where("status", .equal, status) }
        if let priority = filter.priority { select = select.where("priority", .equal, priority) }
        if let before = filter.dueBefore { select = select.where("next_due", .lessThan, before) }
        if let now = filter.breachedAt {
            select = select.where { $0.where("breached", .equal, true).orWhere("next_due", .lessThan, now) }
        }
        if let now = filter.notBreachedAt {
            select = select.where("breached", .equal, false)
                .where { $0.where("next_due", .is, SQLLiteral.null).orWhere("next_due", .greaterThanOrEqual, now) }
        }
        if filter.unassigned { select = select.where("assignee_id", .is, SQLLiteral.null) }
        if let team = filter.team { select = select.where("policy_id", .equal, team.policyID).where("team_id", .equal, team.teamID) }
        select = part(select)
        if let cursor { select = select.where("number", .lessThan, cursor) }
        return select
    }

    /// The timelines of several cases, by case id, each in sequence order.
    static func events(of caseIDs: [UUID], on db: any Database) async throws -> [UUID: [CaseEvent]] {
        // Sorted here: asked to order by sequence, SQLite may prefer walking every event in that order.
        let rows = try await db.sql.select().columns("case_id", "sequence", "at", "actor_id", "kind", "value", "body")
            .from(CaseEventModel.schema).where("case_id", .in, caseIDs).all(decoding: EventRow.self)
        return Dictionary(grouping: rows, by: \.caseID).mapValues { $0.sorted { $0.sequence < $1.sequence }.map(\.record) }
    }

    struct CaseRow: Decodable {
        let id: UUID
        let number: String
        let organizationID: UUID
        let requesterID: UUID
        let title: String
        let description: String
        let priority: String?
        let channel: String
        let status: String
        let policyID: String
        let policyVersion: String
        let planID: String
        let regionID: String
        let loggedAt: Date
        let product: String?
        let productVersion: String?
        let servicePack: String?
        let stepsToReproduce: String?
        let englishConsent: Bool?
        let nda: Bool
        let cvss: Double?
        let contactName: String?
        let contactPhone: String?
        let contactEmail: String?
        let apps: String?
        let unsupportedVersion: Bool
        let outOfScope: String?
        let version: Int
        let teamID: String?
        let tier: Int?
        let queueRank: Int?
        let planRank: Int?
        let priorityRank: Int?
        let language: String?
        let mailbox: String?
        let assigneeID: UUID?
        let assignedAt: Date?
        let advocateID: UUID?
        let queueDue: Date?

        /// The earliest due instant of the case's running clocks.
        var nextDue: Date? { queueDue == CaseRows.noDue ? nil : queueDue }

        enum CodingKeys: String, CodingKey {
            case id, number, title, description, priority, channel, status, product, nda, cvss, apps, version
            case organizationID = "organization_id", requesterID = "requester_id", policyID = "policy_id"
            case policyVersion = "policy_version", planID = "plan_id", regionID = "region_id", loggedAt = "logged_at"
            case productVersion = "product_version", servicePack = "service_pack", stepsToReproduce = "steps_to_reproduce"
            case englishConsent = "english_consent", contactName = "contact_name", contactPhone = "contact_phone"
            case contactEmail = "contact_email", unsupportedVersion = "unsupported_version", outOfScope = "out_of_scope"
            case language, mailbox, tier
            case teamID = "team_id", queueRank = "queue_rank", planRank = "plan_rank", priorityRank = "priority_rank"
            case assigneeID = "assignee_id", assignedAt = "assigned_at", advocateID = "advocate_id", queueDue = "queue_due"
        }

        var record: SupportCase {
            SupportCase(
                id: id, number: number, organizationID: organizationID, requesterID: requesterID, title: title, description: description,
                priority: priority, channel: channel, status: status, policyID: policyID, policyVersion: policyVersion, planID: planID,
                regionID: regionID, loggedAt: loggedAt,
                details: CaseDetails(product: product, version: productVersion, servicePack: servicePack, stepsToReproduce: stepsToReproduce,
                                     englishConsent: englishConsent, nda: nda, cvss: cvss, contactName: contactName,
                                     contactPhone: contactPhone, contactEmail: contactEmail, apps: apps),
                unsupportedVersion: unsupportedVersion, outOfScope: outOfScope, version: version,
                work: .stored(teamID: teamID, tier: tier, queueRank: queueRank, planRank: planRank, priorityRank: priorityRank,
                              language: language, mailbox: mailbox, assigneeID: assigneeID, assignedAt: assignedAt, advocateID: advocateID)
            )
        }
    }

    private struct EventRow: Decodable {
        let caseID: UUID
        let sequence: Int
        let at: Date
        let actorID: UUID?
        let kind: String
        let value: String?
        let body: String?

        enum CodingKeys: String, CodingKey {
            case sequence, at, kind, value, body
            case caseID = "case_id", actorID = "actor_id"
        }

        var record: CaseEvent { CaseEvent(sequence: sequence, at: at, actorID: actorID, kind: kind, value: value, body: body) }
    }
}
