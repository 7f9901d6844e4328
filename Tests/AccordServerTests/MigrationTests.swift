import AccordCore
@testable import AccordStore
import BusinessTime
import FluentKit
import Foundation
import Logging
import NIOPosix
import SQLKit
import Testing

/// Migrations that move data keep it: a desk migrated up to an older schema, given rows the older
/// code wrote, reads the same after the later migrations ran.
struct MigrationTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    @Test(arguments: TestDatabase.all) func alarmsRaisedBeforeTheOutboxRecordedThemAreMovedIntoIt(_ kind: TestDatabase) async throws {
        try await Self.onFreshDatabase(kind) { databases, logger in
            let older = DeskStore.migrations.firstIndex { $0 is RecordRaisedAlarmsInTheOutbox }!
            try await databases.migrateDesk(upTo: older, logger: logger)
            let database = try #require(databases.database(logger: logger, on: databases.eventLoopGroup.any()))
            let store = DeskStore(database: database)
            let caseID = try await Self.logCase(on: store)
            let sql = try database.sql
            let due = Self.now.addingTimeInterval(7200)
            let alarms: [(id: UUID, kind: String, at: Date, raisedAt: Date?)] = [
                (UUID(), "warning-75", Self.now.addingTimeInterval(-1800), Self.now.addingTimeInterval(-1790)),
                (UUID(), "warning-90", Self.now.addingTimeInterval(-600), Self.now.addingTimeInterval(-598.5)),
                (UUID(), "breach", due, nil),
            ]
            for alarm in alarms {
                try await sql.raw("""
                    INSERT INTO clock_alarms (id, case_id, metric, kind, at, raised_at)
                    VALUES (\(bind: alarm.id), \(bind: caseID), 'initial-response', \(bind: alarm.kind), \(bind: alarm.at), \(bind: alarm.raisedAt))
                    """).run()
            }
            // The warning at 75% was raised by a pass that gave its entry the alarm's id; the one at
            // 90% by an older pass whose entry had an id of its own.
            let warned = RaisedAlarm(caseID: caseID, metric: "initial-response", kind: "warning-75", alarmAt: alarms[0].at, clockDue: due,
                                     raisedAt: alarms[0].raisedAt!)
            let text = try OutboxJSON.encode(warned)
            for (id, payload) in [(alarms[0].id, text), (UUID(), "{\"older\":true}")] {
                try await sql.raw("""
                    INSERT INTO outbox (id, kind, case_id, payload, created_at, dispatched_at)
                    VALUES (\(bind: id), 'sla.warning', \(bind: caseID), \(bind: payload), \(bind: Self.now), \(bind: Self.now))
                    """).run()
            }

            try await databases.migrateDesk(logger: logger)

            let ninety = RaisedAlarm(caseID: caseID, metric: "initial-response", kind: "warning-90", alarmAt: alarms[1].at, clockDue: due,
                                     raisedAt: Self.now.addingTimeInterval(-599))
            #expect(try await store.raisedAlarms(of: caseID) == [warned, ninety])
            #expect(try await store.pendingAlarms(of: caseID).map(\.alarm.kind) == ["breach"])
            #expect(try await store.dispatchOutbox(at: Self.now, to: .webhooksOnly) == 0, "moved alarms are not announced again")
            #expect(try await store.sweep(at: due, notifying: .webhooksOnly).alarms().map(\.kind) == ["breach"])
            #expect(try await store.raisedAlarms(of: caseID).map(\.kind) == ["warning-75", "warning-90", "breach"])
            #expect(try await store.nextAlarm() == nil)
        }
    }

    /// SQLite's search index as the earlier layout kept it (a copy of each document's text, a map
    /// row per audience) becomes the compact one with the same documents under the same ids, and
    /// finds the same for staff and customers; undone, the earlier layout is written anew from the cases.
    @Test func theSearchIndexIsCompactedKeepingItsDocuments() async throws {
        try await Self.onFreshDatabase(.sqlite) { databases, logger in
            try await databases.migrateDesk(upTo: DeskStore.migrations.firstIndex { $0 is CompactCaseSearch }!, logger: logger)
            let database = try #require(databases.database(logger: logger, on: databases.eventLoopGroup.any()))
            let store = DeskStore(database: database)
            let caseID = try await Self.logCase(on: store)
            let sql = try database.sql
            let organizationID = try #require(try await sql.raw("SELECT organization_id FROM cases").first()?.decode(column: "organization_id", as: UUID.self))
            // The earlier layout: the customer's document, and the staff's with an internal note.
            let organization = CaseSearch.organizationToken(organizationID)
            for (id, audience, scope, text) in [(7, "public", "public " + organization, "mig 2026 000001 migrated"),
                                                (8, "staff", "staff", "mig 2026 000001 migrated confidential")] {
                try await sql.raw("INSERT INTO case_search (rowid, document, scope, case_id) VALUES (\(bind: id), \(bind: text), \(bind: scope), \(bind: caseID))").run()
                try await sql.raw("INSERT INTO case_search_documents (case_id, audience, document_id) VALUES (\(bind: caseID), \(bind: audience), \(bind: id))").run()
            }

            try await databases.migrateDesk(logger: logger)

            func found(_ word: String, _ audience: CaseSearch.Audience) async throws -> [Int64] {
                try await CaseSearch.matches([word], for: audience, before: nil, limit: 10, on: sql).map(\.document)
            }
            #expect(try await found("confidential", .staff) == [8])
            #expect(try await found("confidential", .customer(organizationID: organizationID)) == [])
            #expect(try await found("migrated", .customer(organizationID: organizationID)) == [7])
            #expect(try await found("migrated", .customer(organizationID: UUID())) == [])
            let mapped = try await sql.raw("SELECT document_id FROM case_search_documents ORDER BY document_id").all()
                .map { try $0.decode(column: "document_id", as: Int64.self) }
            #expect(mapped == [7, 8])
            let layout = try await sql.raw("SELECT sql FROM sqlite_master WHERE name = 'case_search'").first()?.decode(column: "sql", as: String.self)
            #expect(layout?.contains("contentless_delete = 1") == true)
            // A new document for the case replaces both (one for both audiences: no notes now).
            try await CaseSearch.reindex([caseID], on: database)
            let rewritten = try await found("migrated", .staff)
            let customers = try await found("migrated", .customer(organizationID: organizationID))
            #expect(rewritten.count == 1 && rewritten == customers, "\(rewritten) \(customers)")
            #expect(try await found("confidential", .staff) == [])
            #expect(try await sql.raw("SELECT count(*) AS n FROM case_search_documents").first()?.decode(column: "n", as: Int.self) == 1)

            try await CompactCaseSearch().revert(on: database)
            let audiences = try await sql.raw("SELECT audience, document_id FROM case_search_documents ORDER BY document_id").all()
                .map { try $0.decode(column: "audience", as: String.self) }
            #expect(audiences == ["public", "staff"])
            let texts = try await sql.raw("SELECT document FROM case_search ORDER BY rowid").all().map { try $0.decode(column: "document", as: String.self) }
            #expect(texts == ["mig 2026 000001 migrated migrated", "mig 2026 000001 migrated migrated "])
        }
    }

    /// PostgreSQL's documents written by its own text parser become the words as written, under
    /// the same ids: a word the parser cut (`x²`) or dropped (`½`) is found afterwards, by staff
    /// and customers as before, and undone the parser's documents come back.
    @Test(arguments: TestDatabase.all.filter { if case .postgres = $0 { true } else { false } })
    func postgresSearchDocumentsBecomeTheWordsAsWritten(_ kind: TestDatabase) async throws {
        try await Self.onFreshDatabase(kind) { databases, logger in
            try await databases.migrateDesk(upTo: DeskStore.migrations.firstIndex { $0 is StoreSearchWordsAsWritten }!, logger: logger)
            let database = try #require(databases.database(logger: logger, on: databases.eventLoopGroup.any()))
            let caseID = try await Self.logCase(on: DeskStore(database: database))
            let sql = try database.sql
            try await sql.raw("UPDATE cases SET description = 'Torque x² after a ½ turn' WHERE id = \(bind: caseID)").run()
            let organizationID = try #require(try await sql.raw("SELECT organization_id FROM cases").first()?.decode(column: "organization_id", as: UUID.self))
            // As the earlier code wrote them: the words split again by PostgreSQL's parser.
            for (id, audience) in [(41, "public"), (42, "staff")] {
                try await sql.raw("""
                    INSERT INTO case_search (id, case_id, organization_id, audience, document)
                    VALUES (\(bind: id), \(bind: caseID), \(bind: organizationID), \(bind: audience), to_tsvector('simple', 'mig 2026 000001 migrated torque x² after a ½ turn'))
                    """).run()
            }
            func found(_ word: String, _ audience: CaseSearch.Audience) async throws -> [Int64] {
                try await CaseSearch.matches([word], for: audience, before: nil, limit: 10, on: sql).map(\.document)
            }
            #expect(try await found("½", .staff) == [], "the parser dropped it")

            try await databases.migrateDesk(logger: logger)

            for word in ["½", "x²", "torque", "000001"] {
                #expect(try await found(word, .staff) == [42], "\(word)")
                #expect(try await found(word, .customer(organizationID: organizationID)) == [41], "\(word)")
                #expect(try await found(word, .customer(organizationID: UUID())) == [], "\(word)")
            }
            #expect(try await found("x", .staff) == [])
            let stored = try await sql.raw("SELECT document::text AS words FROM case_search WHERE id = 41").first()?.decode(column: "words", as: String.self)
            #expect(stored == "'000001' '2026' 'a' 'after' 'mig' 'migrated' 'torque' 'turn' 'x²' '½'", "the words as written, no positions")

            try await StoreSearchWordsAsWritten().revert(on: database)
            let reverted = try await sql.raw("SELECT document::text AS words FROM case_search WHERE id = 42").first()?.decode(column: "words", as: String.self)
            #expect(reverted?.contains("'x':") == true && reverted?.contains("½") == false, "\(reverted ?? "")")
        }
    }

    /// On PostgreSQL a message's raw bytes and a timeline's texts are compressed with LZ4 once the
    /// migration ran, those written before keep `pglz`, and every value reads back as written; undone,
    /// new values use the server's default again. SQLite's values read back the same.
    @Test(arguments: TestDatabase.all) func largeValuesAreCompressedWithLZ4AndReadBackAsWritten(_ kind: TestDatabase) async throws {
        try await Self.onFreshDatabase(kind) { databases, logger in
            try await databases.migrateDesk(upTo: DeskStore.migrations.firstIndex { $0 is CompressLargeTextWithLZ4 }!, logger: logger)
            let database = try #require(databases.database(logger: logger, on: databases.eventLoopGroup.any()))
            let store = DeskStore(database: database)
            let sql = try database.sql
            let caseID = try await Self.logCase(on: store)
            let texts = (0..<3).map { n in String(repeating: "Sketch \(n) constraints lost after the rebuild of the toolbox database. ", count: 200) }
            func note(_ text: String) async throws {
                _ = try await store.append([CaseEvent(sequence: 0, at: Self.now, actorID: nil, kind: "internal-note", value: nil, body: text)],
                                           to: caseID, expectedVersion: nil, clocks: nil)
            }
            func mail(_ n: Int) async throws -> (id: UUID, raw: Data) {
                let raw = Data("From: a@migrated.test\r\nSubject: \(n)\r\n\r\n\(texts[n])\r\n".utf8)
                return (try await store.receiveMail(raw: raw, recipient: nil, sender: "a@migrated.test", subject: "\(n)", messageID: nil,
                                                    at: Self.now, lease: 60).mail.id, raw)
            }
            let mails = [try await mail(0)]
            try await note(texts[0])
            try await databases.migrateDesk(logger: logger)
            let after = try await mail(1)
            try await note(texts[1])
            try await CompressLargeTextWithLZ4().revert(on: database)
            let reverted = try await mail(2)
            try await note(texts[2])

            let bodies = try await sql.raw("SELECT body FROM case_events WHERE kind = 'internal-note' ORDER BY sequence").all()
                .map { try $0.decode(column: "body", as: String.self) }
            #expect(bodies == texts)
            for (id, raw) in mails + [after, reverted] { #expect(try await store.inboundRaw(id) == raw) }
            guard case .postgres = kind else { return }
            let methods = try await sql.raw("SELECT pg_column_compression(body) AS method FROM case_events WHERE kind = 'internal-note' ORDER BY sequence").all()
                .map { try $0.decode(column: "method", as: String.self) }
            #expect(methods == ["pglz", "lz4", "pglz"])
            var stored: [String] = []
            for (id, _) in mails + [after, reverted] {
                stored.append(try #require(try await sql.raw("SELECT pg_column_compression(raw) AS method FROM inbound_mails WHERE id = \(bind: id)").first()?
                    .decode(column: "method", as: String.self)))
            }
            #expect(stored == ["pglz", "lz4", "pglz"])
        }
    }

    /// Runs `body` on a fresh database of `kind`, registered as the desk's, and removes the
    /// database after, also when `body` throws.
    static func onFreshDatabase(_ kind: TestDatabase, _ body: (Databases, Logger) async throws -> Void) async throws {
        let provisioned = try await kind.provision()
        let databases = Databases(threadPool: NIOThreadPool.singleton, on: MultiThreadedEventLoopGroup.singleton)
        do {
            try DatabaseSetup.register(provisioned.choice, on: databases)
            try await body(databases, Logger(label: "accord.test"))
        } catch {
            await databases.shutdownAsync()
            await provisioned.cleanUp()
            throw error
        }
        await databases.shutdownAsync()
        await provisioned.cleanUp()
    }

    /// One plm-group case with a running initial-response clock due two hours after `now`.
    static func logCase(on store: DeskStore) async throws -> UUID {
        let subscription = Subscription(plan: "premium", termStart: LocalDate(year: 2026, month: 1, day: 1)!,
                                        termEnd: LocalDate(year: 2027, month: 12, day: 31)!, automaticRenewal: true)
        let organization = try await store.createOrganization(name: "Migrated AS", policyID: "plm-group", regionID: "denmark", casePrefix: "MIG",
                                                              subscription: subscription, by: nil, at: now)
        // Rows as the older code wrote them: its schema has none of the later people columns.
        let personID = UUID(), caseID = UUID(), due = now.addingTimeInterval(7200)
        let sql = try store.database.sql
        try await sql.raw("""
            INSERT INTO people (id, organization_id, name, email, role, billable_overage, created_at)
            VALUES (\(bind: personID), \(bind: organization.id), 'Mig', 'mig@migrated.test', 'user', \(bind: false), \(bind: now))
            """).run()
        try await sql.raw("""
            INSERT INTO cases (id, number, organization_id, requester_id, title, description, priority, channel, status, policy_id,
              policy_version, plan_id, region_id, logged_at, nda, unsupported_version, next_due, breached, version, team_id, tier, queue_rank,
              plan_rank, priority_rank, queue_due)
            VALUES (\(bind: caseID), 'MIG-2026-000001', \(bind: organization.id), \(bind: personID), 'Migrated', 'Migrated', 'critical', 'web',
              'open', 'plm-group', '2025.1', 'premium', 'denmark', \(bind: now.addingTimeInterval(-3600)), \(bind: false), \(bind: false),
              \(bind: due), \(bind: false), 1, 'denmark', 1, 1, 2, 0, \(bind: due))
            """).run()
        try await sql.raw("""
            INSERT INTO clocks (id, case_id, metric, target, due, state)
            VALUES (\(bind: UUID()), \(bind: caseID), 'initial-response', '2 business hours', \(bind: due), 'running')
            """).run()
        return caseID
    }
}
