import AccordCore
import AccordStore
import BusinessTime
import Foundation

/// What a list of cases asks for, as text from outside (the API's query, a page's filter form):
/// each is checked by `CaseService.list`, which refuses a bad one naming the field.
struct CaseListQuery: Sendable {
    var status: String?
    var priority: String?
    var organization: String?
    var dueBefore: String?
    var breached: String?
    var assignee: String?
    var team: String?
    var q: String?
    var cursor: String?
    /// `due`: what breaches next first (staff); without it, newest first.
    var sort: String?
    var limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    /// The query parameters, by name.
    static let parameters: [(String, WritableKeyPath<CaseListQuery, String?>)] = [
        ("status", \.status), ("priority", \.priority), ("organization", \.organization), ("dueBefore", \.dueBefore),
        ("breached", \.breached), ("assignee", \.assignee), ("team", \.team), ("q", \.q), ("cursor", \.cursor), ("sort", \.sort),
    ]
}

/// A page of cases the caller may see, each with its clocks now, and where the next page starts.
struct CaseListPage: Sendable {
    struct Item: Sendable {
        let supportCase: SupportCase
        let clocks: [CaseClocks.Clock]
    }

    let items: [Item]
    let next: String?
}

extension CaseService {
    /// The cases the caller may see that match `query`, newest first (or by relevance for a
    /// search), with their clocks now. Visibility is the caller's, exactly as for one case.
    func list(_ query: CaseListQuery, for caller: Person) async throws -> CaseListPage {
        let service = self
        var filter = try await service.visibilityFilter(for: caller)
        filter.status = query.status
        if let status = filter.status, CaseStatus(rawValue: status) == nil {
            throw Problem(.badRequest, "unknown status '\(status)'; statuses: \(CaseStatus.allCases.map(\.rawValue).joined(separator: ", "))", field: "status")
        }
        filter.priority = query.priority
        if let priority = filter.priority {
            // A priority of some policy in force; cases keep the priorities of the policy they were logged under.
            let known = Set(try await service.catalog.currentPolicies(store: service.store).values.flatMap { $0.priorities.map(\.id) })
            guard known.contains(priority) else {
                throw Problem(.badRequest, "unknown priority '\(priority)'; priorities: \(known.sorted().joined(separator: ", "))", field: "priority")
            }
        }
        if let organization = query.organization {
            guard let id = UUID(uuidString: organization) else { throw Problem(.badRequest, "organization must be a UUID", field: "organization") }
            filter.organizationIDs = (filter.organizationIDs ?? [id]).filter { $0 == id }
        }
        if let dueBefore = query.dueBefore {
            guard case .instant(let t)? = ISO8601.parse(dueBefore) else {
                throw Problem(.badRequest, "dueBefore must be an ISO 8601 instant with an offset", field: "dueBefore")
            }
            filter.dueBefore = Date(timeIntervalSince1970: TimeInterval(t))
        }
        if let breached = query.breached {
            switch breached {
            case "true": filter.breachedAt = service.now()
            case "false": filter.notBreachedAt = service.now()
            default: throw Problem(.badRequest, "breached must be true or false", field: "breached")
            }
        }
        let assignee = query.assignee
        let team = query.team
        if assignee != nil || team != nil {
            guard caller.role.isStaff else { throw Problem(.forbidden, "only provider staff list cases by assignee or team") }
        }
        switch assignee {
        case nil: break
        case "me": filter.assigneeIDs = [caller.id]
        case "none": filter.unassigned = true
        case let text?:
            guard let id = UUID(uuidString: text) else {
                throw Problem(.badRequest, "assignee must be me, none or a person's id", field: "assignee")
            }
            filter.assigneeIDs = [id]
        }
        if let team {
            let queue = try WorkService.QueueID(team, field: "team")
            do { _ = try await WorkService(cases: service).queue(queue) } catch let problem as Problem {
                throw Problem(.badRequest, problem.detail, field: "team")
            }
            filter.team = (queue.policy, queue.team)
        }
        let limit = query.limit
        let cursor = query.cursor
        switch query.sort {
        case nil: break
        case "due"?:
            guard caller.role.isStaff else { throw Problem(.forbidden, "only provider staff list cases by their next due", field: "sort") }
            guard cursor == nil, query.q == nil else {
                throw Problem(.badRequest, "sort=due gives the first cases by their next due, one page: without cursor or q", field: "sort")
            }
            filter.byNextDue = true
        case let other?:
            throw Problem(.badRequest, "sort must be due (what breaches next first), not '\(other)'; without it, newest first", field: "sort")
        }
        let cases: [SupportCase], next: String?
        if let text = query.q {
            let words = try Self.searchWords(text)
            var after: Int64?
            if let cursor {
                guard let position = Int64(cursor), position > 0 else {
                    throw Problem(.badRequest, "cursor must be the nextCursor of the previous page of this search (a number)", field: "cursor")
                }
                after = position
            }
            let organization: UUID? = caller.role.isStaff ? nil : caller.organizationID
            if !caller.role.isStaff, organization == nil { return CaseListPage(items: [], next: nil) }
            let page = try await service.store.search(words, organizationID: organization, filter: filter, after: after, limit: limit)
            (cases, next) = (page.cases, page.next.map(String.init))
        } else {
            if let cursor, cursor.range(of: "^[A-Z][A-Z0-9]{1,9}-[0-9]{4}-[0-9]{6,}$", options: .regularExpression) == nil {
                throw Problem(.badRequest, "cursor must be the nextCursor of the previous page (a case number such as ACME-2026-000042)", field: "cursor")
            }
            let page = try await service.store.cases(filter, after: cursor, limit: limit + 1)
            (cases, next) = (Array(page.prefix(limit)), page.count > limit && !filter.byNextDue ? page[limit - 1].number : nil)
        }
        let now = service.now()
        var items: [CaseListPage.Item] = []
        let timelines = try await service.store.events(of: cases.map(\.id))
        for supportCase in cases {
            let events = timelines[supportCase.id] ?? []
            items.append(.init(supportCase: supportCase, clocks: try await service.clocks(of: supportCase, events: events, at: now)))
        }
        return CaseListPage(items: items, next: next)
    }

    /// The words of a search, checked: at least one, at most ten, the text at most 200 characters.
    static func searchWords(_ query: String) throws -> [String] {
        let limits = DeskStore.searchLimits
        guard query.count <= limits.characters else {
            throw Problem(.badRequest, "q is longer than \(limits.characters) characters", field: "q")
        }
        let words = DeskStore.searchWords(query)
        guard !words.isEmpty else { throw Problem(.badRequest, "q must hold a word (letters or digits)", field: "q") }
        guard words.count <= limits.words else {
            throw Problem(.badRequest, "q holds \(words.count) words; at most \(limits.words) are searched together", field: "q")
        }
        return words
    }
}
