public import FluentKit
public import AccordCore
import BusinessTime
import Crypto
import FluentSQL
public import Foundation

/// Accord's persistence: one code path for SQLite and PostgreSQL. Models stay internal; callers
/// see the records of `Records.swift`.
public struct DeskStore: Sendable {
    public let database: any Database
    /// Serializes write transactions where the database needs it (SQLite).
    public let writes: WriteGate?
    /// Groups concurrent case intake and take-next into shared transactions (a server's; tools
    /// write alone).
    public let batches: WriteBatches?
    /// Keeps token holders, customers, priority senders and agents' teams for a few seconds (a server's; tools read afresh).
    public let cache: ReadCache?

    public init(database: any Database, writes: WriteGate? = nil, batches: WriteBatches? = nil, cache: ReadCache? = nil) {
        self.database = database
        self.writes = writes
        self.batches = batches
        self.cache = cache
    }

    /// Runs a write transaction, through the gate when there is one. `checkingReferences: false`
    /// spares SQLite's check of every foreign key of every row, for rows whose references are
    /// known to hold (an import's; see `importCases`) — on a SQLite file's dedicated writer only.
    func write<T: Sendable>(checkingReferences: Bool = true, _ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        let database = self.database
        if let writes {
            let writer = writes.database ?? database
            // Without a writer of its own (in-memory SQLite) the pool's one connection is shared: checked.
            let checks = checkingReferences || writes.database == nil
            return try await writes.run { try await writer.immediateTransaction(body, executor: writes.executor, checkingReferences: checks) }
        }
        // Without a gate (the desk's start storing its first admin or the demo), a SQLite write still
        // takes the file's lock first: another process may be writing it.
        if !database.isPostgres, database is any SQLDatabase {
            return try await database.immediateTransaction(body, waitingUpTo: DedicatedWriter.busyTimeoutMilliseconds)
        }
        return try await database.transaction { try await body($0) }
    }

    /// The migrations that build the schema, in order.
    public static let migrations: [any Migration] = [CreateSchema(), CreateMonitorSchema(), CreateWorkSchema(), DropIndexesCoveredByUniqueKeys(), DropOutboxCaseReference(),
                                                    RecordRaisedAlarmsInTheOutbox(), RecordErasedAttachments(), CreateAuthenticationFailures(),
                                                    RecordDeactivationsAndPersonHistory(), CreateCaseSearch(),
                                                    IndexCasesNewestFirstWithoutStatus(), CreateWebSignIn(), CreateFormSubmissions(),
                                                    RecordInternalAttachments(), CreateInboundMail(), CreateDeskSecrets(), CreateFailingAddresses(), CreateMailFetchLeases(), IndexInboundMailsByCase(),
                                                    CreateTemplateVariants(), RecordClockTimeUsed(), CreateCaseImports(), IndexLedgerCases(), CreateMaintenanceWindows(), CreateServiceReviews(), IndexUnmeasuredClocks(),
                                                    RecordOutboxOrganizations(), CreateReportFacts(), CompactCaseSearch(), CompressLargeTextWithLZ4(), StoreSearchWordsAsWritten()]

    // MARK: Organizations and their audit trail

    public func createOrganization(
        name: String, policyID: String, regionID: String, casePrefix: String, subscription: Subscription, by actorID: UUID?, at instant: Date
    ) async throws -> Organization {
        try await write { db in
            // A case number names its customer: two customers never share a prefix.
            if let holder = try await OrganizationModel.query(on: db).filter(\.$casePrefix == casePrefix).first() {
                throw StoreError.conflict("the case prefix \(casePrefix) is \(holder.name)'s; choose another")
            }
            let model = OrganizationModel()
            model.name = name
            model.policyID = policyID
            model.planID = subscription.plan
            model.regionID = regionID
            model.termStart = subscription.termStart.description
            model.termEnd = subscription.termEnd.description
            model.automaticRenewal = subscription.automaticRenewal
            model.casePrefix = casePrefix
            try await model.create(on: db)
            try await Self.audit(
                OrganizationEvent(at: instant, actorID: actorID, kind: "created", value: subscription.plan, effective: subscription.termStart,
                                  detail: "subscribed to \(policyID) \(subscription.plan) from \(subscription.termStart) to \(subscription.termEnd)"),
                organizationID: try model.requireID(), on: db)
            return try model.record(SubscriptionFacts([]))
        }
    }

    public func organization(_ id: UUID) async throws -> Organization? {
        try await Self.organization(id, on: database)
    }

    /// The organization with its technical account manager (`AccountRole.tam`), in one read: a
    /// logged case's answer names both.
    public func customer(_ id: UUID) async throws -> Customer? {
        try await cached(\.customers, id) { try await HotReads.customer(id, on: database) }
    }

    /// `read`, or what the cache keeps of it.
    func cached<Key: Hashable & Sendable, Value: Sendable>(
        _ entries: WritableKeyPath<ReadCache.State, [Key: ReadCache.Entry<Value>]>, _ key: Key, read: () async throws -> Value?
    ) async throws -> Value? {
        guard let cache else { return try await read() }
        return try await cache.value(entries, key, read: read)
    }

    /// Runs a write that may change what the cache keeps, and empties the cache once it committed.
    func writeUncaching<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        let result = try await write(body)
        cache?.empty()
        return result
    }

    private static func organization(_ id: UUID, on db: any Database) async throws -> Organization? {
        try await HotReads.customer(id, on: db)?.organization
    }

    /// Every organization, by name.
    public func organizations() async throws -> [Organization] {
        let facts = try await OrganizationEventModel.query(on: database).filter(\.$kind ~~ SubscriptionFacts.kinds).sort(\.$at).all()
        let byOrganization = Dictionary(grouping: facts) { $0.$organization.id }
        return try await OrganizationModel.query(on: database).sort(\.$name).all().map { model in
            try model.record(SubscriptionFacts((byOrganization[try model.requireID()] ?? []).map { ($0.kind, $0.value, $0.effective) }))
        }
    }

    /// Records a change of the subscription worked out by the caller from `organization` as read:
    /// refused when another change landed in between, so no change is lost.
    /// `events` are the audit entries saying what changed, in order (a reactivation records the lapse,
    /// the new term and its plan); `contacts` is the allowance of a new plan, whose excess is billed.
    public func changeSubscription(of organization: Organization, to changed: Subscription, events: [OrganizationEvent],
                                   contacts: ContactAllowance? = nil) async throws -> Organization {
        try await writeUncaching { db in
            guard let current = try await Self.organization(organization.id, on: db) else { throw StoreError.notFound("organization \(organization.id)") }
            guard current.subscription == organization.subscription else {
                throw StoreError.conflict("the subscription of \(organization.name) changed meanwhile; read it again and retry")
            }
            if changed.nonRenewalNotice != current.subscription.nonRenewalNotice {
                guard let model = try await OrganizationModel.find(organization.id, on: db) else { throw StoreError.notFound("organization \(organization.id)") }
                model.nonRenewalNotice = changed.nonRenewalNotice?.description
                try await model.save(on: db)
            }
            for event in events { try await Self.audit(event, organizationID: organization.id, on: db) }
            if let contacts, let event = events.last {
                try await Self.billExcessContacts(of: organization.id, allowance: contacts, event: event, on: db)
            }
            guard let updated = try await Self.organization(organization.id, on: db) else { throw StoreError.notFound("organization \(organization.id)") }
            return updated
        }
    }

    /// Renames `organization` or moves it to another region, as read: refused when another change
    /// landed in between.
    public func editOrganization(_ organization: Organization, name: String?, regionID: String?, event: OrganizationEvent) async throws -> Organization {
        try await writeUncaching { db in
            guard let model = try await OrganizationModel.find(organization.id, on: db) else { throw StoreError.notFound("organization \(organization.id)") }
            guard model.name == organization.name, model.regionID == organization.regionID else {
                throw StoreError.conflict("\(organization.name) changed meanwhile; read it again and retry")
            }
            if let name { model.name = name }
            if let regionID { model.regionID = regionID }
            try await model.save(on: db)
            try await Self.audit(event, organizationID: organization.id, on: db)
            guard let updated = try await Self.organization(organization.id, on: db) else { throw StoreError.notFound("organization \(organization.id)") }
            return updated
        }
    }

    /// After a plan change to `allowance`: the authorized contacts beyond what the plan includes are
    /// billed as overage from the change on — the newest first, each audited — or, where the plan
    /// sells no extra contacts, the change is refused until there are few enough.
    private static func billExcessContacts(of organizationID: UUID, allowance: ContactAllowance, event: OrganizationEvent, on db: any Database) async throws {
        let contacts = try await PersonModel.query(on: db).filter(\.$organization.$id == organizationID)
            .filter(\.$role == Role.authorizedContact.rawValue).filter(\.$erasedAt == nil).sort(\.$createdAt).all()
        let excess = contacts.count - allowance.included
        guard excess > 0 else { return }
        guard allowance.extraAtFee else {
            throw StoreError.limit("the \(event.value ?? "new") plan includes \(allowance.included) authorized contacts and sells no extra ones; \(contacts.count) are authorized: erase or demote \(excess) first")
        }
        var toBill = excess - contacts.filter(\.billableOverage).count
        for contact in contacts.reversed() where toBill > 0 && !contact.billableOverage {
            contact.billableOverage = true
            try await contact.save(on: db)
            toBill -= 1
            try await audit(OrganizationEvent(at: event.at, actorID: event.actorID, kind: "billable-overage", value: try contact.requireID().uuidString,
                                              effective: event.effective,
                                              detail: "\(contact.email) is beyond the \(allowance.included) authorized contacts of the \(event.value ?? "new") plan: billed as an overage from \(event.effective.map(\.description) ?? "now")"),
                            organizationID: organizationID, on: db)
        }
    }

    /// The organization's audit trail, oldest first.
    public func history(of organizationID: UUID) async throws -> [OrganizationEvent] {
        try await OrganizationEventModel.query(on: database).filter(\.$organization.$id == organizationID).sort(\.$at).all().map { $0.record() }
    }

    static func audit(_ event: OrganizationEvent, organizationID: UUID, on db: any Database) async throws {
        let row = OrganizationEventModel()
        row.$organization.id = organizationID
        row.at = event.at
        row.$actor.id = event.actorID
        row.kind = event.kind
        row.value = event.value
        row.effective = event.effective?.description
        row.detail = event.detail
        try await row.create(on: db)
    }

    // MARK: People

    /// Adds a person. For an authorized contact, `allowance` is checked in the same transaction: past
    /// the plan's allowance the contact is refused, or — when the plan sells extras and the request
    /// acknowledges the fee — added as a billable overage, which the audit trail records.
    public func createPerson(
        organizationID: UUID?, name: String, email: String, role: Role, tier: Int? = nil, allowance: ContactAllowance? = nil,
        by actorID: UUID? = nil, at instant: Date = Date()
    ) async throws -> Person {
        try await write { db in
            if try await PersonModel.query(on: db).filter(\.$email == email.lowercased()).first() != nil {
                throw StoreError.conflict("a person with email \(email) already exists")
            }
            let model = PersonModel()
            model.$organization.id = organizationID
            model.name = name
            model.email = email.lowercased()
            model.role = role.rawValue
            model.tier = tier
            model.billableOverage = false
            if role == .authorizedContact, let allowance, let organizationID {
                model.billableOverage = try await Self.contactBeyondAllowance(in: organizationID, allowance: allowance, on: db)
            }
            try await model.create(on: db)
            if let organizationID {
                let id = try model.requireID()
                try await Self.audit(
                    OrganizationEvent(at: instant, actorID: actorID, kind: model.billableOverage ? "billable-overage" : "person-added", value: id.uuidString,
                                      detail: model.billableOverage ? "authorized contact added beyond the plan's allowance: billable" : "\(role.rawValue) added"),
                    organizationID: organizationID, on: db)
            }
            return try model.record()
        }
    }

    public func person(_ id: UUID) async throws -> Person? {
        try await PersonModel.find(id, on: database)?.record()
    }

    /// Administrators who can still sign in (neither erased nor deactivated).
    public func administratorCount() async throws -> Int {
        try await PersonModel.query(on: database).filter(\.$role == Role.admin.rawValue).filter(\.$erasedAt == nil)
            .filter(\.$deactivatedAt == nil).count()
    }

    public func person(email: String) async throws -> Person? {
        try await HotReads.person(email: email.lowercased(), on: database)
    }

    /// The provider's staff in `roles` who are not erased, by email.
    public func staff(roles: Set<Role>) async throws -> [Person] {
        try await PersonModel.query(on: database).filter(\.$role ~~ roles.map(\.rawValue)).filter(\.$organization.$id == nil)
            .filter(\.$erasedAt == nil).sort(\.$email).all().map { try $0.record() }
    }

    public func people(in organizationID: UUID) async throws -> [Person] {
        try await PersonModel.query(on: database).filter(\.$organization.$id == organizationID).sort(\.$createdAt).all().map { try $0.record() }
    }

    // MARK: Tokens

    /// Issues a token for a person and returns its secret, which is shown once and stored only hashed.
    /// The one rule for every path that makes a token (API, CLI, demo): only a person who exists
    /// and was neither erased nor deactivated gets one; tokens of such people are refused when presented too.
    public func issueToken(for personID: UUID, label: String) async throws -> String {
        try await issueTokenWithID(for: personID, label: label).secret
    }

    /// `issueToken`, with the id the token is listed and revoked by.
    public func issueTokenWithID(for personID: UUID, label: String) async throws -> (secret: String, id: UUID) {
        guard let person = try await PersonModel.find(personID, on: database) else { throw StoreError.notFound("person \(personID)") }
        guard person.erasedAt == nil else {
            throw StoreError.conflict("\(person.email) was erased (they left, or their personal data was removed on request): erased people get no token")
        }
        guard person.deactivatedAt == nil else {
            throw StoreError.conflict("\(person.email) is deactivated: reactivate them before issuing a token")
        }
        let secret = Self.newSecret(prefix: "acd_")
        let model = TokenModel()
        model.$person.id = personID
        model.secretHash = Self.hash(secret)
        model.label = label
        try await write { db in try await model.create(on: db) }
        return (secret, try model.requireID())
    }

    /// A person's tokens, oldest first: what each is for and when it was made (never the secret).
    public func tokens(of personID: UUID) async throws -> [TokenInfo] {
        try await TokenModel.query(on: database).filter(\.$person.$id == personID).sort(\.$createdAt).all().map {
            TokenInfo(id: try $0.requireID(), label: $0.label, createdAt: $0.createdAt ?? Date(timeIntervalSince1970: 0))
        }
    }

    /// Revokes one of a person's tokens at once (this server forgets who held it; others within
    /// their read-cache time). False when the person has no such token.
    public func revokeToken(_ tokenID: UUID, of personID: UUID) async throws -> Bool {
        try await writeUncaching { db in
            guard let token = try await TokenModel.query(on: db).filter(\.$id == tokenID).filter(\.$person.$id == personID).first() else { return false }
            try await token.delete(on: db)
            return true
        }
    }

    /// The person a token secret belongs to.
    public func person(forToken secret: String) async throws -> Person? {
        let secretHash = Self.hash(secret)
        return try await cached(\.holders, secretHash) { try await HotReads.person(secretHash: secretHash, on: database) }
    }

    /// 256 random bits, base64url without padding, after `prefix` (which says what the secret is for).
    static func newSecret(prefix: String) -> String {
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255, using: &generator) }
        return prefix + Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func hash(_ secret: String) -> String {
        sha256(Data(secret.utf8))
    }

    /// The SHA-256 of `data`, as 64 lowercase hex digits.
    static func sha256(_ data: Data) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: data) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    // MARK: Cases

    /// Stores a new case with its `logged` event, watchers and clocks, numbering it
    /// `PREFIX-YEAR-NNNNNN` from a per-prefix counter. With group commit, cases logged at the same
    /// moment share one transaction; each caller still returns only once its case is committed.
    public func createCase(_ new: NewCaseRecord) async throws -> LoggedCase {
        if let intake = batches?.intake { return try await intake.submit(new) { try await self.insertAll($0) } }
        return try await insertAll([new])[0]
    }

    /// One transaction for all of `records`: each table gets a single multi-row insert.
    private func insertAll(_ records: [NewCaseRecord]) async throws -> [LoggedCase] {
        // Made into rows before queueing for the writer: inside, the transaction only numbers and writes them.
        let rows = prepare(records)
        // Two first cases of a year may both try to start the counter; the loser draws again.
        var attempt = 1
        while true {
            do {
                // Chained futures: the statements follow each other on the writer's event loop
                // without a trip through the shared task executors between them.
                return try await write { db in
                    let logged = rows.logged(try await rows.write(on: db))
                    let activities = logged.flatMap { CaseActivity.of($0.supportCase, events: $0.events) }
                    try await Self.recordActivity(activities, at: logged.first?.supportCase.loggedAt ?? Date(), on: try db.sql)
                    var notices: [(caseID: UUID, entry: OutboxEntry)] = []
                    for (record, made) in zip(records, logged) {
                        for notice in record.notices { notices.append((made.supportCase.id, try notice(made.supportCase.id))) }
                    }
                    if !notices.isEmpty { try await Self.writeOutbox(notices, at: logged.first?.supportCase.loggedAt ?? Date(), on: try db.sql) }
                    return logged
                }
            } catch let error as any DatabaseError where error.isConstraintFailure && attempt < 20 {
                attempt += 1
            }
        }
    }

    /// A case's number within its prefix: at least six digits, zero-padded (`000123`).
    static func caseNumber(_ number: Int) -> String {
        let digits = String(number)
        return digits.count >= 6 ? digits : String(repeating: "0", count: 6 - digits.count) + digits
    }

    private static func addWatchers(_ watchers: [NewWatcher], caseID: UUID, by actorID: UUID?, at instant: Date, on db: any Database) async throws {
        for watcher in watchers {
            let email = watcher.email.lowercased()
            if let existing = try await CaseWatcherModel.query(on: db).filter(\.$caseModel.$id == caseID).filter(\.$email == email).first() {
                // A CC'd address later made a case-team contact becomes one; nothing else changes.
                if watcher.kind == .team && existing.kind != NewWatcher.Kind.team.rawValue {
                    existing.kind = NewWatcher.Kind.team.rawValue
                    try await existing.save(on: db)
                }
                continue
            }
            let model = CaseWatcherModel()
            model.id = .timeOrdered()
            model.$caseModel.id = caseID
            model.$person.id = watcher.personID
            model.email = email
            model.kind = watcher.kind.rawValue
            model.$addedBy.id = actorID
            model.addedAt = instant
            try await model.create(on: db)
        }
    }

    /// A case by id (plain SQL, as the case list reads it: Fluent's model decoding cost more than the query).
    public func supportCase(_ id: UUID) async throws -> SupportCase? {
        try await sql.select().columns(CaseRows.caseColumns.map { SQLIdentifier($0) }).from(CaseModel.schema).where("id", .equal, id)
            .first(decoding: CaseReads.CaseRow.self)?.record
    }

    /// A case's timeline in order (plain SQL: every case read needs it, and Fluent's model decoding
    /// cost more than the query).
    public func events(of caseID: UUID) async throws -> [CaseEvent] {
        try await CaseReads.events(of: [caseID], on: database)[caseID] ?? []
    }

    /// The timelines of several cases in one query, by case id.
    public func events(of caseIDs: [UUID]) async throws -> [UUID: [CaseEvent]] {
        guard !caseIDs.isEmpty else { return [:] }
        return try await CaseReads.events(of: caseIDs, on: database)
    }

    public func clocks(of caseID: UUID) async throws -> [StoredClock] {
        try await ClockModel.query(on: database).filter(\.$caseModel.$id == caseID).sort(\.$metric).all().map { $0.record() }
    }

    /// Appends an event with its change to the case (status, priority, scope, watchers) and replaces
    /// the clocks (nil: they stay) — all in one transaction, refused when the case changed since `expectedVersion`.
    public func append(
        _ events: [CaseEvent], to caseID: UUID, expectedVersion: Int?, change: CaseChange = CaseChange(), clocks: [StoredClock]?
    ) async throws -> SupportCase {
        try await write { db in
            try await Self.append(CaseWrite(caseID: caseID, events: events, expectedVersion: expectedVersion, change: change, clocks: clocks), on: db)
        }
    }

    /// Several cases' appends in one transaction, each as `append` does it: all or none (a merge
    /// closes the duplicate and records it on the survivor together).
    public func append(_ writes: [CaseWrite]) async throws -> [SupportCase] {
        try await write { db in
            var written: [SupportCase] = []
            for write in writes { written.append(try await Self.append(write, on: db)) }
            return written
        }
    }

    private static func append(_ write: CaseWrite, on db: any Database) async throws -> SupportCase {
        let (events, caseID, expectedVersion, change, clocks) = (write.events, write.caseID, write.expectedVersion, write.change, write.clocks)
        guard let model = try await CaseModel.find(caseID, on: db) else { throw StoreError.notFound("case \(caseID)") }
        if let expectedVersion, expectedVersion != model.version {
            throw StoreError.staleVersion(expected: expectedVersion, actual: model.version)
        }
        let last = try await CaseEventModel.query(on: db).filter(\.$caseModel.$id == caseID).max(\.$sequence) ?? 0
        for (offset, event) in events.enumerated() {
            let row = CaseEventModel()
            row.id = .timeOrdered()
            row.$caseModel.id = caseID
            row.sequence = last + 1 + offset
            row.at = event.at
            row.$actor.id = event.actorID
            row.kind = event.kind
            row.value = event.value
            row.body = event.body
            try await row.create(on: db)
        }
        if let status = change.status { model.status = status }
        if let priority = change.priority { model.priority = priority }
        if let rank = change.priorityRank { model.priorityRank = rank }
        if let work = change.work { model.work = work }
        if let scope = change.outOfScope { model.outOfScope = scope }
        let readVersion = model.version
        model.version += 1
        if let clocks {
            model.nextDue = Self.nextDue(clocks)
            model.queueDue = CaseRows.queueDue(model.nextDue)
            model.breached = clocks.contains { $0.state == "breached" }
        }
        // Optimistic concurrency: the update applies only if nobody changed the case since it was
        // read; a concurrent writer that got there first leaves zero rows updated.
        let sql = try db.sql
        let rows = try await sql.update(CaseModel.schema)
            .set("status", to: model.status).set("priority", to: model.priority).set("version", to: model.version)
            .set("next_due", to: model.nextDue).set("breached", to: model.breached).set("out_of_scope", to: model.outOfScope)
            .set("queue_due", to: model.queueDue).set("priority_rank", to: model.priorityRank)
            .set("team_id", to: model.teamID).set("tier", to: model.tier).set("assignee_id", to: model.assigneeID)
            .set("assigned_at", to: model.assignedAt).set("advocate_id", to: model.advocateID)
            .where("id", .equal, caseID).where("version", .equal, readVersion)
            .returning("id").all()
        guard rows.count == 1 else { throw StoreError.staleVersion(expected: readVersion, actual: readVersion + 1) }
        if let first = events.first {
            try await Self.addWatchers(change.watchers, caseID: caseID, by: first.actorID, at: first.at, on: db)
        }
        if let clocks { try await Self.replaceClocks(clocks, caseID: caseID, on: db) }
        let at = events.first?.at ?? model.loggedAt
        try await Self.writeOutbox(change.outbox.map { (caseID, $0) }, at: at, on: sql)
        if let mail = change.inboundMail { try await Self.markMail(mail, caseID: caseID, at: at, on: db) }
        if events.contains(where: { CaseSearch.publicKinds.contains($0.kind) || CaseSearch.internalKinds.contains($0.kind) }) {
            try await CaseSearch.reindex([caseID], on: db)
        }
        let updated = try model.record()
        let numbered = events.enumerated().map { offset, event in
            CaseEvent(sequence: last + 1 + offset, at: event.at, actorID: event.actorID, kind: event.kind, value: event.value)
        }
        try await Self.recordActivity(CaseActivity.of(updated, events: numbered), at: at, on: sql)
        return updated
    }

    /// One case's append: the events, the change they make, and the clocks derived after them.
    public struct CaseWrite: Sendable {
        public var caseID: UUID
        public var events: [CaseEvent]
        /// The version the case must still have; nil to take it as it is.
        public var expectedVersion: Int?
        public var change: CaseChange
        public var clocks: [StoredClock]?

        public init(caseID: UUID, events: [CaseEvent], expectedVersion: Int?, change: CaseChange = CaseChange(), clocks: [StoredClock]?) {
            self.caseID = caseID
            self.events = events
            self.expectedVersion = expectedVersion
            self.change = change
            self.clocks = clocks
        }
    }

    /// The case's CC addresses and case team, in the order they were added (plain SQL: read for
    /// every case answer, where Fluent's model reflection cost more than the query).
    public func watchers(of caseID: UUID) async throws -> [CaseWatcher] {
        try await sql.raw("""
            SELECT email, person_id, kind, added_by, added_at FROM case_watchers WHERE case_id = \(bind: caseID) ORDER BY added_at
            """).all().map { row in
            CaseWatcher(email: try row.decode(column: "email", as: String.self), personID: try row.decode(column: "person_id", as: UUID?.self),
                        kind: NewWatcher.Kind(stored: try row.decode(column: "kind", as: String.self)),
                        addedBy: try row.decode(column: "added_by", as: UUID?.self), addedAt: try row.decode(column: "added_at", as: Date.self))
        }
    }

    /// Whether `personID` is CC'd or on the case team of the case.
    public func isWatching(_ caseID: UUID, personID: UUID) async throws -> Bool {
        try await CaseWatcherModel.query(on: database).filter(\.$caseModel.$id == caseID).filter(\.$person.$id == personID).first() != nil
    }

    // MARK: Attachments

    public func addAttachment(_ attachment: Attachment) async throws {
        try await write { db in try await Self.insert([attachment], on: db) }
    }

    /// Records `attachments` (their files already in the attachment store) in one statement: an
    /// upload's, or a mailed message's with its reply (a new case's go with its rows, `NewCaseRows`).
    static func insert(_ attachments: [Attachment], on db: any Database) async throws {
        try await CaseRows.chain(CaseRows.attachments(attachments, sqlite: !db.isPostgres).statements(on: db), on: db).get()
    }

    /// The case's attachments, oldest first (plain SQL, as `watchers(of:)`).
    public func attachments(of caseID: UUID) async throws -> [Attachment] {
        try await sql.raw("SELECT \(Self.attachmentColumns) FROM attachments WHERE case_id = \(bind: caseID) ORDER BY uploaded_at").all()
            .map(Self.attachment)
    }

    public func attachment(_ id: UUID) async throws -> Attachment? {
        try await sql.raw("SELECT \(Self.attachmentColumns) FROM attachments WHERE id = \(bind: id)").first().map(Self.attachment)
    }

    private static let attachmentColumns: SQLQueryString = "id, case_id, filename, content_type, size, sha256, uploaded_by, uploaded_at, erased_at, internal"

    private static func attachment(_ row: any SQLRow) throws -> Attachment {
        Attachment(id: try row.decode(column: "id", as: UUID.self), caseID: try row.decode(column: "case_id", as: UUID.self),
                   filename: try row.decode(column: "filename", as: String.self), contentType: try row.decode(column: "content_type", as: String.self),
                   size: try row.decode(column: "size", as: Int.self), sha256: try row.decode(column: "sha256", as: String.self),
                   uploadedBy: try row.decode(column: "uploaded_by", as: UUID?.self), uploadedAt: try row.decode(column: "uploaded_at", as: Date.self),
                   erasedAt: try row.decode(column: "erased_at", as: Date?.self), isInternal: try row.decode(column: "internal", as: Bool.self))
    }

    // MARK: Policies

    /// Stores a policy version; refused when that id and version exist (a published version never changes).
    public func addPolicy(_ policyID: String, version: String, yaml: String, by actorID: UUID?, at instant: Date, publish: Bool) async throws -> StoredPolicy {
        try await write { db in
            if try await PolicyModel.query(on: db).filter(\.$policyID == policyID).filter(\.$version == version).first() != nil {
                throw StoreError.conflict("policy \(policyID) version \(version) exists already; give the new text a new version")
            }
            let model = PolicyModel()
            model.policyID = policyID
            model.version = version
            model.yaml = yaml
            model.$uploadedBy.id = actorID
            model.uploadedAt = instant
            model.publishedAt = publish ? instant : nil
            model.current = false
            try await model.create(on: db)
            if publish { try await Self.makeCurrent(model, on: db) }
            return model.record()
        }
    }

    /// Makes a stored version the one new cases are logged under.
    public func publishPolicy(_ policyID: String, version: String, at instant: Date) async throws -> StoredPolicy {
        try await write { db in
            guard let model = try await PolicyModel.query(on: db).filter(\.$policyID == policyID).filter(\.$version == version).first() else {
                throw StoreError.notFound("policy \(policyID) version \(version)")
            }
            model.publishedAt = instant
            try await model.save(on: db)
            try await Self.makeCurrent(model, on: db)
            return model.record()
        }
    }

    private static func makeCurrent(_ model: PolicyModel, on db: any Database) async throws {
        try await PolicyModel.query(on: db).filter(\.$policyID == model.policyID).set(\.$current, to: false).update()
        try await PolicyModel.query(on: db).filter(\.$id == model.requireID()).set(\.$current, to: true).update()
        model.current = true
    }

    public func storedPolicy(_ policyID: String, version: String) async throws -> StoredPolicy? {
        try await PolicyModel.query(on: database).filter(\.$policyID == policyID).filter(\.$version == version).first()?.record()
    }

    /// Every stored version, oldest first.
    public func storedPolicies() async throws -> [StoredPolicy] {
        try await PolicyModel.query(on: database).sort(\.$uploadedAt).all().map { $0.record() }
    }

    /// The current (last published) version of each policy.
    public func currentPolicyVersions() async throws -> [String: String] {
        let rows = try await PolicyModel.query(on: database).filter(\.$current == true).all()
        return Dictionary(rows.map { ($0.policyID, $0.version) }, uniquingKeysWith: { first, _ in first })
    }

    // MARK: Counts

    /// Cases not yet resolved or closed.
    public func openCaseCount() async throws -> Int {
        try await CaseModel.query(on: database).filter(\.$status !~ ["resolved", "closed"]).count()
    }

    /// Running clocks, and clocks breached at `now` (stopped late, or running past their due).
    public func clockCounts(at now: Date) async throws -> (running: Int, breached: Int) {
        let running = try await ClockModel.query(on: database).filter(\.$state == "running").count()
        let overdue = try await ClockModel.query(on: database).filter(\.$state == "running").filter(\.$due < now).count()
        let stoppedLate = try await ClockModel.query(on: database).filter(\.$state == "breached").count()
        return (running - overdue, overdue + stoppedLate)
    }

    // MARK: Erasure

    /// Erases a person's personal data (GDPR) in one transaction: their name and address, every
    /// place the address was copied (CC entries and the timeline's `cc-added`/`team-added`), their
    /// tokens, and the files they uploaded (name and bytes; the row stays as the record that a
    /// file was sent). A customer's message bodies and the title, description, steps and contact
    /// details of cases they logged become `[erased]`. A staff member leaves: what the customer was
    /// told stays (their replies are the provider's record), but they are taken off every team,
    /// account role and advocacy, and the unfinished cases assigned to them go back to their
    /// queue, each with a timeline entry. Times, priorities, statuses and clocks stay, so attainment
    /// reports remain true.
    public func erase(_ personID: UUID, by actorID: UUID?, at instant: Date) async throws -> Erasure {
        try await writeUncaching { db in
            guard let person = try await PersonModel.find(personID, on: db) else { throw StoreError.notFound("person \(personID)") }
            guard person.erasedAt == nil else { throw StoreError.conflict("\(person.email) was already erased") }
            if person.role == Role.admin.rawValue {
                // Checked in the erasing transaction, so two erasures at once cannot both pass.
                try await Self.requireAnotherAdministrator(than: person, on: db)
            }
            let erasedEmail = "erased-\(personID.uuidString.lowercased())@erased.invalid"
            let oldEmail = person.email
            let staff = person.$organization.id == nil
            person.name = "Erased person"
            person.email = erasedEmail
            person.erasedAt = instant
            try await person.save(on: db)
            try await TokenModel.query(on: db).filter(\.$person.$id == personID).delete()
            try await Self.forgetSignIn(of: personID, on: db)
            if staff {
                try await Self.releaseWork(of: personID, by: actorID, at: instant, why: "the assignee left the provider", on: db)
            } else {
                try await CaseEventModel.query(on: db).filter(\.$actor.$id == personID).filter(\.$body != nil)
                    .set(\.$body, to: "[erased]").update()
                try await CaseModel.query(on: db).filter(\.$requester.$id == personID)
                    .set(\.$title, to: "[erased]").set(\.$description, to: "[erased]").set(\.$stepsToReproduce, to: nil).set(\.$contactName, to: nil)
                    .set(\.$contactPhone, to: nil).set(\.$contactEmail, to: nil).update()
            }
            if !staff {
                // The index must forget what the erasure replaced: the cases they logged or wrote in.
                let written = try await db.sql.raw("""
                    SELECT id FROM cases WHERE requester_id = \(bind: personID)
                    UNION SELECT case_id FROM case_events WHERE actor_id = \(bind: personID)
                    """).all().map { try $0.decode(column: "id", as: UUID.self) }
                for chunk in written.chunks(of: 1_000) { try await CaseSearch.reindex(Array(chunk), on: db) }
            }
            let addresses = try await Self.eraseAddress(oldEmail, replacingWith: erasedEmail, on: db)
            let files = try await Self.eraseUploads(by: personID, at: instant, on: db)
            if let organizationID = person.$organization.id {
                try await Self.audit(OrganizationEvent(at: instant, actorID: actorID, kind: "person-erased", value: personID.uuidString,
                                                       detail: "personal data erased on request"), organizationID: organizationID, on: db)
            }
            return Erasure(person: try person.record(), addressesReplaced: addresses, orphanedFiles: files)
        }
    }

    /// Erases an address that belongs to no person of the desk (a CC'd outsider): every CC entry
    /// and timeline entry that names it. An address of a person is erased with the person.
    public func eraseAddress(_ email: String, at instant: Date) async throws -> Erasure {
        try await writeUncaching { db in
            let address = email.lowercased()
            if try await PersonModel.query(on: db).filter(\.$email == address).first() != nil {
                throw StoreError.conflict("\(address) is a person of the desk: erase the person (POST /api/v1/people/{id}/erasure)")
            }
            let replaced = try await Self.eraseAddress(address, replacingWith: "erased-\(UUID().uuidString.lowercased())@erased.invalid", on: db)
            guard replaced > 0 else { throw StoreError.notFound("address \(address) on any case") }
            return Erasure(person: nil, addressesReplaced: replaced, orphanedFiles: [])
        }
    }

    /// Replaces `address` wherever a case copied it; returns how many entries changed.
    private static func eraseAddress(_ address: String, replacingWith erased: String, on db: any Database) async throws -> Int {
        let sql = try db.sql
        let watchers = try await sql.raw("UPDATE case_watchers SET email = \(bind: erased) WHERE email = \(bind: address) RETURNING case_id").all().count
        let events = try await sql.raw("""
            UPDATE case_events SET value = \(bind: erased) WHERE kind IN ('cc-added', 'team-added') AND value = \(bind: address) RETURNING id
            """).all().count
        return watchers + events
    }

    /// Marks the person's uploads erased (name gone, bytes to be deleted) and returns the SHA-256
    /// of each stored file no attachment still needs.
    private static func eraseUploads(by personID: UUID, at instant: Date, on db: any Database) async throws -> [String] {
        let sql = try db.sql
        let hashes = Set(try await sql.raw("""
            UPDATE attachments SET filename = '[erased]', erased_at = \(bind: instant)
            WHERE uploaded_by = \(bind: personID) AND erased_at IS NULL RETURNING sha256
            """).all().map { try $0.decode(column: "sha256", as: String.self) })
        var orphaned: [String] = []
        for hash in hashes.sorted() {
            let kept = try await sql.raw("SELECT COUNT(*) AS n FROM attachments WHERE sha256 = \(bind: hash) AND erased_at IS NULL").first()?
                .decode(column: "n", as: Int.self) ?? 0
            if kept == 0 { orphaned.append(hash) }
        }
        return orphaned
    }

    static func nextDue(_ clocks: [StoredClock]) -> Date? {
        clocks.filter { $0.state == "running" }.compactMap(\.due).min()
    }

    private static func replaceClocks(_ clocks: [StoredClock], caseID: UUID, on db: any Database) async throws {
        try await ClockModel.query(on: db).filter(\.$caseModel.$id == caseID).delete()
        try await clocks.map { clockModel($0, caseID: caseID) }.create(on: db)
        try await CaseRows.replaceAlarms(CaseRows.alarms(of: clocks, caseID: caseID), caseID: caseID, on: db)
    }

    private static func clockModel(_ clock: StoredClock, caseID: UUID) -> ClockModel {
        let model = ClockModel()
        model.id = .timeOrdered()
        model.$caseModel.id = caseID
        model.metric = clock.metric
        model.target = clock.target
        model.due = clock.due
        model.state = clock.state
        model.used = clock.used
        model.measure = clock.measure
        return model
    }

    /// Cases matching `filter`, newest first, after `cursor` (the number of the last case of the previous page).
    public func cases(_ filter: CaseFilter, after cursor: String?, limit: Int) async throws -> [SupportCase] {
        try await cases(filter, after: cursor, limit: limit, ordered: true)
    }

    /// `cases`, unordered when `ordered` is false (see `CaseReads.page`).
    func cases(_ filter: CaseFilter, after cursor: String?, limit: Int, ordered: Bool) async throws -> [SupportCase] {
        guard let viewer = filter.visibleTo else {
            return try await CaseReads.page(filter, after: cursor, limit: limit, ordered: ordered, on: database) { $0 }
        }
        var merged: [UUID: SupportCase] = [:]
        for part in try await parts(of: viewer) {
            for supportCase in try await CaseReads.page(filter, after: cursor, limit: limit, ordered: ordered, on: database, part) {
                merged[supportCase.id] = supportCase
            }
        }
        // Byte order, as the database sorts case numbers (see CreateSchema).
        return Array(merged.values.sorted { $1.number.utf8.lexicographicallyPrecedes($0.number.utf8) }.prefix(limit))
    }

    /// The ids of the cases named by `filter.caseIDs` that pass the filter, the caller's visibility included.
    func caseIDs(_ filter: CaseFilter) async throws -> Set<UUID> {
        guard let viewer = filter.visibleTo else { return Set(try await CaseReads.ids(filter, on: database) { $0 }) }
        var ids: Set<UUID> = []
        for part in try await parts(of: viewer) { ids.formUnion(try await CaseReads.ids(filter, on: database, part)) }
        return ids
    }

    /// A customer's view is a union: own cases, watched cases, and the organization's cases under
    /// each overseeing policy. Each part is read newest first straight off its own index and the
    /// pages are merged; one OR across the parts would make the database gather and sort every
    /// matching case of the organization for a page of fifty.
    func parts(of viewer: CaseFilter.Viewer) async throws -> [(SQLSelectBuilder) -> SQLSelectBuilder] {
        let watched = try await CaseWatcherModel.query(on: database).filter(\.$person.$id == viewer.personID).all().map { $0.$caseModel.id }
        var parts: [(SQLSelectBuilder) -> SQLSelectBuilder] = [{ $0.where("requester_id", .equal, viewer.personID) }]
        if !watched.isEmpty { parts.append { $0.where("id", .in, watched) } }
        for policy in viewer.policyIDs {
            parts.append { $0.where("organization_id", .equal, viewer.organizationID).where("policy_id", .equal, policy) }
        }
        return parts
    }
}

/// Which cases to list. `nil` means "no restriction" for each part.
public struct CaseFilter: Sendable {
    public var organizationIDs: [UUID]?
    public var requesterIDs: [UUID]?
    public var caseIDs: [UUID]?
    public var policyIDs: [String]?
    public var status: String?
    public var priority: String?
    public var dueBefore: Date?
    /// Only cases with a clock breached at this instant (stopped late, or running past its due).
    public var breachedAt: Date?
    /// Only cases with no clock breached at this instant.
    public var notBreachedAt: Date?
    /// Only cases assigned to one of these people.
    public var assigneeIDs: [UUID]?
    /// Only cases assigned to nobody.
    public var unassigned = false
    /// Only cases with this team of this policy (a queue: `policy.team`).
    public var team: (policyID: String, teamID: String)?
    /// Order by the earliest due of a running clock, soonest first (cases with none left out);
    /// for the provider's staff, whose lists need no merging of a customer's views.
    public var byNextDue = false
    /// A customer's view: their own cases, the cases they watch, and the cases of their organization
    /// under policies that let them oversee it.
    public var visibleTo: Viewer?

    /// A customer who sees their own and watched cases, and their organization's cases under `policyIDs`.
    public struct Viewer: Sendable {
        public var personID: UUID
        public var organizationID: UUID
        public var policyIDs: [String]

        public init(personID: UUID, organizationID: UUID, policyIDs: [String]) {
            self.personID = personID
            self.organizationID = organizationID
            self.policyIDs = policyIDs
        }
    }

    public init() {}
}
