public import FluentKit
import Crypto
import FluentSQL
public import Foundation

/// Accord's persistence: one code path for SQLite and PostgreSQL. Models stay internal; callers
/// see the records of `Records.swift`.
public struct DeskStore: Sendable {
    public let database: any Database
    /// Serializes write transactions where the database needs it (SQLite).
    public let writes: WriteGate?

    public init(database: any Database, writes: WriteGate? = nil) {
        self.database = database
        self.writes = writes
    }

    /// Runs a write transaction, through the gate when there is one.
    private func write<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        let database = self.database
        if let writes {
            return try await writes.run { try await database.transaction { try await body($0) } }
        }
        return try await database.transaction { try await body($0) }
    }

    /// The migrations that build the schema, in order.
    public static let migrations: [any Migration] = [CreateSchema()]

    // MARK: Organizations and people

    public func createOrganization(
        name: String, policyID: String, planID: String, regionID: String, termStart: Date, termEnd: Date, casePrefix: String
    ) async throws -> Organization {
        let model = OrganizationModel()
        model.name = name
        model.policyID = policyID
        model.planID = planID
        model.regionID = regionID
        model.termStart = termStart
        model.termEnd = termEnd
        model.casePrefix = casePrefix
        try await model.create(on: database)
        return try model.record()
    }

    public func organization(_ id: UUID) async throws -> Organization? {
        try await OrganizationModel.find(id, on: database)?.record()
    }

    public func createPerson(organizationID: UUID?, name: String, email: String, role: Role) async throws -> Person {
        if try await PersonModel.query(on: database).filter(\.$email == email.lowercased()).first() != nil {
            throw StoreError.conflict("a person with email \(email) already exists")
        }
        let model = PersonModel()
        model.$organization.id = organizationID
        model.name = name
        model.email = email.lowercased()
        model.role = role.rawValue
        try await model.create(on: database)
        return try model.record()
    }

    public func person(_ id: UUID) async throws -> Person? {
        try await PersonModel.find(id, on: database)?.record()
    }

    public func administratorCount() async throws -> Int {
        try await PersonModel.query(on: database).filter(\.$role == Role.admin.rawValue).count()
    }

    public func person(email: String) async throws -> Person? {
        try await PersonModel.query(on: database).filter(\.$email == email.lowercased()).first()?.record()
    }

    public func people(in organizationID: UUID) async throws -> [Person] {
        try await PersonModel.query(on: database).filter(\.$organization.$id == organizationID).sort(\.$createdAt).all().map { try $0.record() }
    }

    // MARK: Tokens

    /// Issues a token for a person and returns its secret, which is shown once and stored only hashed.
    public func issueToken(for personID: UUID, label: String) async throws -> String {
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255, using: &generator) }
        let secret = "acd_" + Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        let model = TokenModel()
        model.$person.id = personID
        model.secretHash = Self.hash(secret)
        model.label = label
        try await model.create(on: database)
        return secret
    }

    /// The person a token secret belongs to.
    public func person(forToken secret: String) async throws -> Person? {
        guard let token = try await TokenModel.query(on: database).filter(\.$secretHash == Self.hash(secret)).with(\.$person).first() else {
            return nil
        }
        return try token.person.record()
    }

    static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    // MARK: Cases

    /// Stores a new case with its `logged` event and clocks in one transaction, numbering it
    /// `PREFIX-YEAR-NNNNNN` within its organization's prefix. `planID` is the plan in force when it
    /// was logged (a lapsed subscription's fallback plan, for example).
    public func createCase(
        organization: Organization, planID: String, requesterID: UUID, title: String, description: String, priority: String?,
        channel: String, policyVersion: String, loggedAt: Date, clocks: [StoredClock]
    ) async throws -> SupportCase {
        // Two cases logged at once may draw the same number; the unique index refuses the second,
        // which then draws again.
        var attempt = 1
        while true {
            do {
                return try await insertCase(
                    organization: organization, planID: planID, requesterID: requesterID, title: title, description: description,
                    priority: priority, channel: channel, policyVersion: policyVersion, loggedAt: loggedAt, clocks: clocks)
            } catch let error as any DatabaseError where error.isConstraintFailure && attempt < 20 {
                attempt += 1
            }
        }
    }

    private func insertCase(
        organization: Organization, planID: String, requesterID: UUID, title: String, description: String, priority: String?,
        channel: String, policyVersion: String, loggedAt: Date, clocks: [StoredClock]
    ) async throws -> SupportCase {
        try await write { db in
            let year = Calendar(identifier: .gregorian).component(.year, from: loggedAt)
            let prefix = "\(organization.casePrefix)-\(year)-"
            let count = try await CaseModel.query(on: db).filter(\.$number >= prefix).filter(\.$number < prefix + "~").count()
            let model = CaseModel()
            model.number = prefix + String(format: "%06d", count + 1)
            model.$organization.id = organization.id
            model.$requester.id = requesterID
            model.title = title
            model.description = description
            model.priority = priority
            model.channel = channel
            model.status = "new"
            model.policyID = organization.policyID
            model.policyVersion = policyVersion
            model.planID = planID
            model.regionID = organization.regionID
            model.loggedAt = loggedAt
            model.version = 1
            model.nextDue = Self.nextDue(clocks)
            try await model.create(on: db)
            let event = CaseEventModel()
            event.$caseModel.id = try model.requireID()
            event.sequence = 1
            event.at = loggedAt
            event.$actor.id = requesterID
            event.kind = "logged"
            event.value = priority
            event.body = description
            try await event.create(on: db)
            try await Self.replaceClocks(clocks, caseID: try model.requireID(), on: db)
            return try model.record()
        }
    }

    public func supportCase(_ id: UUID) async throws -> SupportCase? {
        try await CaseModel.find(id, on: database)?.record()
    }

    public func events(of caseID: UUID) async throws -> [CaseEvent] {
        try await CaseEventModel.query(on: database).filter(\.$caseModel.$id == caseID).sort(\.$sequence).all().map { $0.record() }
    }

    public func clocks(of caseID: UUID) async throws -> [StoredClock] {
        try await ClockModel.query(on: database).filter(\.$caseModel.$id == caseID).sort(\.$metric).all().map { $0.record() }
    }

    /// Appends an event, optionally changing status or priority, and replaces the clocks — all in one
    /// transaction, refused when the case changed since `expectedVersion`.
    public func append(
        _ event: CaseEvent, to caseID: UUID, expectedVersion: Int?, status: String? = nil, priority: String?? = nil,
        clocks: [StoredClock]
    ) async throws -> SupportCase {
        try await write { db in
            guard let model = try await CaseModel.find(caseID, on: db) else { throw StoreError.notFound("case \(caseID)") }
            if let expectedVersion, expectedVersion != model.version {
                throw StoreError.staleVersion(expected: expectedVersion, actual: model.version)
            }
            let last = try await CaseEventModel.query(on: db).filter(\.$caseModel.$id == caseID).max(\.$sequence) ?? 0
            let row = CaseEventModel()
            row.$caseModel.id = caseID
            row.sequence = last + 1
            row.at = event.at
            row.$actor.id = event.actorID
            row.kind = event.kind
            row.value = event.value
            row.body = event.body
            try await row.create(on: db)
            if let status { model.status = status }
            if let priority { model.priority = priority }
            let readVersion = model.version
            model.version += 1
            model.nextDue = Self.nextDue(clocks)
            // Optimistic concurrency: the update applies only if nobody changed the case since it was
            // read; a concurrent writer that got there first leaves zero rows updated.
            guard let sql = db as? any SQLDatabase else { throw StoreError.conflict("the database does not speak SQL") }
            let rows = try await sql.update(CaseModel.schema)
                .set("status", to: model.status).set("priority", to: model.priority).set("version", to: model.version)
                .set("next_due", to: model.nextDue)
                .where("id", .equal, caseID).where("version", .equal, readVersion)
                .returning("id").all()
            guard rows.count == 1 else { throw StoreError.staleVersion(expected: readVersion, actual: readVersion + 1) }
            try await Self.replaceClocks(clocks, caseID: caseID, on: db)
            return try model.record()
        }
    }

    private static func nextDue(_ clocks: [StoredClock]) -> Date? {
        clocks.filter { $0.state == "running" }.compactMap(\.due).min()
    }

    private static func replaceClocks(_ clocks: [StoredClock], caseID: UUID, on db: any Database) async throws {
        try await ClockModel.query(on: db).filter(\.$caseModel.$id == caseID).delete()
        for clock in clocks {
            let model = ClockModel()
            model.$caseModel.id = caseID
            model.metric = clock.metric
            model.target = clock.target
            model.due = clock.due
            model.state = clock.state
            try await model.create(on: db)
        }
    }

    /// Cases matching `filter`, newest first, after `cursor` (the number of the last case of the previous page).
    public func cases(_ filter: CaseFilter, after cursor: String?, limit: Int) async throws -> [SupportCase] {
        var query = CaseModel.query(on: database)
        if let organizations = filter.organizationIDs { query = query.filter(\.$organization.$id ~~ organizations) }
        if let requesters = filter.requesterIDs { query = query.filter(\.$requester.$id ~~ requesters) }
        if let caseIDs = filter.caseIDs { query = query.filter(\.$id ~~ caseIDs) }
        if let policies = filter.policyIDs { query = query.filter(\.$policyID ~~ policies) }
        if let status = filter.status { query = query.filter(\.$status == status) }
        if let priority = filter.priority { query = query.filter(\.$priority == priority) }
        if let before = filter.dueBefore { query = query.filter(\.$nextDue < before) }
        if let (personID, policyIDs) = filter.ownOrPolicies {
            query = query.group(.or) { group in
                group.filter(\.$requester.$id == personID)
                if !policyIDs.isEmpty { group.filter(\.$policyID ~~ policyIDs) }
            }
        }
        if let cursor { query = query.filter(\.$number < cursor) }
        return try await query.sort(\.$number, .descending).limit(limit).all().map { try $0.record() }
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
    /// A customer's view: their own cases, or any case (of their organization) under these policies.
    public var ownOrPolicies: (personID: UUID, policyIDs: [String])?

    public init() {}
}
