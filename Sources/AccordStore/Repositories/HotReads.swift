import AccordCore
import FluentKit
import FluentSQL
import Foundation

/// The reads every request makes — the caller behind a token, the customer of a new case — as
/// plain SQL decoded into flat rows. Fluent's model decoding reflects over every model it builds,
/// which costs more than the query itself at thousands of requests a second.
enum HotReads {
    private struct PersonRow: Decodable {
        let id: UUID
        let organizationID: UUID?
        let name: String
        let email: String
        let role: String
        let tier: Int?
        let billableOverage: Bool
        let erasedAt: Date?
        let deactivatedAt: Date?

        enum CodingKeys: String, CodingKey {
            case id, name, email, role, tier
            case organizationID = "organization_id", billableOverage = "billable_overage", erasedAt = "erased_at", deactivatedAt = "deactivated_at"
        }
    }

    private struct OrganizationRow: Decodable {
        let id: UUID
        let name: String
        let policyID: String
        let planID: String
        let regionID: String
        let termStart: String
        let termEnd: String
        let automaticRenewal: Bool
        let nonRenewalNotice: String?
        let casePrefix: String
        let factKind: String?
        let factValue: String?
        let factEffective: String?
        let tamID: UUID?

        enum CodingKeys: String, CodingKey {
            case id, name
            case policyID = "policy_id", planID = "plan_id", regionID = "region_id", termStart = "term_start", termEnd = "term_end"
            case automaticRenewal = "automatic_renewal", nonRenewalNotice = "non_renewal_notice", casePrefix = "case_prefix"
            case factKind = "fact_kind", factValue = "fact_value", factEffective = "fact_effective", tamID = "tam_id"
        }
    }

    /// The person holding the token whose SHA-256 is `secretHash`, unless erased or deactivated.
    static func person(secretHash: String, on db: any Database) async throws -> Person? {
        try await db.sql.raw("""
            SELECT p.id, p.organization_id, p.name, p.email, p.role, p.tier, p.billable_overage, p.erased_at, p.deactivated_at
            FROM tokens t JOIN people p ON p.id = t.person_id
            WHERE t.secret_hash = \(bind: secretHash) AND p.erased_at IS NULL AND p.deactivated_at IS NULL
            """).first(decoding: PersonRow.self).map(person)
    }

    /// The person with the (lower-cased) `email`, whatever their state: every mailed message asks
    /// for its sender and the addresses it copies.
    static func person(email: String, on db: any Database) async throws -> Person? {
        try await db.sql.raw("""
            SELECT id, organization_id, name, email, role, tier, billable_overage, erased_at, deactivated_at FROM people WHERE email = \(bind: email)
            """).first(decoding: PersonRow.self).map(person)
    }

    private static func person(_ row: PersonRow) -> Person {
        Person.stored(id: row.id, organizationID: row.organizationID, name: row.name, email: row.email, role: row.role, tier: row.tier,
                      billableOverage: row.billableOverage, erasedAt: row.erasedAt, deactivatedAt: row.deactivatedAt)
    }

    /// The customer `id`: the organization with its subscription's dated facts (`SubscriptionFacts`)
    /// and its technical account manager, in one query.
    static func customer(_ id: UUID, on db: any Database) async throws -> Customer? {
        let rows = try await db.sql.raw("""
            SELECT o.id, o.name, o.policy_id, o.plan_id, o.region_id, o.term_start, o.term_end, o.automatic_renewal,
                   o.non_renewal_notice, o.case_prefix, e.kind AS fact_kind, e.value AS fact_value, e.effective AS fact_effective,
                   (SELECT r.person_id FROM account_roles r WHERE r.organization_id = o.id AND r.role = 'tam') AS tam_id
            FROM organizations o LEFT JOIN organization_events e
                ON e.organization_id = o.id AND e.kind IN ('plan-change', 'renewal', 'extension', 'reactivation', 'lapse')
            WHERE o.id = \(bind: id) ORDER BY e.at
            """).all(decoding: OrganizationRow.self)
        guard let first = rows.first else { return nil }
        let organization = try Organization.stored(
            id: first.id, name: first.name, policyID: first.policyID, planID: first.planID, regionID: first.regionID,
            termStart: first.termStart, termEnd: first.termEnd, automaticRenewal: first.automaticRenewal,
            nonRenewalNotice: first.nonRenewalNotice, casePrefix: first.casePrefix,
            facts: SubscriptionFacts(rows.map { ($0.factKind, $0.factValue, $0.factEffective) }))
        return Customer(organization: organization, tam: first.tamID)
    }
}
