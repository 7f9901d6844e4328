import AccordCore
import BusinessTime

/// A policy in readable form: calendars, regions, priorities, plans, the target tables and the rules.
struct PolicySummary {
    let policy: Policy

    var text: String {
        var out: [String] = []
        out.append("\(policy.id): \(policy.name), version \(policy.version)")
        if let source = policy.source { out.append("source: \(source)") }
        out.append("zone: \(policy.zoneIdentifier)")
        out.append("")
        out.append("calendars:")
        for id in policy.calendars.keys.sorted() {
            for version in policy.calendars[id]!.versions {
                let d = version.calendar.definition
                let hours = d.weekly.isAlwaysOpen ? "24x7"
                    : Weekday.allCases.map { "\($0.shortName) \(d.weekly[$0])" }.joined(separator: "; ")
                let holidays = d.holidaySets.map(\.id).joined(separator: ", ")
                out.append("  \(id) (version \(version.label)): \(d.zoneIdentifier); \(hours)\(holidays.isEmpty ? "" : "; holidays \(holidays)")")
            }
        }
        out.append("regions:")
        for region in policy.regions {
            out.append("  \(region.id): \(region.name), calendar \(region.calendar)\(region.mailbox.map { ", mailbox \($0)" } ?? "")")
        }
        if !policy.priorities.isEmpty {
            out.append("priorities:")
            for priority in policy.priorities { out.append("  \(priority.id) \(priority.name): \(priority.definition)") }
        }
        out.append("plans:")
        for plan in policy.plans {
            out.append("  \(plan.id): \(plan.name)\(plan.calendar.map { ", calendar \($0)" } ?? "")")
            for line in entitlements(plan.entitlements) { out.append("    \(line)") }
        }
        out.append("metrics:")
        for metric in policy.metrics {
            out.append("  \(metric.id) (\(metric.kind.rawValue), starts at \(metric.start.rawValue)\(metric.pausedBy.isEmpty ? "" : ", paused by \(metric.pausedBy.joined(separator: ", "))")):")
            for band in metric.cvssBands {
                out.append("    CVSS \(band.name) (\(band.minimum)\(band.below.map { " to below \($0)" } ?? " and above")): \(band.target)")
            }
            for plan in policy.plans where metric.kind != .patch {
                let cells = policy.priorities.isEmpty
                    ? [cell(metric.target(plan: plan.id, priority: nil))]
                    : policy.priorities.map { "\($0.id) \(cell(metric.target(plan: plan.id, priority: $0.id)))" }
                out.append("    \(plan.id): \(cells.joined(separator: "; "))")
            }
        }
        out.append(contentsOf: rules(policy.rules))
        out.append(contentsOf: teams(policy))
        return out.joined(separator: "\n")
    }

    private func teams(_ policy: Policy) -> [String] {
        guard !policy.teams.isEmpty else { return [] }
        var out = ["teams:"]
        for team in policy.teams {
            out.append("  \(team.id): \(team.name), tier \(team.tier), calendar \(team.calendar)\(team.languages.isEmpty ? "" : ", languages \(team.languages.joined(separator: ", "))")")
        }
        let routing = policy.routing
        for (index, rule) in routing.rules.enumerated() {
            out.append("  routing rule \(index + 1): \(rule.conditions) → \(rule.teams.joined(separator: ", "))")
        }
        let defaults = routing.defaultTeams.isEmpty ? policy.teams.filter { $0.tier == 1 }.map(\.id) : routing.defaultTeams
        out.append("  otherwise → \(defaults.joined(separator: ", "))\(defaults.count > 1 ? " (follow-the-sun)" : "")")
        if let overflow = routing.englishOverflow {
            out.append("  English overflow: to \(overflow.team) when a team has more than \(overflow.backlogAbove) cases waiting and the requester consents")
        }
        out.append("  queue order: \(routing.queueOrder.map(\.rawValue).joined(separator: ", "))")
        for ola in routing.olas { out.append("  OLA \(ola.id): \(ola.name), tier \(ola.tier), \(ola.target)") }
        return out
    }

    private func cell(_ lookup: TargetLookup) -> String {
        switch lookup {
        case .target(let target): target.description
        case .noTarget: "no target"
        case .priorityRequired: "per priority"
        }
    }

    private func entitlements(_ e: Entitlements) -> [String] {
        var lines: [String] = []
        if let c = e.authorizedContacts { lines.append("authorized contacts: \(c.included)\(c.extraAtFee ? " (more at an extra fee)" : "")") }
        if let p = e.ticketPriority { lines.append("ticket priority: \(p)") }
        if let t = e.technicalAccountManager { lines.append("technical account manager: \(t)") }
        if !e.businessReviews.isEmpty { lines.append("business reviews: \(e.businessReviews.joined(separator: " and "))") }
        if e.premiumCommunity { lines.append("premium community") }
        if e.escalationAdvocate { lines.append("internal advocate for escalated issues") }
        if e.automationFairPasses > 0 { lines.append("Automation Fair passes: \(e.automationFairPasses)") }
        if e.dedicatedSupportDesk { lines.append("dedicated support desk") }
        if e.priorityQueue { lines.append("priority queue for listed sender addresses and domains") }
        lines.append(contentsOf: e.notes)
        return lines
    }

    private func rules(_ r: ContractRules) -> [String] {
        var out = ["rules:"]
        for rule in r.intake {
            out.append("  intake: \(rule.priorities.isEmpty ? "all priorities" : rule.priorities.joined(separator: ", ")) by \(rule.who.joined(separator: " or ")) via \(rule.channels.joined(separator: ", "))")
        }
        if let p = r.phoneSupport {
            out.append("  phone support: \(p.priorities.isEmpty ? "all priorities" : p.priorities.joined(separator: ", ")), hours \(p.hours), languages \(p.languages.joined(separator: ", "))")
        }
        if let renewal = r.renewal {
            out.append("  renewal: \(renewal.automatic ? "automatic" : "manual"), notice \(renewal.noticeDays) days before the term ends; after a lapse: \(renewal.afterLapse)")
            let reactivation = renewal.reactivation
            out.append("  reactivation: new term from \(reactivation.termStartsAtExpiry ? "the expiry of the previous one" : "the day of reactivation")\(reactivation.requiresFeesCurrent ? ", only when current on all fees" : "")")
        }
        for limit in r.maintenanceLimits { out.append("  scheduled maintenance: at most \(limit.minutes) minutes in \(limit.monthsPerYear) calendar months a year") }
        if !r.requiredInformation.isEmpty {
            out.append("  required information: \(r.requiredInformation.map { $0.required ? $0.field : "\($0.field) (optional)" }.joined(separator: ", "))")
        }
        if let s = r.scopeExclusions { out.append("  out of scope (\(s.classification)\(s.leavesSLA ? ", leaves the SLA" : "")): \(s.items.joined(separator: "; "))") }
        if let v = r.supportedVersions { out.append("  supported versions: \(v.current - v.prior) to \(v.current) (current and \(v.prior) prior)") }
        out.append("  visibility: \(r.visibility.rawValue)")
        if let q = r.priorityQueue { out.append("  priority queue: by \(q.matchBy.joined(separator: " or ")), maintained by the \(q.maintainedBy)") }
        return out
    }
}
