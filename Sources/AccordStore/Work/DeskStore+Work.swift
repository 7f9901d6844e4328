public import AccordCore
import FluentKit
import FluentSQL
public import Foundation

/// A person's membership of a policy's team.
public struct TeamMember: Sendable, Equatable {
    public let policyID: String
    public let teamID: String
    public let personID: UUID
    /// A team lead also receives the team's SLA warnings and breaches.
    public let lead: Bool
    /// The languages the member works cases in; empty means any of the team's.
    public let languages: [String]
}

/// A case waiting in a team's queue, with the due instant its queue sorts by.
public struct WaitingCase: Sendable {
    public let supportCase: SupportCase
    /// The earliest due instant of its running contract clocks.
    public let due: Date?
}

/// A customer role held by one person: `primary-contact` or the provider's `tam`.
public enum AccountRole: String, Sendable, CaseIterable {
    case primaryContact = "primary-contact"
    case tam
}

extension DeskStore {
    // MARK: Teams

    /// Adds `personID` to a team, or updates their lead flag and languages if already a member.
    public func addMember(_ personID: UUID, to teamID: String, of policyID: String, lead: Bool, languages: [String], at instant: Date) async throws -> TeamMember {
        try await writeUncaching { db in
            let sql = try db.sql
            let joined = languages.joined(separator: ",")
            try await sql.raw("""
                INSERT INTO team_members (id, policy_id, team_id, person_id, lead, languages, added_at)
                VALUES (\(bind: UUID()), \(bind: policyID), \(bind: teamID), \(bind: personID), \(bind: lead), \(bind: joined), \(bind: instant))
                ON CONFLICT (policy_id, team_id, person_id) DO UPDATE SET lead = \(bind: lead), languages = \(bind: joined)
                """).run()
            return TeamMember(policyID: policyID, teamID: teamID, personID: personID, lead: lead, languages: languages)
        }
    }

    /// Removes a membership; false when there was none.
    public func removeMember(_ personID: UUID, from teamID: String, of policyID: String) async throws -> Bool {
        try await writeUncaching { db in
            try await db.sql.raw("""
                DELETE FROM team_members WHERE policy_id = \(bind: policyID) AND team_id = \(bind: teamID) AND person_id = \(bind: personID) RETURNING id
                """).all().count == 1
        }
    }

    /// The members of a policy's teams (of one team when `teamID` is given), in the order they joined.
    public func members(of policyID: String, team teamID: String? = nil) async throws -> [TeamMember] {
        let team: SQLQueryString = teamID.map { "AND team_id = \(bind: $0)" } ?? ""
        return try await sql.raw("""
            SELECT policy_id, team_id, person_id, lead, languages FROM team_members WHERE policy_id = \(bind: policyID) \(team) ORDER BY added_at, person_id
            """).all().map(Self.member)
    }

    /// The teams `personID` belongs to, in the order joined.
    public func memberships(of personID: UUID) async throws -> [TeamMember] {
        try await cached(\.memberships, personID) {
            try await sql.raw("""
                SELECT policy_id, team_id, person_id, lead, languages FROM team_members WHERE person_id = \(bind: personID) ORDER BY added_at, team_id
                """).all().map(Self.member)
        } ?? []
    }

    private static func member(_ row: any SQLRow) throws -> TeamMember {
        let languages = try row.decode(column: "languages", as: String.self)
        return TeamMember(
            policyID: try row.decode(column: "policy_id", as: String.self), teamID: try row.decode(column: "team_id", as: String.self),
            personID: try row.decode(column: "person_id", as: UUID.self), lead: try row.decode(column: "lead", as: Bool.self),
            languages: languages.isEmpty ? [] : languages.split(separator: ",").map(String.init))
    }

    // MARK: Queues

    /// How many cases wait (new or open, nobody assigned) with each of a policy's teams.
    public func backlog(of policyID: String) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try await sql.raw("""
            SELECT team_id, COUNT(*) AS waiting FROM cases
            WHERE policy_id = \(bind: policyID) AND assignee_id IS NULL AND status IN ('new', 'open') AND team_id IS NOT NULL GROUP BY team_id
            """).all() {
            counts[try row.decode(column: "team_id", as: String.self)] = try row.decode(column: "waiting", as: Int.self)
        }
        return counts
    }

    /// How many cases wait with one team, counted up to `cap` (a page saying "1,000 or more"
    /// need not count a queue of a million).
    public func waitingCount(in teamID: String, of policyID: String, cap: Int) async throws -> Int {
        try await sql.raw("""
            SELECT COUNT(*) AS waiting FROM (SELECT 1 FROM cases
            WHERE policy_id = \(bind: policyID) AND team_id = \(bind: teamID) AND assignee_id IS NULL AND status IN ('new', 'open')
            LIMIT \(bind: cap)) AS capped
            """).first()?.decode(column: "waiting", as: Int.self) ?? 0
    }

    /// The cases waiting with a team at `tier`, in the queue's order, at most `limit`.
    public func waiting(in teamID: String, of policyID: String, tier: Int, order: [QueueOrderKey], limit: Int) async throws -> [WaitingCase] {
        let columns = CaseRows.caseColumns.joined(separator: ", ")
        return try await sql.raw("""
            SELECT \(unsafeRaw: columns) FROM \(unsafeRaw: Self.waitingSource(order, sqlite: sql.dialect.name == "sqlite"))
            WHERE \(Self.waitingCondition(policyID, teamID, tier)) ORDER BY \(unsafeRaw: Self.orderColumns(order)) LIMIT \(bind: limit)
            """).all(decoding: CaseReads.CaseRow.self).map { WaitingCase(supportCase: $0.record, due: $0.nextDue) }
    }

    /// Hands the first waiting case of a team's queue to the agent and records it on the timeline,
    /// atomically: with many agents asking at once no case goes to two of them. On PostgreSQL that
    /// is one statement on its own (it locks the row it takes and skips rows others hold, and its
    /// commit is grouped with concurrent ones by the server itself); on SQLite, whose one writer
    /// serializes them, requests that arrive together share one transaction (group commit). Each
    /// caller is answered once its take is committed. A webhook that wants `case.updated` hears of
    /// the take from the same transaction. Nil when nothing waits.
    public func takeNext(_ request: TakeRequest) async throws -> SupportCase? {
        let taken = if database.isPostgres {
            // With a webhook listening, the take and its activity are committed together.
            try await Self.wantedActivity(on: sql).contains(CaseActivity.updated)
                ? try await write { db in
                    let taken = try await Self.take(request, on: db)
                    try await Self.recordLatestActivity(of: taken.map { [$0] } ?? [], at: request.instant, on: db)
                    return taken
                }
                : try await Self.take(request, on: database)
        } else if let takes = batches?.takes {
            try await takes.submit(request) { try await self.takeAll($0) }
        } else {
            try await takeAll([request])[0]
        }
        // Read after the commit, outside the one writer: its time is what agents asking together queue for.
        guard let taken else { return nil }
        return try await supportCase(taken)
    }

    /// One transaction for all of `requests`, taken in turn: the id of the case each got.
    private func takeAll(_ requests: [TakeRequest]) async throws -> [UUID?] {
        try await write { db in
            var taken: [UUID?] = []
            for request in requests { taken.append(try await Self.take(request, on: db)) }
            try await Self.recordLatestActivity(of: taken.compactMap { $0 }, at: requests.first?.instant ?? Date(), on: db)
            return taken
        }
    }

    /// Assigns the first waiting case and appends the `assigned` event: on PostgreSQL in one
    /// statement (a data-modifying `WITH`), on SQLite in two within the caller's transaction.
    private static func take(_ request: TakeRequest, on db: any Database) async throws -> UUID? {
        let sql = try db.sql
        let postgres = db.isPostgres
        let language: SQLQueryString = request.languages.isEmpty ? "" : " AND (language IS NULL OR language IN (\(binds: request.languages)))"
        let assign: SQLQueryString = """
            UPDATE cases SET assignee_id = \(bind: request.agentID), assigned_at = \(bind: request.instant), version = version + 1
            WHERE assignee_id IS NULL AND id = (
              SELECT id FROM \(unsafeRaw: waitingSource(request.order, sqlite: !postgres))
              WHERE \(waitingCondition(request.policyID, request.teamID, request.tier))\(language)
              ORDER BY \(unsafeRaw: orderColumns(request.order)) LIMIT 1\(unsafeRaw: postgres ? " FOR UPDATE SKIP LOCKED" : ""))
            RETURNING id
            """
        func event(of taken: SQLQueryString) -> SQLQueryString {
            """
            INSERT INTO case_events (id, case_id, sequence, at, actor_id, kind, value, body)
            SELECT \(bind: UUID.timeOrdered()), \(taken), COALESCE(MAX(sequence), 0) + 1, \(bind: request.instant), \(bind: request.agentID), 'assigned',
              \(bind: request.agentID.uuidString), \(bind: "took the next case of \(request.teamID)") FROM case_events WHERE case_id = \(taken)
            """
        }
        if postgres {
            return try await sql.raw("""
                WITH taken AS (\(assign)), assigned AS (\(event(of: "(SELECT id FROM taken)")) HAVING EXISTS (SELECT 1 FROM taken))
                SELECT id FROM taken
                """).first()?.decode(column: "id", as: UUID.self)
        }
        guard let taken = try await sql.raw(assign).first()?.decode(column: "id", as: UUID.self) else { return nil }
        try await sql.raw(event(of: "\(bind: taken)")).run()
        return taken
    }

    private static func waitingCondition(_ policyID: String, _ teamID: String, _ tier: Int) -> SQLQueryString {
        "policy_id = \(bind: policyID) AND team_id = \(bind: teamID) AND tier = \(bind: tier) AND assignee_id IS NULL AND status IN ('new', 'open')"
    }

    /// Makes sure a queue worked in `order` is read off an index: "take next" and the queue view
    /// then find the first waiting case without sorting the team's whole queue. One partial index
    /// per distinct order (the migration made the default order's, `cases_waiting`).
    public func ensureWaitingIndex(for order: [QueueOrderKey]) async throws {
        let name = Self.waitingIndexName(order)
        guard name != "cases_waiting" else { return }
        try await write { db in
            try await db.sql.raw("""
                CREATE INDEX IF NOT EXISTS \(unsafeRaw: name) ON cases (policy_id, team_id, tier, \(unsafeRaw: Self.orderColumns(order)))
                WHERE assignee_id IS NULL AND status IN ('new', 'open')
                """).run()
        }
    }

    /// The table a queue is read from. SQLite is told which index serves the order: without
    /// statistics its planner may take another queue's index and sort (PostgreSQL plans by cost).
    static func waitingSource(_ order: [QueueOrderKey], sqlite: Bool) -> String {
        sqlite ? "cases INDEXED BY \(waitingIndexName(order))" : "cases"
    }

    /// `cases_waiting` for the default order, else `cases_waiting_` and the keys' initials (`q_a`).
    static func waitingIndexName(_ order: [QueueOrderKey]) -> String {
        guard order != QueueOrderKey.defaultOrder else { return "cases_waiting" }
        return "cases_waiting_" + order.map { key in
            switch key {
            case .queue: "q"
            case .planRank: "pr"
            case .priority: "p"
            case .due: "d"
            case .arrival: "a"
            }
        }.joined(separator: "_")
    }

    /// The ORDER BY of a queue: the policy's keys, then the case number, so the order is total.
    static func orderColumns(_ order: [QueueOrderKey]) -> String {
        (order.map { key in
            switch key {
            case .queue: "queue_rank"
            case .planRank: "plan_rank"
            case .priority: "priority_rank"
            case .due: "queue_due"
            case .arrival: "logged_at"
            }
        } + ["number"]).joined(separator: ", ")
    }

    /// How many unfinished cases each of `personIDs` is the internal advocate of.
    public func advocateLoad(of personIDs: [UUID]) async throws -> [UUID: Int] {
        guard !personIDs.isEmpty else { return [:] }
        var counts: [UUID: Int] = [:]
        for row in try await sql.raw("""
            SELECT advocate_id, COUNT(*) AS n FROM cases WHERE advocate_id IN (\(binds: personIDs)) AND status NOT IN ('resolved', 'closed') GROUP BY advocate_id
            """).all() {
            counts[try row.decode(column: "advocate_id", as: UUID.self)] = try row.decode(column: "n", as: Int.self)
        }
        return counts
    }

    // MARK: Priority senders and account roles

    /// The customer's priority-sender list: addresses and domains, sorted.
    public func prioritySenders(of organizationID: UUID) async throws -> [String] {
        try await cached(\.prioritySenders, organizationID) {
            try await sql.raw("SELECT entry FROM priority_senders WHERE organization_id = \(bind: organizationID) ORDER BY entry").all()
                .map { try $0.decode(column: "entry", as: String.self) }
        } ?? []
    }

    /// Replaces the customer's priority-sender list and audits what was added and removed.
    public func replacePrioritySenders(of organizationID: UUID, with entries: [String], by actorID: UUID?, at instant: Date) async throws -> [String] {
        let wanted = Set(entries.map { $0.lowercased() })
        return try await writeUncaching { db in
            let sql = try db.sql
            let current = Set(try await sql.raw("SELECT entry FROM priority_senders WHERE organization_id = \(bind: organizationID)").all()
                .map { try $0.decode(column: "entry", as: String.self) })
            let added = wanted.subtracting(current).sorted(), removed = current.subtracting(wanted).sorted()
            if !removed.isEmpty {
                try await sql.raw("DELETE FROM priority_senders WHERE organization_id = \(bind: organizationID) AND entry IN (\(binds: removed))").run()
            }
            if !added.isEmpty {
                let insert = sql.insert(into: "priority_senders").columns("id", "organization_id", "entry")
                for entry in added { insert.values([UUID(), organizationID, entry] as [any Encodable & Sendable]) }
                try await insert.run()
            }
            if !added.isEmpty || !removed.isEmpty {
                let detail = (added.isEmpty ? [] : ["added \(added.joined(separator: ", "))"]) + (removed.isEmpty ? [] : ["removed \(removed.joined(separator: ", "))"])
                try await Self.audit(OrganizationEvent(at: instant, actorID: actorID, kind: "priority-senders", value: wanted.sorted().joined(separator: ","),
                                                       detail: "priority senders: " + detail.joined(separator: "; ")),
                                     organizationID: organizationID, on: db)
            }
            return wanted.sorted()
        }
    }

    /// Who holds `role` for the customer, if anyone.
    public func accountRole(_ role: AccountRole, of organizationID: UUID) async throws -> UUID? {
        try await sql.raw("SELECT person_id FROM account_roles WHERE organization_id = \(bind: organizationID) AND role = \(bind: role.rawValue)")
            .first()?.decode(column: "person_id", as: UUID.self)
    }

    /// Gives `role` for the customer to `personID` (replacing whoever held it) and audits the change.
    public func assign(_ role: AccountRole, of organizationID: UUID, to personID: UUID, by actorID: UUID?, at instant: Date) async throws {
        try await writeUncaching { db in
            let sql = try db.sql
            try await sql.raw("DELETE FROM account_roles WHERE organization_id = \(bind: organizationID) AND role = \(bind: role.rawValue)").run()
            try await sql.raw("""
                INSERT INTO account_roles (id, organization_id, role, person_id) VALUES (\(bind: UUID()), \(bind: organizationID), \(bind: role.rawValue), \(bind: personID))
                """).run()
            try await Self.audit(OrganizationEvent(at: instant, actorID: actorID, kind: role.rawValue, value: personID.uuidString,
                                                   detail: "\(role.rawValue) is now \(personID)"),
                                 organizationID: organizationID, on: db)
        }
    }
}
