import AccordCore
import AccordStore
import BusinessTime
import Foundation
import Vapor

/// A service review of one customer and one period (Plex's "Support Services Business Review"): what
/// the TAM goes through with the customer — the cases open at the period's end with their status and
/// priority, the cases resolved in it with their outcome, cases per priority, SLA attainment per
/// priority and metric and month by month, the breaches, the escalations, the backlog by age, the
/// authorized contacts and their billable overage, the renewal and its notice deadline. Prepared as
/// the desk stands now, from the same services as every other report.
struct ServiceReview: Content {
    /// The review as it is kept: JSON with its keys in order, so a version reads back as it was prepared.
    var json: String {
        get throws {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            return String(decoding: try encoder.encode(self), as: UTF8.self)
        }
    }

    struct CaseLine: Content {
        let id: UUID
        let number: String
        let title: String
        let priority: String?
        /// At the period's end (now, for a period still running).
        let status: String
        let loggedAt: String
        /// Whole days from logging to the period's end (or now).
        let ageDays: Int
    }

    struct ResolvedLine: Content {
        let id: UUID
        let number: String
        let title: String
        let priority: String?
        let resolvedAt: String
        /// fix, workaround, withdrawn or duplicate.
        let resolution: String?
    }

    struct PriorityLine: Content {
        let priority: String
        let logged: Int
        let resolved: Int
        let openAtEnd: Int
    }

    struct Escalation: Content {
        let id: UUID
        let number: String
        let at: String
        let team: String?
        let reason: String?
    }

    struct AgeBucket: Content {
        let bucket: String
        let cases: Int
    }

    struct MonthAttainment: Content {
        let month: String
        let metric: String
        let withTarget: Int
        let attainment: Double?
    }

    struct Contact: Content {
        let id: UUID
        let name: String
        let email: String
        let billableOverage: Bool
    }

    struct Renewal: Content {
        let termEnd: String?
        let automaticRenewal: Bool
        /// The last day notice of non-renewal may be given for the term in force.
        let noticeBy: String?
        let noticeGiven: String?
    }

    let organization: UUID
    let organizationName: String
    let policy: String
    let plan: String
    let period: String
    let from: String
    let to: String
    let zone: String
    let preparedAt: String
    /// Whether the period has ended; a review of one still running counts up to `preparedAt`.
    let ended: Bool
    /// The cadences the customer's plan grants (`business-reviews`).
    let cadences: [String]
    let openCases: [CaseLine]
    let resolvedCases: [ResolvedLine]
    let casesPerPriority: [PriorityLine]
    let attainment: AttainmentView
    let attainmentPerMonth: [MonthAttainment]
    let escalations: [Escalation]
    let backlog: [AgeBucket]
    let contacts: [Contact]
    let renewal: Renewal
}

extension CaseService {
    /// The review of `organizationID` for `periodText` (`2026-Q3`, `2026-09`), for staff. A period
    /// of a cadence the customer's plan does not grant is refused, naming what it grants.
    func review(of organizationID: UUID, period periodText: String, for caller: Person) async throws -> ServiceReview {
        guard caller.role.isStaff else { throw Problem(.forbidden, "service reviews are prepared by the provider's staff") }
        return try await review(of: organizationID, period: periodText)
    }

    /// The review as the desk prepares it, seeing every case of the customer.
    func review(of organizationID: UUID, period periodText: String) async throws -> ServiceReview {
        guard let customer = try await store.customer(organizationID) else { throw Problem(.notFound, "no organization has that id") }
        let organization = customer.organization
        guard let period = ReviewPeriod(periodText) else {
            throw Problem(.badRequest, "period must be a month (2026-09), a quarter (2026-Q3) or a year (2026), not '\(periodText)'", field: "period")
        }
        let policy = try await catalog.current(organization.policyID, store: store)
        let zone = try ZoneClock(identifier: policy.zoneIdentifier)
        let (from, periodEnd) = (zone.startOfDay(period.start), zone.startOfDay(period.end))
        let instant = Self.seconds(now())
        guard from < instant else { throw Problem(.badRequest, "the period \(period) has not begun", field: "period") }
        // A period still running is reviewed as it stands now: open cases and ages up to now.
        let to = min(periodEnd, instant)
        let planID = organization.subscription.plan(on: period.start)
        let cadences = Self.reviewCadences(organization, policy, on: period.start).map(\.rawValue)
        guard cadences.contains(period.cadence.rawValue) else {
            throw Problem(.conflict, "\(organization.name)'s plan \(planID) grants \(cadences.isEmpty ? "no service reviews" : "\(cadences.joined(separator: " and ")) reviews"), not a \(period.cadence.rawValue) one",
                          field: "period")
        }

        // Every case of the customer logged before the period's end, with its timeline.
        var cases: [SupportCase] = []
        var after: String?
        while true {
            let page = try await store.casesInNumberOrder(after: after, organizationID: organizationID, limit: 500)
            guard let last = page.last else { break }
            after = last.number
            cases += page.filter { Self.seconds($0.loggedAt) < to }
        }
        let timelines = try await store.events(of: cases.map(\.id))
        var open: [ServiceReview.CaseLine] = [], resolved: [ServiceReview.ResolvedLine] = [], escalations: [ServiceReview.Escalation] = []
        var perPriority: [String: (logged: Int, resolved: Int, open: Int)] = [:]
        var ages = [0, 0, 0, 0]
        for supportCase in cases {
            let events = timelines[supportCase.id] ?? []
            let logged = Self.seconds(supportCase.loggedAt)
            let priority = supportCase.priority ?? "none"
            if logged >= from { perPriority[priority, default: (0, 0, 0)].logged += 1 }
            // Its status at the period's end: the last status change before it.
            let changes = events.filter { $0.kind == "status-change" }
            let statusAtEnd = changes.last { Self.seconds($0.at) < to }.flatMap { $0.value?.split(separator: ":").first.map(String.init) } ?? "new"
            if let resolution = changes.first(where: { ($0.value ?? "").hasPrefix("resolved") && (from..<to).contains(Self.seconds($0.at)) }) {
                let parts = (resolution.value ?? "").split(separator: ":").map(String.init)
                resolved.append(.init(id: supportCase.id, number: supportCase.number, title: supportCase.title, priority: supportCase.priority,
                                      resolvedAt: ISO8601.utc(Self.seconds(resolution.at)), resolution: parts.count > 1 ? parts[1] : nil))
                perPriority[priority, default: (0, 0, 0)].resolved += 1
            }
            if !["resolved", "closed"].contains(statusAtEnd) {
                let age = Int((to - logged) / 86_400)
                open.append(.init(id: supportCase.id, number: supportCase.number, title: supportCase.title, priority: supportCase.priority,
                                  status: statusAtEnd, loggedAt: ISO8601.utc(logged), ageDays: age))
                perPriority[priority, default: (0, 0, 0)].open += 1
                ages[age < 1 ? 0 : age <= 7 ? 1 : age <= 30 ? 2 : 3] += 1
            }
            for event in events where event.kind == "escalated" && (from..<to).contains(Self.seconds(event.at)) {
                escalations.append(.init(id: supportCase.id, number: supportCase.number, at: ISO8601.utc(Self.seconds(event.at)), team: event.value,
                                         reason: event.body))
            }
        }
        let ranked = perPriority.keys.sorted { policy.rank(ofPriority: $0) != policy.rank(ofPriority: $1) ? policy.rank(ofPriority: $0) < policy.rank(ofPriority: $1) : $0 < $1 }

        var query = AttainmentQuery()
        query.period = period.description
        query.zone = policy.zoneIdentifier
        query.by = "priority"
        query.only[.customer] = organizationID.uuidString
        // The customer's review: the contract's targets, not the provider's internal ones.
        let attainment = try await self.attainment(query, as: nil, olas: false, listing: AttainmentView.breachesShown)
        var months: [ServiceReview.MonthAttainment] = []
        for month in period.cadence == .monthly ? [period] : Self.months(of: period) where zone.startOfDay(month.start) < instant {
            var monthly = query
            monthly.period = month.description
            monthly.by = nil
            for row in try await self.attainment(monthly, as: nil, olas: false, listing: 0).report.totals {
                months.append(.init(month: month.description, metric: row.metric, withTarget: row.withTarget,
                                    attainment: row.attainment.map { ($0 * 10).rounded() / 10 }))
            }
        }
        let contacts = try await store.people(in: organizationID).filter { $0.role == .authorizedContact && !$0.deactivated && !$0.erased }
        let subscription = organization.subscription
        let term = subscription.term(containing: zone.date(at: to - 1))
        let noticeBy = term.flatMap { term in policy.rules.renewal.map { term.end.adding(days: -$0.noticeDays) } }
        return ServiceReview(
            organization: organizationID, organizationName: organization.name, policy: policy.id, plan: planID, period: period.description,
            from: zone.format(from), to: zone.format(periodEnd), zone: policy.zoneIdentifier, preparedAt: ISO8601.utc(instant), ended: periodEnd <= instant, cadences: cadences,
            openCases: open.sorted { policy.rank(ofPriority: $0.priority) != policy.rank(ofPriority: $1.priority) ? policy.rank(ofPriority: $0.priority) < policy.rank(ofPriority: $1.priority) : $0.number < $1.number },
            resolvedCases: resolved.sorted { $0.resolvedAt < $1.resolvedAt },
            casesPerPriority: ranked.map { .init(priority: $0, logged: perPriority[$0]!.logged, resolved: perPriority[$0]!.resolved, openAtEnd: perPriority[$0]!.open) },
            attainment: AttainmentView(attainment), attainmentPerMonth: months, escalations: escalations.sorted { $0.at < $1.at },
            backlog: zip(["under a day", "1 to 7 days", "8 to 30 days", "over 30 days"], ages).map { .init(bucket: $0, cases: $1) },
            contacts: contacts.map { .init(id: $0.id, name: $0.name, email: $0.email, billableOverage: $0.billableOverage) },
            renewal: .init(termEnd: term?.end.description, automaticRenewal: subscription.automaticRenewal, noticeBy: noticeBy?.description,
                           noticeGiven: subscription.nonRenewalNotice?.description))
    }

    /// The review cadences the plan `organization` is on at `day` grants (its `business-reviews`), in the plan's order.
    static func reviewCadences(_ organization: Organization, _ policy: Policy, on day: LocalDate) -> [ReviewPeriod.Cadence] {
        (policy.plan(organization.subscription.plan(on: day))?.entitlements.businessReviews ?? []).compactMap(ReviewPeriod.Cadence.init(rawValue:))
    }

    /// The months a quarter or year spans.
    static func months(of period: ReviewPeriod) -> [ReviewPeriod] {
        var months: [ReviewPeriod] = []
        var day = period.start
        while day < period.end {
            if let month = ReviewPeriod(.monthly, year: day.year, index: day.month) { months.append(month) }
            day = LocalDate(year: day.year + day.month / 12, month: day.month % 12 + 1, day: 1)!
        }
        return months
    }
}
