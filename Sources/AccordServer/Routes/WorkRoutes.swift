import AccordCore
import AccordStore
import BusinessTime
import Foundation
import Vapor

/// `/api/v1/queues`: each team's queue in its order with reasons and the team's members;
/// `/api/v1/organizations/{id}/priority-senders` and `/roles/{role}`: the customer's side of routing.
struct WorkRoutes: RouteCollection {
    let service: @Sendable (Request) -> CaseService

    struct QueueSummary: Content {
        let id: String
        let policy: String
        let team: String
        let name: String
        let tier: Int
        let calendar: String
        let languages: [String]
        let openNow: Bool
        let waiting: Int
    }

    struct QueueView: Content {
        struct Position: Content {
            let position: Int
            let caseID: UUID
            let number: String
            let title: String
            let priority: String?
            let plan: String
            let queue: String
            let due: String?
            let loggedAt: String
            let reason: String

            enum CodingKeys: String, CodingKey {
                case position, number, title, priority, plan, queue, due, loggedAt, reason
                case caseID = "case"
            }
        }

        let id: String
        let name: String
        let tier: Int
        let order: [String]
        let members: [Member]
        let positions: [Position]
    }

    struct Member: Content {
        let person: UUID
        let lead: Bool
        let languages: [String]
    }

    struct MemberBody: Content {
        var lead: Bool?
        var languages: [String]?
    }

    struct SenderList: Content {
        var entries: [String]
    }

    struct RoleBody: Content {
        var person: UUID
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get("queues", use: list)
        routes.get("queues", ":queue", use: show)
        routes.put("queues", ":queue", "members", ":person", use: addMember)
        routes.delete("queues", ":queue", "members", ":person", use: removeMember)
        routes.get("organizations", ":id", "priority-senders", use: prioritySenders)
        routes.put("organizations", ":id", "priority-senders", use: replacePrioritySenders)
        routes.put("organizations", ":id", "roles", ":role", use: assignRole)
    }

    private static func queueID(_ request: Request) throws -> WorkService.QueueID {
        try WorkService.QueueID(request.parameters.get("queue") ?? "")
    }

    func list(_ request: Request) async throws -> [QueueSummary] {
        _ = try request.requireStaff(Role.staff)
        return try await WorkService(cases: service(request)).queues().map { queue in
            let team = queue.team
            return QueueSummary(id: queue.id.text, policy: queue.policy.id, team: team.id, name: team.name, tier: team.tier, calendar: team.calendar,
                                languages: team.languages, openNow: queue.openNow, waiting: queue.waiting)
        }
    }

    func show(_ request: Request) async throws -> QueueView {
        _ = try request.requireStaff(Role.staff)
        let id = try Self.queueID(request)
        let limit = try request.limit(standard: 50, maximum: 500)
        let work = WorkService(cases: service(request))
        let (team, policy, positions) = try await work.ordered(id, limit: limit)
        let members = try await work.store.members(of: policy.id, team: team.id).map { Member(person: $0.personID, lead: $0.lead, languages: $0.languages) }
        return QueueView(
            id: id.text, name: team.name, tier: team.tier, order: policy.routing.queueOrder.map(\.rawValue), members: members,
            positions: positions.enumerated().map { index, entry in
                let c = entry.0.supportCase
                return QueueView.Position(
                    position: index + 1, caseID: c.id, number: c.number, title: c.title, priority: c.priority, plan: c.planID,
                    queue: c.work.queue, due: entry.0.due.map { ISO8601.utc(CaseService.seconds($0)) },
                    loggedAt: ISO8601.utc(CaseService.seconds(c.loggedAt)), reason: entry.1)
            })
    }

    func addMember(_ request: Request) async throws -> Member {
        let caller = try request.requireStaff()
        let body = try StrictBody.decode(MemberBody.self, from: request, allowed: ["lead", "languages"])
        guard let text = request.parameters.get("person"), let id = UUID(uuidString: text) else { throw Problem(.notFound, "no person has that id") }
        let member = try await WorkService(cases: service(request)).addMember(id, to: try Self.queueID(request), lead: body.lead ?? false,
                                                                              languages: body.languages ?? [], by: caller)
        return Member(person: member.personID, lead: member.lead, languages: member.languages)
    }

    func removeMember(_ request: Request) async throws -> Response {
        let caller = try request.requireStaff()
        guard let text = request.parameters.get("person"), let id = UUID(uuidString: text) else { throw Problem(.notFound, "that person is not a member of the team") }
        try await WorkService(cases: service(request)).removeMember(id, from: try Self.queueID(request), by: caller)
        return Response(status: .noContent)
    }

    // MARK: The customer's side

    /// The organization and its policy if the caller may see it (staff, or its own people).
    private func organization(_ request: Request) async throws -> (Organization, Policy) {
        let caller = try request.caller
        let service = service(request)
        guard let text = request.parameters.get("id"), let id = UUID(uuidString: text),
              caller.role.isStaff || caller.organizationID == id, let organization = try await service.store.organization(id) else {
            throw Problem(.notFound, "no organization has that id")
        }
        return (organization, try await service.catalog.current(organization.policyID, store: service.store))
    }

    func prioritySenders(_ request: Request) async throws -> SenderList {
        let (organization, _) = try await organization(request)
        return SenderList(entries: try await service(request).store.prioritySenders(of: organization.id))
    }

    /// Replaces the list; the policy says who maintains it (Pro Plus: the customer's primary
    /// contact), and provider managers and admins may too. Each entry is an address or a domain,
    /// as the policy matches by.
    func replacePrioritySenders(_ request: Request) async throws -> SenderList {
        let (organization, policy) = try await organization(request)
        let list = try StrictBody.decode(SenderList.self, from: request, allowed: ["entries"])
        return SenderList(entries: try await WorkService(cases: service(request)).replacePrioritySenders(of: organization, policy: policy, with: list.entries,
                                                                                                        by: try request.caller))
    }

    /// Whether the plan in force today (in the policy's zone) grants a technical account manager.
    static func grantsTAM(_ organization: Organization, _ policy: Policy, at instant: Date) -> Bool {
        guard let today = try? policy.day(at: CaseService.seconds(instant)) else { return false }
        return policy.plan(organization.subscription.plan(on: today))?.entitlements.grantedTechnicalAccountManager != nil
    }

    /// Names the customer's primary contact (a person of the organization) or TAM (provider staff with the TAM role).
    func assignRole(_ request: Request) async throws -> Response {
        let caller = try request.requireStaff()
        let (organization, policy) = try await organization(request)
        guard let role = request.parameters.get("role").flatMap(AccountRole.init(rawValue:)) else {
            throw Problem(.notFound, "roles: \(AccountRole.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let body = try StrictBody.decode(RoleBody.self, from: request, allowed: ["person"])
        let service = service(request)
        guard let person = try await service.store.person(body.person), !person.erased else {
            throw Problem(.unprocessableEntity, "no person has that id", field: "person")
        }
        switch role {
        case .primaryContact where person.organizationID != organization.id:
            throw Problem(.unprocessableEntity, "the primary contact must be a person of \(organization.name)", field: "person")
        case .tam where person.role != .tam:
            throw Problem(.unprocessableEntity, "\(person.email) is a \(person.role.rawValue), not a TAM", field: "person")
        case .tam where !Self.grantsTAM(organization, policy, at: service.now()):
            throw Problem(.unprocessableEntity, "the \(organization.name) plan in force grants no technical account manager (\(policy.name))", field: "person")
        default:
            break
        }
        try await service.store.assign(role, of: organization.id, to: person.id, by: caller.id, at: service.now())
        return Response(status: .noContent)
    }
}
