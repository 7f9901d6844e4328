import Foundation
import Testing
import VaporTesting

/// Who sees what, as a matrix of roles × resources for each visibility rule: a case (read, listed,
/// its attachment, adding to it), the organization, its audit trail and its people. No query may
/// return a row the caller may not see; a hidden case is a 404, as if it did not exist.
@Suite struct VisibilityMatrixTests {
    enum Viewer: String, CaseIterable {
        case requester, colleague, authorizedContact, ccd, ccdElsewhere, caseTeam, otherUser, otherContact, admin, manager, agent, tam
    }

    /// Whether a viewer sees the case under each policy's visibility rule.
    static func seesCase(_ viewer: Viewer, policy: String) -> Bool {
        switch viewer {
        // A CC'd person of another customer sees the case too — read and listed alike.
        case .requester, .ccd, .ccdElsewhere, .caseTeam, .admin, .manager, .agent, .tam: true
        case .otherUser, .otherContact: false
        case .colleague: policy == "plixer"
        case .authorizedContact: policy != "plm-group"
        }
    }

    @Test(arguments: TestDatabase.all, ["plex", "plm-group", "plixer"])
    func rolesTimesResources(_ database: TestDatabase, policy: String) async throws {
        try await DeskHarness.run(at: "2026-03-03T15:00:00Z", on: database) { desk in
            let (plan, region, priority): (String, String?, String) = switch policy {
            case "plex": ("gold", nil, "p1")
            case "plm-group": ("premium", "denmark", "high")
            default: ("standard", nil, "severity-3")
            }
            let home = try await desk.organization(policy, plan: plan, region: region, prefix: "HOME")
            let away = try await desk.organization(policy, plan: plan, region: region, prefix: "AWAY")
            var tokens: [Viewer: String] = [.admin: desk.adminToken]
            let requester = try await desk.person(in: home, email: "requester@home.test", role: "user")
            tokens[.requester] = requester.token
            tokens[.colleague] = try await desk.person(in: home, email: "colleague@home.test", role: "user").token
            tokens[.authorizedContact] = try await desk.person(in: home, email: "contact@home.test", role: "authorized-contact").token
            tokens[.ccd] = try await desk.person(in: home, email: "ccd@home.test", role: "user").token
            tokens[.caseTeam] = try await desk.person(in: home, email: "team@home.test", role: "user").token
            tokens[.otherUser] = try await desk.person(in: away, email: "user@away.test", role: "user").token
            tokens[.ccdElsewhere] = try await desk.person(in: away, email: "ccd@away.test", role: "user").token
            tokens[.otherContact] = try await desk.person(in: away, email: "contact@away.test", role: "authorized-contact").token
            for (viewer, role, tier) in [(Viewer.manager, "manager", ""), (.agent, "agent", #","tier":2"#), (.tam, "tam", "")] {
                let staff = try await desk.call(.POST, "/api/v1/staff", token: desk.adminToken,
                                                body: #"{"name":"\#(role)","email":"\#(role)@provider.test","role":"\#(role)"\#(tier)}"#)
                #expect(staff.status == .created, "\(staff.json)")
                let id = try #require(staff.string["id"])
                tokens[viewer] = try #require(try await desk.call(.POST, "/api/v1/people/\(id)/tokens", token: desk.adminToken).string["token"])
            }

            let body = policy == "plm-group"
                ? DeskHarness.plmCase(priority: priority, replacing: ["cc": ["ccd@home.test", "ccd@away.test"]])
                : #"{"title":"Case","description":"d","priority":"\#(priority)","channel":"web","cc":["ccd@home.test","ccd@away.test"]}"#
            let logged = try await desk.call(.POST, "/api/v1/cases", token: requester.token, body: body)
            #expect(logged.status == .created, "\(logged.json)")
            let caseID = try #require(logged.string["id"])
            let team = try await desk.call(.POST, "/api/v1/cases/\(caseID)/watchers", token: desk.adminToken, body: #"{"email":"team@home.test","kind":"team"}"#)
            #expect(team.status == .created)
            let attachment = try #require(try await desk.upload("/api/v1/cases/\(caseID)/attachments", token: requester.token,
                                                                 filename: "log.txt", data: Data("log".utf8)).string["id"])

            for viewer in Viewer.allCases {
                let token = try #require(tokens[viewer])
                let sees = Self.seesCase(viewer, policy: policy)
                let label = "\(policy) × \(viewer.rawValue)"
                #expect(try await desk.call(.GET, "/api/v1/cases/\(caseID)", token: token).status == (sees ? .ok : .notFound), "\(label): read")
                let listed = (try await desk.call(.GET, "/api/v1/cases", token: token)["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                #expect(listed.contains(caseID) == sees, "\(label): list")
                #expect(listed.allSatisfy { $0 == caseID }, "\(label): the list holds only this desk's one case")
                #expect(try await desk.download("/api/v1/attachments/\(attachment)", token: token).status == (sees ? .ok : .notFound), "\(label): attachment")
                let isStaff = [.admin, .manager, .agent, .tam].contains(viewer)
                let kind = isStaff ? #"{"kind":"internal-note","body":"n"}"# : #"{"kind":"customer-message","body":"m"}"#
                #expect(try await desk.call(.POST, "/api/v1/cases/\(caseID)/events", token: token, body: kind).status == (sees ? .created : .notFound), "\(label): add")

                let inHome = [.requester, .colleague, .authorizedContact, .ccd, .caseTeam].contains(viewer)
                #expect(try await desk.call(.GET, "/api/v1/organizations/\(home)", token: token).status == (isStaff || inHome ? .ok : .notFound), "\(label): organization")
                let overseer = isStaff || viewer == .authorizedContact
                #expect(try await desk.download("/api/v1/organizations/\(home)/history", token: token).status == (overseer ? .ok : .notFound), "\(label): history")
                #expect(try await desk.download("/api/v1/organizations/\(home)/people", token: token).status == (overseer ? .ok : .notFound), "\(label): people")
            }
        }
    }
}
