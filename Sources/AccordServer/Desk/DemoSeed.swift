import AccordCore
import AccordStore
import BusinessTime
import Foundation

/// `accord serve --demo`: one customer per preset with people and cases in every state, logged over
/// the past days through the same intake and timeline rules as the API, so a newcomer sees live
/// clocks — running, paused, met, breached, excluded — at once. Seeds only an empty desk.
struct DemoSeed: Sendable {
    let store: DeskStore
    let catalog: PolicyCatalog
    /// How the demo people's passwords are hashed.
    let passwords: Passwords
    let now: Date

    /// Seeds and returns the demo accounts, or nothing when the desk already has customers.
    func run() async throws -> [DemoAccount] {
        guard try await store.organizations().isEmpty else { return [] }
        var accounts: [DemoAccount] = []
        let agent = try await staff("agent.tier1@accord.demo", "Tia Tier-One", .agent, tier: 1, into: &accounts)
        let tierTwo = try await staff("agent.tier2@accord.demo", "Tom Tier-Two", .agent, tier: 2, into: &accounts)
        _ = try await staff("manager@accord.demo", "Mia Manager", .manager, into: &accounts)
        let tam = try await staff("tam@accord.demo", "Theo TAM", .tam, into: &accounts)
        // Each agent works every team of its tier, so take-next finds work on every preset.
        for (id, policy) in try await catalog.currentPolicies(store: store) {
            for team in policy.teams {
                let member = team.tier == 1 ? agent : team.tier == 2 ? tierTwo : nil
                if let member { _ = try await store.addMember(member.id, to: team.id, of: id, lead: team.tier == 1, languages: [], at: now) }
            }
        }

        // Plex: authorized contacts log P2–P4 online; any user may log a P1, by phone too (the agent
        // who takes the call logs it for them).
        let plex = try await customer("Acme Manufacturing", policy: "plex", plan: "gold", region: "global", prefix: "ACME")
        let ann = try await person(plex, "ann@acme.demo", "Ann Contact", .authorizedContact, into: &accounts)
        let bob = try await person(plex, "bob@acme.demo", "Bob User", .user, into: &accounts)
        try await store.assign(.tam, of: plex.id, to: tam.id, by: nil, at: now)
        let p1 = try await log(.init(title: "Production line MES down", description: "No work orders since 06:00", priority: "p1", channel: "phone", requester: bob.id), by: agent, hoursAgo: 3)
        try await event(p1, "public-reply", body: "We are on it; bridge call opened.", by: agent, hoursAgo: 2.5)
        _ = try await log(.init(title: "Label printing slow", description: "Labels take 30 s each", priority: "p2", channel: "web"), by: ann, hoursAgo: 30)
        let late = try await log(.init(title: "Scanner gateway offline", description: "Handhelds cannot post", priority: "p1", channel: "web"), by: bob, hoursAgo: 6)
        try await event(late, "public-reply", body: "Sorry for the wait — restarting the gateway.", by: agent, hoursAgo: 4)
        let waiting = try await log(.init(title: "Import template rejected", description: "Item import fails validation", priority: "p2", channel: "web"), by: ann, hoursAgo: 10)
        try await status(waiting, "awaiting-customer", by: agent, hoursAgo: 9)
        let p3 = try await log(.init(title: "Report totals differ", description: "Weekly scrap report", priority: "p3", channel: "web"), by: ann, hoursAgo: 20)
        try await event(p3, "public-reply", body: "Which plant and week?", by: agent, hoursAgo: 19)
        try await status(p3, "awaiting-customer", by: agent, hoursAgo: 18.9)
        let p4 = try await log(.init(title: "How to add a shift", description: "Question about calendars", priority: "p4", channel: "web", cc: ["bob@acme.demo"]), by: ann, hoursAgo: 72)
        try await event(p4, "public-reply", body: "Settings → Shifts → Add.", by: agent, hoursAgo: 70)
        try await status(p4, "resolved", resolution: "workaround", by: agent, hoursAgo: 69)
        try await status(p4, "closed", by: agent, hoursAgo: 1)

        // Plixer: defects start the resolution clock; a CVSS score starts a patch clock.
        let plixer = try await customer("Northwind Networks", policy: "plixer", plan: "standard", region: "us-east", prefix: "NWN")
        let nina = try await person(plixer, "nina@northwind.demo", "Nina Netops", .user, into: &accounts)
        let defect = try await log(.init(title: "Collector drops flows", description: "Flows lost above 40k fps", priority: "severity-2", channel: "web"), by: nina, hoursAgo: 50)
        try await event(defect, "public-reply", body: "Reproduced in the lab.", by: agent, hoursAgo: 49)
        try await event(defect, "defect-confirmed", by: agent, hoursAgo: 40)
        _ = try await log(.init(title: "OpenSSL advisory", description: "Scanner reports CVE in bundled OpenSSL", priority: "severity-1", channel: "email", cvss: 9.1), by: nina, hoursAgo: 5)

        // PLM Group: every request carries the required information; requests are private to their requester.
        let plm = try await customer("Fjord Design AS", policy: "plm-group", plan: "premium", region: "norway", prefix: "PLM")
        let ola = try await person(plm, "ola@fjord.demo", "Ola Nordmann", .user, into: &accounts)
        let crash = try await log(plmCase("Crash on save", "critical", version: "2026"), by: ola, hoursAgo: 4)
        try await event(crash, "public-reply", body: "Please send the journal file.", by: agent, hoursAgo: 3)
        let old = try await log(plmCase("Old drawings open slowly", "medium", version: "2022"), by: ola, hoursAgo: 26)
        _ = old
        let consulting = try await log(plmCase("Set up our PDM vault", "low", version: "2025"), by: ola, hoursAgo: 8)
        try await event(consulting, "out-of-scope", body: "PDM setup is consultancy", by: agent, hoursAgo: 7)

        // Pro Plus: no priorities; 24 business hours of the tier-1 window.
        let pro = try await customer("Prairie Foods", policy: "pro-plus", plan: "pro-plus", region: "us-central", prefix: "PRA")
        let paul = try await person(pro, "paul@prairie.demo", "Paul Prairie", .user, into: &accounts)
        try await store.assign(.primaryContact, of: pro.id, to: paul.id, by: nil, at: now)
        _ = try await store.replacePrioritySenders(of: pro.id, with: ["prairie.demo"], by: paul.id, at: now)
        _ = try await log(.init(title: "Invoice export fails", description: "CSV export stops at 1,000 rows", channel: "email"), by: paul, hoursAgo: 6)
        return accounts
    }

    // MARK: Helpers

    private func service(hoursAgo: Double) -> CaseService {
        let instant = now.addingTimeInterval(-hoursAgo * 3600)
        return CaseService(store: store, catalog: catalog, now: { instant })
    }

    private func customer(_ name: String, policy id: String, plan: String, region: String, prefix: String) async throws -> Organization {
        let policy = try await catalog.current(id, store: store)
        let today = try policy.day(at: CaseService.seconds(now))
        let start = LocalDate(year: today.year, month: 1, day: 1)!
        let subscription = Subscription(plan: plan, termStart: start, termEnd: LocalDate(year: today.year, month: 12, day: 31)!,
                                        automaticRenewal: policy.rules.renewal?.automatic ?? false)
        return try await store.createOrganization(name: name, policyID: id, regionID: region, casePrefix: prefix, subscription: subscription, by: nil, at: now)
    }

    private func person(_ organization: Organization, _ email: String, _ name: String, _ role: Role, into accounts: inout [DemoAccount]) async throws -> Person {
        let person = try await store.createPerson(organizationID: organization.id, name: name, email: email, role: role, at: now)
        accounts.append(try await account(person, organization: organization.name))
        return person
    }

    private func staff(_ email: String, _ name: String, _ role: Role, tier: Int? = nil, into accounts: inout [DemoAccount]) async throws -> Person {
        let person = try await store.createPerson(organizationID: nil, name: name, email: email, role: role, tier: tier, at: now)
        accounts.append(try await account(person, organization: nil))
        return person
    }

    /// A demo person's way in: an API token and a web password, both made up now and shown once.
    private func account(_ person: Person, organization: String?) async throws -> DemoAccount {
        let password = Self.password()
        try await store.setPassword(of: person.id, hash: try passwords.hash(password), by: nil, at: now)
        return DemoAccount(email: person.email, role: person.role.rawValue, organization: organization,
                           token: try await store.issueToken(for: person.id, label: "demo"), password: password)
    }

    /// Three random words' worth of letters and digits, easy to type: "demo-k7pq-x2mf-9tha".
    static func password() -> String {
        let characters = Array("abcdefghijkmnpqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        let groups = (0..<3).map { _ in String((0..<4).map { _ in characters[Int(generator.next() % UInt64(characters.count))] }) }
        return "demo-" + groups.joined(separator: "-")
    }

    private func log(_ new: CaseService.NewCase, by person: Person, hoursAgo: Double) async throws -> SupportCase {
        try await service(hoursAgo: hoursAgo).log(new, by: person).logged.supportCase
    }

    private func plmCase(_ title: String, _ priority: String, version: String) -> CaseService.NewCase {
        CaseService.NewCase(
            title: title, description: "\(title) — details in the steps", priority: priority, channel: "email", product: "SOLIDWORKS",
            version: version, servicePack: "SP1.0", stepsToReproduce: "1. Open the file 2. Save", englishConsent: true,
            contactName: "Ola Nordmann", contactPhone: "+47 22 00 00 00", contactEmail: "ola@fjord.demo")
    }

    private func event(_ supportCase: SupportCase, _ kind: String, body: String? = nil, by person: Person, hoursAgo: Double) async throws {
        _ = try await service(hoursAgo: hoursAgo).add(.init(kind: kind, body: body), to: supportCase.id, by: person, ifMatch: nil)
    }

    private func status(_ supportCase: SupportCase, _ value: String, resolution: String? = nil, by person: Person, hoursAgo: Double) async throws {
        let current = try await store.supportCase(supportCase.id)
        _ = try await service(hoursAgo: hoursAgo).add(.init(kind: "status-change", value: value, resolution: resolution), to: supportCase.id, by: person,
                                                      ifMatch: current?.version)
    }
}

/// A person `--demo` created, with a token to try the API and a password to sign in to the web desk as them.
public struct DemoAccount: Sendable {
    public let email: String
    public let role: String
    public let organization: String?
    public let token: String
    /// The web desk's password.
    public let password: String
}
