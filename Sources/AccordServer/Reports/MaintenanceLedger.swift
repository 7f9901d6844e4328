import AccordCore
import AccordStore
import BusinessTime
import Foundation
import Vapor

/// Scheduled maintenance held to the contract (Plex's Enhanced Business Continuity): windows
/// recorded for a customer or for every customer of a policy; a scheduled window that would take a
/// customer's year past the policy's `maintenance-limits` is refused — unless an administrator
/// records it with a reason, and then it stands as a breach; each customer's year as a grid.
struct MaintenanceLedger: Sendable {
    let store: DeskStore
    let catalog: PolicyCatalog
    let now: @Sendable () -> Date

    static let kinds = ["scheduled", "emergency"]
    /// The longest window recorded at once.
    static let longestWindow: Int64 = 7 * 86_400

    struct NewWindow: Content {
        /// Required without an organization: the window is then every customer's of the policy.
        var policy: String?
        var organization: UUID?
        var start: String
        var end: String
        /// `scheduled` (held to the limits) or `emergency` (recorded, not counted).
        var kind: String
        var note: String
        /// An administrator's reason for recording a window past the contract's limits.
        var override: String?

        static let fields: Set<String> = ["policy", "organization", "start", "end", "kind", "note", "override"]
    }

    /// Records a window, refusing one that would break the contract's limits for any customer it
    /// covers unless an administrator gives the reason it is recorded anyway.
    func record(_ new: NewWindow, by caller: Person) async throws -> MaintenanceWindow {
        guard [.manager, .admin, .tam].contains(caller.role) else {
            throw Problem(.forbidden, "maintenance is recorded by managers, TAMs and administrators")
        }
        var errors: [Problem.FieldProblem] = []
        let start = Self.instant(new.start), end = Self.instant(new.end)
        if start == nil { errors.append(.init(field: "start", detail: "must be an instant with its offset, such as 2026-03-07T22:00:00-05:00")) }
        if end == nil { errors.append(.init(field: "end", detail: "must be an instant with its offset, such as 2026-03-08T02:00:00-05:00")) }
        if let start, let end {
            if end <= start { errors.append(.init(field: "end", detail: "must come after start")) }
            if end - start > Self.longestWindow { errors.append(.init(field: "end", detail: "a window lasts at most 7 days; record a longer one in parts")) }
        }
        if !Self.kinds.contains(new.kind) { errors.append(.init(field: "kind", detail: "must be scheduled or emergency, not '\(new.kind)'")) }
        if CaseService.isBlank(new.note) || new.note.count > 2_000 { errors.append(.init(field: "note", detail: "must say what the maintenance is, in 1 to 2,000 characters")) }
        if let reason = new.override, CaseService.isBlank(reason) || reason.count > 2_000 {
            errors.append(.init(field: "override", detail: "must give the reason, in 1 to 2,000 characters"))
        }
        guard errors.isEmpty, let start, let end else { throw Problem(.unprocessableEntity, "the maintenance window has invalid fields", errors: errors) }
        if new.override != nil, caller.role != .admin {
            throw Problem(.forbidden, "only an administrator records maintenance past the contract's limits", field: "override")
        }

        var organization: Organization?
        if let id = new.organization {
            guard let found = try await store.organization(id) else { throw Problem(.unprocessableEntity, "no organization has that id", field: "organization") }
            organization = found
        }
        let policyID: String
        switch (new.policy, organization) {
        case (let id?, let organization?) where id != organization.policyID:
            throw Problem(.unprocessableEntity, "\(organization.name) is a customer of \(organization.policyID), not of \(id)", field: "policy")
        case (_, let organization?): policyID = organization.policyID
        case (let id?, nil): policyID = id
        case (nil, nil): throw Problem(.unprocessableEntity, "name the organization, or the policy for a window of all its customers", field: "organization")
        }
        let policy: Policy
        do { policy = try await catalog.current(policyID, store: store) } catch {
            throw Problem(.unprocessableEntity, "unknown policy '\(policyID)'", field: "policy")
        }
        let window = MaintenanceWindow(policyID: policyID, organizationID: organization?.id, start: Date(timeIntervalSince1970: TimeInterval(start)),
                                       end: Date(timeIntervalSince1970: TimeInterval(end)), kind: new.kind, note: new.note, overrideReason: new.override,
                                       recordedBy: caller.id, recordedAt: now())
        let customers = if let organization { [organization] } else { try await store.organizations().filter { $0.policyID == policyID } }
        let years = try Self.years(of: window, zone: policy.zoneIdentifier)
        let (from, to) = try Self.span(years, zone: policy.zoneIdentifier)
        let limits = policy.rules.maintenanceLimits
        let zone = policy.zoneIdentifier
        try await store.addMaintenanceWindow(window, around: from, to) { recorded in
            guard window.kind == "scheduled", !limits.isEmpty else { return }
            for customer in customers {
                let theirs = recorded.filter { $0.kind == "scheduled" && ($0.organizationID == nil || $0.organizationID == customer.id) }.map(Self.window)
                for year in years {
                    let before = try MaintenanceYear(year: year, windows: theirs, limits: limits, zone: zone)
                    let after = try MaintenanceYear(year: year, windows: theirs + [Self.window(window)], limits: limits, zone: zone)
                    let worse = after.monthsOver.filter { month in !before.monthsOver.contains { $0.month == month.month && $0.seconds >= month.seconds } }
                    guard !worse.isEmpty, window.overrideReason == nil else { continue }
                    let months = worse.map { "\(Self.monthName($0.month)) \(year) would have \($0.minutes) minutes of its \($0.allowance)" }
                    throw Problem(.unprocessableEntity, """
                        \(customer.name): \(months.joined(separator: "; ")) — \(policy.name) allows \(Self.limitsText(limits)) per calendar year; \
                        an administrator may record it anyway, giving the reason in override
                        """, field: "end")
                }
            }
        }
        return window
    }

    /// A customer's year: minutes per month against the limits, the windows, the breaches.
    func year(_ organizationID: UUID, year: Int, for caller: Person) async throws -> (Organization, Policy, MaintenanceYear, [MaintenanceWindow]) {
        guard let organization = try await store.organization(organizationID),
              caller.role.isStaff || (caller.role == .authorizedContact && caller.organizationID == organizationID) else {
            throw Problem(.notFound, "no organization has that id")
        }
        guard (1970...9998).contains(year) else { throw Problem(.badRequest, "year must be from 1970 to 9998", field: "year") }
        let policy = try await catalog.current(organization.policyID, store: store)
        let (from, to) = try Self.span([year], zone: policy.zoneIdentifier)
        let windows = try await store.maintenanceWindows(policyID: organization.policyID, organizationID: organizationID, from: from, to: to)
        let counted = windows.filter { $0.kind == "scheduled" }.map(Self.window)
        let grid = try MaintenanceYear(year: year, windows: counted, limits: policy.rules.maintenanceLimits, zone: policy.zoneIdentifier)
        return (organization, policy, grid, windows)
    }

    static func window(_ window: MaintenanceWindow) -> MaintenanceYear.Window {
        MaintenanceYear.Window(start: CaseService.seconds(window.start), end: Int64(window.end.timeIntervalSince1970.rounded(.up)))
    }

    static func instant(_ text: String) -> Int64? {
        guard case .instant(let seconds)? = ISO8601.parse(text), seconds >= 0, seconds < 253_370_764_800 else { return nil }
        return seconds
    }

    /// The calendar years of the zone a window touches.
    static func years(of window: MaintenanceWindow, zone: String) throws -> [Int] {
        let clock = try ZoneClock(identifier: zone)
        let first = clock.date(at: CaseService.seconds(window.start)).year
        let last = clock.date(at: Int64(window.end.timeIntervalSince1970.rounded(.up)) - 1).year
        return Array(first...last)
    }

    /// From the first instant of the first year to the first instant after the last, in the zone.
    static func span(_ years: [Int], zone: String) throws -> (Date, Date) {
        let clock = try ZoneClock(identifier: zone)
        let from = clock.startOfDay(LocalDate(year: years.min()!, month: 1, day: 1)!)
        let to = clock.startOfDay(LocalDate(year: years.max()! + 1, month: 1, day: 1)!)
        return (Date(timeIntervalSince1970: TimeInterval(from)), Date(timeIntervalSince1970: TimeInterval(to)))
    }

    static func limitsText(_ limits: [MaintenanceLimit]) -> String {
        limits.map { "\($0.minutes) minutes in \($0.monthsPerYear) month\($0.monthsPerYear == 1 ? "" : "s")" }.joined(separator: " and ")
    }

    static func monthName(_ month: Int) -> String {
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"][month - 1]
    }
}
