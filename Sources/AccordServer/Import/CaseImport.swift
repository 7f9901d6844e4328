import AccordCore
public import AccordStore
import BusinessTime
public import Foundation
import Synchronization

/// Brings cases from another desk: one JSON object per line (docs/import.md), each made a case with
/// its whole timeline at the times it happened, its clocks derived by the engine as if it had been
/// logged then. Idempotent per external id; a bad line is reported with its number and the rest
/// imported; a dry run checks and derives everything and writes nothing.
public struct CaseImport: Sendable {
    /// What one line came to.
    public enum Outcome: Sendable, Equatable {
        case created(number: String)
        case existing(number: String)
        /// Checked, derived, and not written (a dry run).
        case valid
        case refused(String)
    }

    let service: CaseService
    /// People by email and organizations by id and name, read once.
    private let directory: Directory
    /// Where a block's parts are derived, one a core.
    private let cores = CoreExecutors()

    /// Opens the desk's policies (the presets stored at first start) for an import at `now`.
    public static func open(store: DeskStore, now: @escaping @Sendable () -> Date) async throws -> CaseImport {
        let catalog = try await PolicyCatalog.open(store: store, at: now())
        return CaseImport(service: CaseService(store: store, catalog: catalog, now: now), directory: Directory(store: store))
    }

    /// The most events a case may bring, and the longest line read.
    public static let maxEvents = 10_000

    /// The kinds an import takes besides those a case's API takes: how the case was routed.
    static let routingKinds = ["escalated", "assigned"]
    public static let maxLineBytes = 4 * 1024 * 1024
    /// Lines read, derived and written together: a transaction's cases. With 16 KB pages a larger
    /// transaction writes fewer pages a case (1,000,000 cases: 42 s in blocks of 4,000, 47–49 s
    /// in blocks of 2,000; 6,000 and 8,000 no quicker, and more memory); a server's write beside
    /// an import waits for at most one, about 0.2 s.
    public static let batchSize = 4_000

    /// Imports `lines` (numbered from 1 as given), calling `report` for each in order.
    public func run(_ lines: [(number: Int, text: Substring)], dryRun: Bool, report: (Int, Outcome) -> Void) async throws {
        var seen: [String: Int] = [:]
        for start in stride(from: 0, to: lines.count, by: Self.batchSize) {
            let block = await derive(Array(lines[start..<min(start + Self.batchSize, lines.count)]), dryRun: dryRun)
            try await write(block, dryRun: dryRun, seen: &seen, report: report)
        }
    }

    /// A line checked and made a case (named by its external id), or refused.
    public struct Derived: Sendable {
        let line: Int
        let result: Result<String, ImportProblem>
    }

    /// A block of lines derived: each line's case or refusal, and the cases made into their rows.
    public struct Block: Sendable {
        let derived: [Derived]
        /// The rows of every case of `derived`, in order (none on a dry run).
        let rows: NewCaseRows?
    }

    /// Checks `lines` and derives their cases' clocks, and makes the cases into their rows, on as
    /// many cores as there are: the work of an import that needs no database. In the lines' order.
    public func derive(_ lines: [(number: Int, text: Substring)], dryRun: Bool) async -> Block {
        let parts = max(1, min(cores.count, lines.count / 64))
        let size = (lines.count + parts - 1) / max(parts, 1)
        return await withTaskGroup(of: (Int, [Derived], NewCaseRows?).self) { group in
            for part in 0..<parts {
                let slice = Array(lines[min(part * size, lines.count)..<min((part + 1) * size, lines.count)])
                group.addTask(executorPreference: cores[part]) {
                    var derived: [Derived] = [], records: [NewCaseRecord] = []
                    derived.reserveCapacity(slice.count)
                    for (number, text) in slice {
                        do {
                            let record = try await self.record(text)
                            derived.append(Derived(line: number, result: .success(record.history!.externalID)))
                            if !dryRun { records.append(record) }
                        } catch let problem as ImportProblem {
                            derived.append(Derived(line: number, result: .failure(problem)))
                        } catch {
                            derived.append(Derived(line: number, result: .failure(ImportProblem("\(error)"))))
                        }
                    }
                    return (part, derived, dryRun ? nil : self.service.store.prepare(records))
                }
            }
            var results: [(Int, [Derived], NewCaseRows?)] = []
            for await result in group { results.append(result) }
            results.sort { $0.0 < $1.0 }
            return Block(derived: results.flatMap(\.1), rows: dryRun ? nil : results.compactMap(\.2).reduce(service.store.prepare([]), +))
        }
    }

    /// Writes a derived block in one transaction (nothing on a dry run), calling `report` for each
    /// line in order; `seen` holds the external ids met so far, by line, so that a repeated one is
    /// refused whichever block of the file it is in.
    public func write(_ block: Block, dryRun: Bool, seen: inout [String: Int], report: (Int, Outcome) -> Void) async throws {
        var outcomes: [Int: Outcome] = [:]
        // The lines whose cases are written, and for each case of the block's rows whether it is.
        var taken: [Int] = [], kept: [Bool] = []
        for item in block.derived {
            switch item.result {
            case .success(let id):
                if let earlier = seen[id] {
                    outcomes[item.line] = .refused("externalId '\(id)' is on line \(earlier) already")
                    kept.append(false)
                    continue
                }
                seen[id] = item.line
                taken.append(item.line)
                kept.append(true)
            case .failure(let problem):
                outcomes[item.line] = .refused(problem.message)
            }
        }
        if dryRun {
            for line in taken { outcomes[line] = .valid }
        } else if let rows = block.rows, !taken.isEmpty {
            // A case repeating an earlier line's id is left out by making the rows again without it.
            let written = taken.count == kept.count ? rows : service.store.prepare(zip(rows.records, kept).filter(\.1).map(\.0))
            for (line, outcome) in zip(taken, try await service.store.importCases(written)) {
                switch outcome {
                case .created(let number): outcomes[line] = .created(number: number)
                case .existing(let number): outcomes[line] = .existing(number: number)
                }
            }
        }
        for item in block.derived { report(item.line, outcomes[item.line]!) }
    }

    /// A problem with one line, in words naming the field.
    public struct ImportProblem: Error, Sendable {
        let message: String
        init(_ message: String) { self.message = message }
    }

    /// The case one line describes, checked and with its clocks derived.
    func record(_ text: Substring) async throws -> NewCaseRecord {
        guard text.utf8.count <= Self.maxLineBytes else { throw ImportProblem("the line is longer than \(Self.maxLineBytes / 1024 / 1024) MB") }
        let line: ImportedCaseLine
        do { line = try ImportLineReader.read(text) } catch { throw ImportProblem(error.message) }
        return try await record(line)
    }

    private func record(_ line: ImportedCaseLine) async throws -> NewCaseRecord {
        let now = service.now()
        guard (1...200).contains(line.externalId.count) else { throw ImportProblem("externalId must have 1 to 200 characters") }
        guard let organization = try await directory.organization(line.organization) else {
            throw ImportProblem("organization: no organization has the id or name '\(line.organization)'")
        }
        guard let requester = try await directory.person(line.requester), requester.organizationID == organization.id else {
            throw ImportProblem("requester: '\(line.requester)' is no person of \(organization.name)")
        }
        if CaseService.isBlank(line.title) { throw ImportProblem("title must not be empty") }
        if line.title.count > 500 { throw ImportProblem("title: at most 500 characters") }
        if CaseService.isBlank(line.description) { throw ImportProblem("description must not be empty") }
        guard CaseService.channels.contains(line.channel) else {
            throw ImportProblem("channel: unknown channel '\(line.channel)'; channels: \(CaseService.channels.joined(separator: ", "))")
        }
        if let cvss = line.cvss, !(0...10).contains(cvss) { throw ImportProblem("cvss: a CVSS score runs from 0.0 to 10.0, not \(cvss)") }
        let loggedAt = try Self.instant(line.loggedAt, "loggedAt", notAfter: now)
        let policy: Policy
        do {
            if let version = line.policyVersion {
                policy = try await service.catalog.policy(organization.policyID, version: version, store: service.store)
            } else {
                policy = try await service.catalog.current(organization.policyID, store: service.store)
            }
        } catch {
            throw ImportProblem("policyVersion: \(organization.policyID) has no version '\(line.policyVersion ?? "")'")
        }
        let plan: String
        do { plan = try service.effectivePlan(organization, policy, at: loggedAt) } catch let problem as Problem {
            throw ImportProblem("loggedAt: \(problem.detail)")
        }
        do { try service.checkPriority(line.priority, policy) } catch let problem as Problem { throw ImportProblem("priority: \(problem.detail)") }
        let region = line.region ?? organization.regionID
        guard policy.region(region) != nil else {
            throw ImportProblem("region: unknown region '\(region)'; regions: \(policy.regions.map(\.id).joined(separator: ", "))")
        }
        var team = try line.team.map { id in
            guard let team = policy.team(id) else {
                throw ImportProblem("team: unknown team '\(id)'; teams: \(policy.teams.map(\.id).joined(separator: ", "))")
            }
            return team
        } ?? policy.teams.first { $0.tier == 1 }
        var assignee: Person?
        var assignedAt = loggedAt
        if let email = line.assignee {
            guard let person = try await directory.person(email), person.role.isStaff else { throw ImportProblem("assignee: '\(email)' is no staff member") }
            assignee = person
        }

        let events = line.events ?? []
        guard events.count <= Self.maxEvents else { throw ImportProblem("events: at most \(Self.maxEvents) per case") }
        var history: [CaseEvent] = []
        var status = CaseStatus.new
        var priority = line.priority
        var previous = loggedAt
        for (index, event) in events.enumerated() {
            let field = "events[\(index)]"
            let at = try Self.instant(event.at, "\(field).at", notAfter: now)
            guard at >= previous else { throw ImportProblem("\(field).at: \(event.at) comes before the event or logging before it") }
            previous = at
            var actor: UUID?
            if let email = event.by {
                guard let person = try await directory.person(email) else { throw ImportProblem("\(field).by: no person has the email '\(email)'") }
                actor = person.id
            }
            var value = event.value
            var body = event.body
            switch event.kind {
            case "public-reply", "customer-message", "internal-note":
                guard let body = event.body, !CaseService.isBlank(body) else { throw ImportProblem("\(field).body must not be empty for a \(event.kind)") }
            case "status-change":
                guard let next = event.value.flatMap(CaseStatus.init(rawValue:)) else {
                    throw ImportProblem("\(field).value: a status-change names one of \(CaseStatus.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                if let resolution = event.resolution {
                    guard next == .resolved, Resolution(rawValue: resolution) != nil else {
                        throw ImportProblem("\(field).resolution: a case resolved as \(Resolution.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    value = "\(next.rawValue):\(resolution)"
                }
                status = next
            case "priority-change":
                do { try service.checkPriority(event.value, policy) } catch let problem as Problem { throw ImportProblem("\(field).value: \(problem.detail)") }
                priority = event.value
            case "defect-confirmed":
                value = nil
            case "patch-available", "rectification-late":
                if let text = event.value { value = ISO8601.utc(CaseService.seconds(try Self.instant(text, "\(field).value", notAfter: nil))) }
                if event.kind == "rectification-late", value == nil { throw ImportProblem("\(field).value: the new estimate is required") }
            case "out-of-scope":
                value = event.value ?? policy.rules.scopeExclusions?.classification
                guard value != nil else { throw ImportProblem("\(field).value: \(policy.id) has no scope exclusions") }
            case "escalated":
                guard let id = event.value, let reached = policy.team(id) else {
                    throw ImportProblem("\(field).value: an escalation names a team of \(policy.id): \(policy.teams.map(\.id).joined(separator: ", "))")
                }
                if line.team == nil { team = reached }
            case "assigned":
                guard let email = event.value, let person = try await directory.person(email), person.role.isStaff else {
                    throw ImportProblem("\(field).value: an assignment names a staff member by email, not '\(event.value ?? "")'")
                }
                value = person.id.uuidString
                body = body ?? "assigned to \(person.email)"
                // The case is the last assignee's (unless `assignee` names another), taken at that assignment.
                if line.assignee == nil { assignee = person }
                if assignee?.id == person.id { assignedAt = at }
            default:
                throw ImportProblem("\(field).kind: unknown kind '\(event.kind)'; kinds: \((CaseService.kinds + Self.routingKinds).joined(separator: ", "))")
            }
            history.append(CaseEvent(sequence: 0, at: at, actorID: actor, kind: event.kind, value: value, body: body))
        }

        let supportDetails = CaseDetails(product: line.product, version: line.version, servicePack: nil, stepsToReproduce: nil, englishConsent: nil,
                                         nda: false, cvss: line.cvss, contactName: nil, contactPhone: nil, contactEmail: nil, apps: nil)
        let timeline = CaseTimeline(loggedAt: CaseService.seconds(loggedAt), priority: line.priority, cvss: line.cvss,
                                    events: history.compactMap(CaseService.timelineEvent))
        let clocks: [StoredClock]
        do { clocks = try service.storedClocks(policy, plan: plan, region: region, timeline: timeline, at: now) } catch {
            throw ImportProblem("events: the clocks cannot be derived: \(error)")
        }
        var work = CaseWork(team: team?.id, tier: team?.tier ?? 1, priorityRank: policy.rank(ofPriority: priority))
        if let assignee { (work.assigneeID, work.assignedAt) = (assignee.id, assignedAt) }
        var record = NewCaseRecord(
            organization: organization, planID: plan, requesterID: requester.id, title: line.title, description: line.description,
            priority: priority, channel: line.channel, policyVersion: policy.version, loggedAt: loggedAt, details: supportDetails,
            unsupportedVersion: false, watchers: [], clocks: clocks, work: work)
        record.regionID = region
        // Reached at logging: a case escalated since was first with the policy's first tier-1 team.
        let routedTo = history.contains { $0.kind == "escalated" } ? policy.teams.first { $0.tier == 1 }?.id : team?.id
        record.history = ImportedHistory(externalID: line.externalId, status: status.rawValue, events: history, importedAt: now, routedTo: routedTo)
        return record
    }

    /// An instant with its offset, within 1970–9999 and not after `notAfter`.
    static func instant(_ text: String, _ field: String, notAfter limit: Date?) throws -> Date {
        guard case .instant(let seconds)? = ISO8601.parse(text), seconds >= 0, seconds <= 253_402_300_799 else {
            throw ImportProblem("\(field): '\(text)' is no instant with an offset such as 2026-03-02T10:00:00+01:00")
        }
        let date = Date(timeIntervalSince1970: TimeInterval(seconds))
        if let limit, date > limit { throw ImportProblem("\(field): \(text) is in the future") }
        return date
    }

    /// Organizations and people an import refers to, read once each.
    final class Directory: Sendable {
        let store: DeskStore
        private let organizations = Mutex<[String: Organization?]>([:])
        private let people = Mutex<[String: Person?]>([:])

        init(store: DeskStore) {
            self.store = store
        }

        /// By id, or by name when exactly one organization has it.
        func organization(_ key: String) async throws -> Organization? {
            if let known = organizations.withLock({ $0[key] }) { return known }
            let all = try await store.organizations()
            let named = all.filter { $0.name == key }
            let found = UUID(uuidString: key).flatMap { id in all.first { $0.id == id } } ?? (named.count == 1 ? named[0] : nil)
            organizations.withLock { $0[key] = .some(found) }
            return found
        }

        func person(_ email: String) async throws -> Person? {
            let key = email.lowercased()
            if let known = people.withLock({ $0[key] }) { return known }
            let found = try await store.person(email: key)
            people.withLock { $0[key] = .some(found) }
            return found
        }
    }
}
