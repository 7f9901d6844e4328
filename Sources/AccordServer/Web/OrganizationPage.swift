import AccordCore
import AccordStore
import Foundation
import Vapor

/// `/portal/organization`: the customer's own account as the API gives it — the plan in force
/// and what it promises, authorized contacts used of those included (and the overage), the term
/// and the last day to give notice, the TAM, and the priority-sender list, which the person the
/// policy names (Pro Plus: the primary contact) edits here, audited.
struct OrganizationPage: RouteCollection {
    let service: @Sendable (Request) -> CaseService
    let pages: PageRenderer

    func boot(routes: any RoutesBuilder) throws {
        routes.get("portal", "organization", use: show)
        routes.post("portal", "organization", "priority-senders", use: replaceSenders)
    }

    struct Content: Encodable, Sendable {
        let name: String
        let account: OrganizationResponse
        /// The term in force (`termShown`).
        let term: OrganizationResponse.Term
        let plan: PlanView?
        let tam: String?
        let primaryContact: String?
        let contacts: [String]
        let senders: [String]?
        let sendersText: String
        let sendersEditable: Bool
        let sendersMatchBy: String?
        let problem: String?
        let notice: String?
    }

    func show(_ request: Request) async throws -> Response {
        let notice = request.query[String.self, at: "changed"] == "senders" ? "The priority-sender list was saved." : nil
        return try await render(request, problem: nil, notice: notice, typed: nil, status: .ok)
    }

    private func render(_ request: Request, problem: String?, notice: String?, typed: String?, status: HTTPResponseStatus) async throws -> Response {
        let person = try request.webSession.person
        let service = service(request)
        guard let id = person.organizationID, let organization = try await service.store.organization(id) else {
            throw Problem(.forbidden, "the organization page is for a customer's people; you belong to no customer")
        }
        let policy = try await service.catalog.current(organization.policyID, store: service.store)
        let people = try await service.store.people(in: id)
        let account = try OrganizationResponse(organization, policy: policy, people: people, at: service.now())
        let plan = account.subscription.plan.flatMap { PlanSummary(policy: policy, planID: $0, regionID: organization.regionID) }
            .map { PlanView($0, status: account.subscription.status) }
        var tam: String?
        if let tamID = try await service.store.accountRole(.tam, of: id) { tam = try await service.store.person(tamID)?.name }
        let primaryID = try await service.store.accountRole(.primaryContact, of: id)
        let primary = primaryID.flatMap { pid in people.first { $0.id == pid } }
        let rule = policy.rules.priorityQueue
        var senders: [String]?
        var editable = false
        if let rule {
            senders = try await service.store.prioritySenders(of: id)
            editable = switch rule.maintainedBy {
            case "primary-contact": primaryID == person.id
            case "authorized-contact": person.role == .authorizedContact
            default: true
            }
        }
        let content = Content(
            name: organization.name, account: account, term: account.subscription.termShown, plan: plan, tam: tam, primaryContact: primary.map { "\($0.name) <\($0.email)>" },
            contacts: people.filter { $0.role == .authorizedContact && !$0.erased && !$0.deactivated }.map { "\($0.name) <\($0.email)>" },
            senders: senders, sendersText: typed ?? (senders ?? []).joined(separator: "\n"), sendersEditable: editable,
            sendersMatchBy: rule.map { $0.matchBy.map { $0 == "sender-address" ? "email addresses" : "domains" }.joined(separator: " or ") },
            problem: problem, notice: notice)
        return try await pages.render("organization", title: organization.name, content: content, on: request, status: status)
    }

    struct SendersForm: Vapor.Content {
        var entries: String?
    }

    /// The list as typed, one address or domain a line, through `WorkService` (who may, what is valid, the audit).
    func replaceSenders(_ request: Request) async throws -> Response {
        let person = try request.webSession.person
        let service = service(request)
        guard let id = person.organizationID, let organization = try await service.store.organization(id) else {
            throw Problem(.forbidden, "you belong to no customer")
        }
        let typed = try request.content.decode(SendersForm.self).entries ?? ""
        let entries = typed.split(whereSeparator: { $0.isNewline || $0 == "," }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        do {
            let policy = try await service.catalog.current(organization.policyID, store: service.store)
            _ = try await WorkService(cases: service).replacePrioritySenders(of: organization, policy: policy, with: entries, by: person)
        } catch let problem as Problem where problem.status < 500 {
            let details = (problem.errors ?? []).map(\.detail)
            return try await render(request, problem: ([problem.detail] + details).joined(separator: "; "), notice: nil, typed: typed,
                                    status: HTTPResponseStatus(statusCode: problem.status))
        }
        return request.redirect(to: "/portal/organization?changed=senders", redirectType: .normal)
    }
}
