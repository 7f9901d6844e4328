import FluentKit
import FluentSQL
public import Foundation

/// New cases made into the rows they are stored as before their transaction, on whichever thread
/// makes them: ids, events, watchers, clocks and alarms bound for the database, search documents
/// split into words. Left for the transaction is only what it alone can know: each case's number,
/// drawn there from its prefix's counter. An import prepares each block of cases on the cores its
/// writer does not use; intake prepares a batch before it queues for the writer.
public struct NewCaseRows: Sendable {
    /// Rows prepared together; a block of an import may join several (`+`), written one after another.
    fileprivate struct Part: Sendable {
        let records: [NewCaseRecord]
        /// Each case's number prefix (`PLM-2026-`).
        let prefixes: [String]
        /// Each case as stored but for its number, with its timeline and watchers.
        let cases: [CaseRows.NewCase]
        let events: [[CaseEvent]]
        let watchers: [[CaseWatcher]]
        let caseTable: CaseRows.Table
        let children: [CaseRows.Table]
        /// Each case's search document without the words of its number, which go first.
        let documents: [CaseSearch.Words]
        /// Each imported case's external id and when it was imported (nil: not imported).
        let imports: [(externalID: String, at: Date)?]
        /// The messages taken in by mail that cases are, marked processed with them.
        let mails: [MarkedMail]
    }

    /// A message a new case was made of, to be marked processed by the case's transaction (its
    /// files are among the case's children).
    fileprivate struct MarkedMail: Sendable {
        let mailID: UUID
        let outcome: String
        let caseID: UUID
        let at: Date
    }

    fileprivate var parts: [Part]

    /// Prepares `records` for a database that is SQLite (`sqlite`) or PostgreSQL.
    public init(_ records: [NewCaseRecord], sqlite: Bool) {
        parts = records.isEmpty ? [] : [Self.part(records, sqlite: sqlite)]
    }

    /// The cases of `first`, then those of `second`.
    public static func + (first: NewCaseRows, second: NewCaseRows) -> NewCaseRows {
        var joined = first
        joined.parts += second.parts
        return joined
    }

    /// The records the rows were made from, in order.
    public var records: [NewCaseRecord] { parts.flatMap(\.records) }

    public var count: Int { parts.reduce(0) { $0 + $1.records.count } }

    /// Each case's id, in order.
    var caseIDs: [UUID] { parts.flatMap { $0.cases.map(\.supportCase.id) } }

    /// Each imported case's external id and when it was imported, in order (nil: not imported).
    var imports: [(externalID: String, at: Date)?] { parts.flatMap(\.imports) }

    /// The cases as logged under `numbers` (what `insert` drew), in order.
    func logged(_ numbers: [String]) -> [LoggedCase] {
        var logged: [LoggedCase] = []
        logged.reserveCapacity(numbers.count)
        for part in parts {
            for (index, made) in part.cases.enumerated() {
                logged.append(LoggedCase(supportCase: made.supportCase.numbered(numbers[logged.count]), events: part.events[index],
                                         watchers: part.watchers[index]))
            }
        }
        return logged
    }

    private static func part(_ records: [NewCaseRecord], sqlite: Bool) -> Part {
        let calendar = Calendar(identifier: .gregorian)
        var prefixes: [String] = [], cases: [CaseRows.NewCase] = [], events: [[CaseEvent]] = [], watchers: [[CaseWatcher]] = []
        var eventRows: [CaseRows.Child<CaseEvent>] = [], watcherRows: [CaseRows.Child<CaseWatcher>] = [], clockRows: [CaseRows.Child<StoredClock>] = []
        var alarms: [CaseRows.Alarm] = [], documents: [CaseSearch.Words] = [], mails: [MarkedMail] = [], files: [Attachment] = []
        for new in records {
            prefixes.append("\(new.organization.casePrefix)-\(calendar.component(.year, from: new.loggedAt))-")
            let caseID = UUID.timeOrdered()
            let supportCase = SupportCase(
                id: caseID, number: "", organizationID: new.organization.id, requesterID: new.requesterID,
                title: new.title, description: new.description, priority: new.priority, channel: new.channel, status: new.history?.status ?? "new",
                policyID: new.organization.policyID, policyVersion: new.policyVersion, planID: new.planID, regionID: new.regionID,
                loggedAt: new.loggedAt, details: new.details, unsupportedVersion: new.unsupportedVersion, outOfScope: nil, version: 1,
                work: new.work)
            cases.append(CaseRows.NewCase(supportCase: supportCase, nextDue: DeskStore.nextDue(new.clocks),
                                          breached: new.clocks.contains { $0.state == "breached" }))
            var caseEvents = [CaseEvent(sequence: 1, at: new.loggedAt, actorID: new.requesterID, kind: "logged", value: new.priority, body: new.description)]
            if let team = new.history.map({ $0.routedTo }) ?? new.work.team {
                caseEvents.append(CaseEvent(sequence: 2, at: new.loggedAt, actorID: nil, kind: "routed", value: team,
                                            body: new.routingReasons.joined(separator: "; ")))
            }
            for event in new.history?.events ?? [] {
                caseEvents.append(CaseEvent(sequence: caseEvents.count + 1, at: event.at, actorID: event.actorID, kind: event.kind, value: event.value,
                                            body: event.body))
            }
            events.append(caseEvents)
            eventRows += caseEvents.map { CaseRows.Child(caseID: caseID, value: $0) }
            var seen: Set<String> = []
            let caseWatchers = new.watchers.filter { seen.insert($0.email.lowercased()).inserted }.map { watcher in
                CaseWatcher(email: watcher.email.lowercased(), personID: watcher.personID, kind: watcher.kind, addedBy: new.requesterID,
                            addedAt: new.loggedAt)
            }
            watchers.append(caseWatchers)
            watcherRows += caseWatchers.map { CaseRows.Child(caseID: caseID, value: $0) }
            clockRows += new.clocks.map { CaseRows.Child(caseID: caseID, value: $0) }
            // An imported case's moments already past are history, not alarms to raise now.
            alarms += CaseRows.alarms(of: new.clocks, caseID: caseID).filter { alarm in new.history.map { alarm.at > $0.importedAt } ?? true }
            // What the customer was shown (title, description, public replies and their messages) and the internal notes.
            let said = caseEvents.filter { CaseSearch.publicKinds.contains($0.kind) }.compactMap(\.body)
            let notes = caseEvents.filter { CaseSearch.internalKinds.contains($0.kind) }.compactMap(\.body)
            documents.append(CaseSearch.Words(caseID: caseID, organizationID: new.organization.id,
                                              visible: CaseSearch.document([new.title, new.description] + said), notes: CaseSearch.document(notes)))
            if let mail = new.inboundMail {
                mails.append(MarkedMail(mailID: mail.mailID, outcome: mail.outcome, caseID: caseID, at: new.loggedAt))
                files += mail.attachments(on: caseID, at: new.loggedAt)
            }
        }
        let tables = CaseRows.tables(cases: cases, events: eventRows, watchers: watcherRows, clocks: clockRows, alarms: alarms, attachments: files,
                                     sqlite: sqlite)
        return Part(records: records, prefixes: prefixes, cases: cases, events: events, watchers: watchers, caseTable: tables.cases,
                    children: tables.children, documents: documents, imports: records.map { $0.history.map { ($0.externalID, $0.importedAt) } },
                    mails: mails)
    }

    /// Writes the rows and the cases' search documents, numbering each case on from its prefix's
    /// counter: one row updated per prefix, the year's first cases starting it; marks the messages
    /// the cases were made of processed. Each case's number, in order. On PostgreSQL, rows that
    /// fit one statement are written in one (`CaseRows.together`): the rows of a batch of cases
    /// logged at once cost two round trips to the database (the counter, then the rows), not one
    /// per table and message.
    func write(on db: any Database) async throws -> [String] {
        let (numbers, documents) = try await insert(on: db).get()
        // In the caller's task, on its executor (a SQLite writer's own thread).
        try await CaseSearch.write(words: documents, replacing: false, on: db)
        return numbers
    }

    /// The rows written as chained statements on the database's event loop: each case's number,
    /// and the search documents left to write (none when written with the rows).
    private func insert(on db: any Database) -> EventLoopFuture<(numbers: [String], documents: [CaseSearch.Words])> {
        let prefixes = parts.flatMap(\.prefixes)
        let counts = Dictionary(prefixes.map { ($0, 1) }, uniquingKeysWith: +).sorted { $0.key < $1.key }
        var firstNumbers = db.eventLoop.makeSucceededFuture([String: Int]())
        for (prefix, count) in counts {
            firstNumbers = firstNumbers.flatMap { numbers in
                Self.drawNumbers(prefix, count: count, on: db).map { first in numbers.merging([prefix: first]) { $1 } }
            }
        }
        return firstNumbers.flatMap { first in
            var next = first
            var numbers: [String] = [], documents: [CaseSearch.Words] = [], tables: [CaseRows.Table] = []
            numbers.reserveCapacity(prefixes.count)
            documents.reserveCapacity(prefixes.count)
            for part in parts {
                var caseTable = part.caseTable
                for (index, prefix) in part.prefixes.enumerated() {
                    let number = prefix + DeskStore.caseNumber(next[prefix]!)
                    next[prefix]! += 1
                    caseTable.set(row: index, column: CaseRows.numberColumn, to: .text(number))
                    numbers.append(number)
                    var document = part.documents[index]
                    let words = CaseSearch.document([number])
                    document.visible = document.visible.isEmpty ? words : words + " " + document.visible
                    documents.append(document)
                }
                tables += [caseTable] + part.children
            }
            let mails = parts.flatMap(\.mails)
            if db.isPostgres, let sql = db as? any SQLDatabase,
               tables.reduce(0, { $0 + $1.binds }) + documents.count * 4 + mails.count * 4 <= CaseRows.bindLimit {
                var statements = tables.flatMap { $0.inserts(on: sql) }.map { insert -> SQLQueryString in "\(insert)" }
                statements += CaseSearch.postgresInserts(documents)
                statements += mails.map { DeskStore.processed($0.mailID, outcome: $0.outcome, caseID: $0.caseID, at: $0.at) }
                return sql.execute(sql: CaseRows.together(statements)) { _ in }.map { (numbers, []) }
            }
            let marks = mails.map { mail -> @Sendable () -> EventLoopFuture<Void> in { Self.mark(mail, on: db) } }
            return CaseRows.chain(tables.flatMap { $0.statements(on: db) } + marks, on: db).map { (numbers, documents) }
        }
    }

    /// The statement marking `mail` processed as its case.
    private static func mark(_ mail: MarkedMail, on db: any Database) -> EventLoopFuture<Void> {
        guard let sql = db as? any SQLDatabase else { return db.eventLoop.makeFailedFuture(StoreError.conflict("the database does not speak SQL")) }
        return sql.execute(sql: DeskStore.processed(mail.mailID, outcome: mail.outcome, caseID: mail.caseID, at: mail.at)) { _ in }
    }

    /// Reserves `count` consecutive numbers for `prefix` and returns the first: one row updated,
    /// or created for the year's first cases.
    private static func drawNumbers(_ prefix: String, count: Int, on db: any Database) -> EventLoopFuture<Int> {
        guard let sql = db as? any SQLDatabase else { return db.eventLoop.makeFailedFuture(StoreError.conflict("the database does not speak SQL")) }
        struct Last: Decodable { let last: Int }
        return sql.update(CaseCounterModel.schema).set(SQLIdentifier("last"), to: SQLRaw("last + \(count)"))
            .where("prefix", .equal, prefix).returning("last").all(decoding: Last.self)
            .flatMap { rows in
                if let row = rows.first { return db.eventLoop.makeSucceededFuture(row.last - count + 1) }
                let counter = CaseCounterModel()
                counter.id = prefix
                counter.last = count
                return counter.create(on: db).map { 1 }
            }
    }
}

extension DeskStore {
    /// `records` made into their rows for this desk's database, ahead of the transaction that writes them.
    public func prepare(_ records: [NewCaseRecord]) -> NewCaseRows {
        NewCaseRows(records, sqlite: !database.isPostgres)
    }
}

private extension SupportCase {
    /// The case under `number`.
    func numbered(_ number: String) -> SupportCase {
        SupportCase(id: id, number: number, organizationID: organizationID, requesterID: requesterID, title: title, description: description,
                    priority: priority, channel: channel, status: status, policyID: policyID, policyVersion: policyVersion, planID: planID,
                    regionID: regionID, loggedAt: loggedAt, details: details, unsupportedVersion: unsupportedVersion, outOfScope: outOfScope,
                    version: version, work: work)
    }
}
