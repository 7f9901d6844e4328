public import BusinessTime
import Yams

/// Builds a ``Policy`` from YAML, reporting every problem with its line and column.
/// The format is described in `docs/policy-format.md`.
public struct PolicyLoader: Sendable {
    /// Reads a file a policy refers to (an `.ics` holiday file), relative to the policy.
    public typealias FileReader = @Sendable (String) throws -> String

    private let readFile: FileReader?

    /// Creates a loader; `readFile` serves `ics:` references (without it they are reported as errors).
    public init(readFile: FileReader? = nil) {
        self.readFile = readFile
    }

    public static let formatVersion = 1

    /// Parses and validates `yaml`; `file` names it in messages.
    public func load(yaml: String, file: String = "policy") throws(PolicyIssues) -> Policy {
        // YAML aliases repeat an anchored part; a few nested ones make a 2 KB file stand for billions
        // of nodes ("billion laughs"), and composing or reading them would hold the process for
        // minutes. A policy is a few thousand nodes: past the budget it is refused before Yams
        // composes it.
        if YAMLExpansion.exceeds(yaml, budget: Self.nodeBudget) {
            throw PolicyIssues(file: file, issues: [PolicyIssue(line: 1, column: 1, path: "", message: """
                the policy expands to more than \(Self.nodeBudget) YAML nodes — aliases (*name) that repeat anchored parts \
                many times over; write the parts out instead
                """)])
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw PolicyIssues(file: file, issues: [Self.issue(from: error)])
        } catch {
            throw PolicyIssues(file: file, issues: [PolicyIssue(line: 1, column: 1, path: "", message: "\(error)")])
        }
        guard let root else {
            throw PolicyIssues(file: file, issues: [PolicyIssue(line: 1, column: 1, path: "", message: "the file is empty")])
        }
        let reader = YAMLReader()
        let policy = Build(reader: reader, readFile: readFile).policy(root)
        if !reader.issues.isEmpty || policy == nil {
            throw PolicyIssues(file: file, issues: reader.issues.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
        }
        return policy!
    }

    /// The most YAML nodes a policy may expand to, aliases counted at every use (the largest
    /// preset has under 3,000).
    public static let nodeBudget = 100_000

    private static func issue(from error: YamlError) -> PolicyIssue {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            let text = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
            return PolicyIssue(line: mark.line, column: mark.column, path: "", message: "YAML syntax: \(text)")
        default:
            return PolicyIssue(line: 1, column: 1, path: "", message: "YAML: \(error)")
        }
    }
}

/// One load: the reader that collects issues and the steps that build each part.
private struct Build {
    let reader: YAMLReader
    let readFile: PolicyLoader.FileReader?

    static let topKeys: Set<String> = [
        "accord", "id", "name", "version", "provider", "source", "zone", "calendars", "regions", "default-region",
        "priorities", "plans", "metrics", "intake", "phone-support", "renewal", "maintenance-limits",
        "required-information", "scope-exclusions", "supported-versions", "visibility", "priority-queue", "teams",
        "routing", "reopen-within-days", "priority-change", "warn-at-percent", "email",
    ]

    func policy(_ root: Node) -> Policy? {
        let top = reader.mapping(root, "", allowed: Self.topKeys)
        if let format = reader.int(top["accord"], "accord", required: true, parent: root), format != PolicyLoader.formatVersion {
            reader.issue(top["accord"], "accord", "policy format \(format) is not supported; this Accord reads format \(PolicyLoader.formatVersion)")
        }
        let id = reader.string(top["id"], "id", required: true, parent: root) ?? ""
        if !id.isEmpty && !isIdentifier(id) { reader.issue(top["id"], "id", "'\(id)' must be lowercase letters, digits and dashes") }
        let name = reader.string(top["name"], "name", required: true, parent: root) ?? id
        let version = reader.string(top["version"], "version", required: true, parent: root) ?? ""
        let zone = reader.string(top["zone"], "zone", required: true, parent: root) ?? "UTC"
        if top["zone"] != nil, (try? BusinessCalendar(.always(zone: zone))) == nil {
            reader.issue(top["zone"], "zone", CalendarError.unknownTimeZone(zone).description)
        }
        let calendars = self.calendars(top["calendars"], defaultZone: zone, parent: root)
        // References are checked against every declared calendar, even one whose definition has problems.
        let calendarIDs = Set(top["calendars"]?.mapping?.keys.compactMap(\.string) ?? []).union(calendars.keys)
        let priorities = self.priorities(top["priorities"])
        let priorityIDs = priorities.map(\.id)
        let plans = self.plans(top["plans"], calendars: calendarIDs, parent: root)
        let planIDs = plans.map(\.id)
        let regions = self.regions(top["regions"], calendars: calendarIDs, parent: root)
        let defaultRegion = reader.string(top["default-region"], "default-region")
        if let defaultRegion, !regions.contains(where: { $0.id == defaultRegion }) {
            reader.issue(top["default-region"], "default-region", "unknown region '\(defaultRegion)'; regions: \(regions.map(\.id).joined(separator: ", "))")
        }
        let metrics = self.metrics(top["metrics"], plans: planIDs, priorities: priorityIDs, calendars: calendarIDs, parent: root)
        let rules = self.rules(top, plans: planIDs, priorities: priorityIDs, calendars: calendarIDs)
        var teams = self.teams(top["teams"], calendars: calendarIDs)
        if top["teams"] == nil, let region = regions.first {
            // Without teams, one tier-1 team works every case on the first region's calendar, so
            // that the policy's cases can always be taken from a queue (`POLICY.support`).
            teams = [Team(id: "support", name: "Support", tier: 1, calendar: region.calendar, languages: [])]
        }
        let routing = self.routing(top["routing"], teams: teams, regions: regions, priorities: priorityIDs, plans: planIDs)
        return Policy(
            id: id, name: name, version: version, provider: reader.string(top["provider"], "provider") ?? name,
            source: reader.string(top["source"], "source"), zoneIdentifier: zone,
            calendars: calendars, regions: regions, defaultRegion: defaultRegion ?? (regions.count == 1 ? regions[0].id : nil),
            priorities: priorities, plans: plans, metrics: metrics, rules: rules, teams: teams, routing: routing
        )
    }

    // MARK: Calendars

    static let calendarKeys: Set<String> = [
        "name", "zone", "hours", "holidays", "add-holidays", "remove-holidays", "special-hours", "ics", "version", "effective", "versions",
    ]

    func calendars(_ node: Node?, defaultZone: String, parent: Node) -> [String: VersionedCalendar] {
        guard let node else { reader.issue(parent, "calendars", "missing required value 'calendars'"); return [:] }
        var result: [String: VersionedCalendar] = [:]
        for entry in reader.mapping(node, "calendars") {
            let path = "calendars.\(entry.key)"
            if !isIdentifier(entry.key) { reader.issue(entry.keyNode, path, "calendar id '\(entry.key)' must be lowercase letters, digits and dashes") }
            let fields = reader.mapping(entry.value, path, allowed: Self.calendarKeys)
            var versions: [(label: String, effective: Int64, definition: CalendarDefinition)] = []
            if let list = fields["versions"] {
                for (index, item) in reader.sequence(list, "\(path).versions").enumerated() {
                    let itemPath = "\(path).versions[\(index)]"
                    let itemFields = reader.mapping(item, itemPath, allowed: Self.calendarKeys.subtracting(["versions"]))
                    if let version = calendarVersion(entry.key, itemFields, item, itemPath, defaultZone: defaultZone, requireEffective: index > 0) {
                        versions.append(version)
                    }
                }
                if versions.isEmpty { reader.issue(list, "\(path).versions", "list at least one version") }
            } else if let version = calendarVersion(entry.key, fields, entry.value, path, defaultZone: defaultZone, requireEffective: false) {
                versions.append(version)
            }
            guard !versions.isEmpty else { continue }
            do {
                result[entry.key] = try VersionedCalendar(id: entry.key, versions: versions)
            } catch {
                reader.issue(entry.value, path, error.description)
            }
        }
        return result
    }

    private func calendarVersion(
        _ id: String, _ fields: [(key: String, keyNode: Node, value: Node)], _ node: Node, _ path: String,
        defaultZone: String, requireEffective: Bool
    ) -> (label: String, effective: Int64, definition: CalendarDefinition)? {
        let zone = reader.string(fields["zone"], "\(path).zone") ?? defaultZone
        let probe: BusinessCalendar
        do { probe = try BusinessCalendar(.always(zone: zone)) } catch {
            reader.issue(fields["zone"], "\(path).zone", error.description)
            return nil
        }
        let weekly = hours(fields["hours"], "\(path).hours", parent: node)
        var sets: [HolidaySet] = []
        for (index, setNode) in reader.sequence(fields["holidays"], "\(path).holidays").enumerated() {
            guard let setID = reader.string(setNode, "\(path).holidays[\(index)]") else { continue }
            do { sets.append(try BuiltInHolidaySets.set(setID)) } catch {
                reader.issue(setNode, "\(path).holidays[\(index)]", error.description)
            }
        }
        if let ics = fields["ics"], let file = reader.string(ics, "\(path).ics") {
            if let readFile {
                do {
                    sets.append(try ICalendarImport.holidaySet(id: file, name: file, ics: try readFile(file)))
                } catch let error as CalendarError {
                    reader.issue(ics, "\(path).ics", "\(file): \(error)")
                } catch {
                    reader.issue(ics, "\(path).ics", "cannot read '\(file)': \(error)")
                }
            } else {
                reader.issue(ics, "\(path).ics", "this policy is not loaded from a file, so '\(file)' cannot be read")
            }
        }
        var added: [Holiday] = []
        for (index, item) in reader.sequence(fields["add-holidays"], "\(path).add-holidays").enumerated() {
            let itemPath = "\(path).add-holidays[\(index)]"
            let itemFields = reader.mapping(item, itemPath, allowed: ["date", "name"])
            guard let date = date(itemFields["date"], "\(itemPath).date", parent: item) else { continue }
            added.append(Holiday(date: date, name: reader.string(itemFields["name"], "\(itemPath).name") ?? "Holiday"))
        }
        var removed: Set<LocalDate> = []
        for (index, item) in reader.sequence(fields["remove-holidays"], "\(path).remove-holidays").enumerated() {
            if let date = date(item, "\(path).remove-holidays[\(index)]", parent: item) { removed.insert(date) }
        }
        var special: [LocalDate: DayHours] = [:]
        for entry in reader.mapping(fields["special-hours"], "\(path).special-hours") {
            let entryPath = "\(path).special-hours.\(entry.key)"
            guard let date = LocalDate(iso: entry.key) else {
                reader.issue(entry.keyNode, entryPath, "'\(entry.key)' is not a date (YYYY-MM-DD)")
                continue
            }
            if let day = dayHours(entry.value, entryPath) { special[date] = day }
        }
        let label = reader.string(fields["version"], "\(path).version") ?? "1"
        var effective = Int64.min
        if let effectiveNode = fields["effective"] {
            if let day = date(effectiveNode, "\(path).effective", parent: node) {
                effective = (try? probe.instant(of: day, second: 0)) ?? Int64.min
            }
        } else if requireEffective {
            reader.issue(node, "\(path).effective", "a later calendar version needs an 'effective' date (YYYY-MM-DD)")
        }
        guard let weekly else { return nil }
        let definition = CalendarDefinition(
            id: id, zoneIdentifier: zone, weekly: weekly, holidaySets: sets,
            addedHolidays: added, removedHolidays: removed, specialHours: special
        )
        return (label, effective, definition)
    }

    /// `24x7`, or a mapping of day ranges (`mon-fri`, `fri`, `sat-sun`, `daily`) to intervals.
    private func hours(_ node: Node?, _ path: String, parent: Node) -> WeeklyHours? {
        guard let node else { reader.issue(parent, path, "missing required value 'hours' (24x7, or days mapped to intervals)"); return nil }
        if case .scalar = node {
            if reader.string(node, path) == "24x7" { return .always }
            reader.issue(node, path, "expected 24x7 or a mapping such as 'mon-fri: 08:00-16:00'")
            return nil
        }
        var days: [Weekday: DayHours] = [:]
        var ok = true
        for entry in reader.mapping(node, path) {
            let entryPath = "\(path).\(entry.key)"
            guard let weekdays = weekdays(entry.key) else {
                reader.issue(entry.keyNode, entryPath, "'\(entry.key)' is not a day or day range; use mon, tue, …, sun, ranges such as mon-fri, or daily")
                ok = false
                continue
            }
            guard let day = dayHours(entry.value, entryPath) else { ok = false; continue }
            for weekday in weekdays { days[weekday] = day }
        }
        let weekly = WeeklyHours(days)
        if ok && !weekly.hasOpenTime { reader.issue(node, path, "the calendar is never open: give at least one day some hours") }
        return ok ? weekly : nil
    }

    private func weekdays(_ key: String) -> [Weekday]? {
        switch key.lowercased() {
        case "daily": return Weekday.allCases
        case "weekdays": return Array(Weekday.allCases[0..<5])
        case "weekends": return [.saturday, .sunday]
        default: break
        }
        let parts = key.split(separator: "-")
        if parts.count == 1, let day = Weekday(name: parts[0]) { return [day] }
        guard parts.count == 2, let from = Weekday(name: parts[0]), let to = Weekday(name: parts[1]), from <= to else { return nil }
        return Weekday.allCases.filter { $0 >= from && $0 <= to }
    }

    /// `closed`, `"08:00-12:00, 13:00-16:00"`, or a list of intervals.
    private func dayHours(_ node: Node, _ path: String) -> DayHours? {
        var texts: [String]
        if case .scalar = node {
            guard let text = reader.string(node, path) else { return nil }
            if text == "closed" { return .closed }
            texts = text.split(separator: ",").map { String($0) }
        } else {
            texts = reader.strings(node, path)
        }
        var intervals: [OpenInterval] = []
        var ok = true
        for text in texts {
            do { intervals.append(try OpenInterval(parsing: text)) } catch {
                reader.issue(node, path, error.description)
                ok = false
            }
        }
        guard ok else { return nil }
        do { return try DayHours(intervals) } catch {
            reader.issue(node, path, error.description)
            return nil
        }
    }

    private func date(_ node: Node?, _ path: String, parent: Node) -> LocalDate? {
        guard let text = reader.string(node, path, required: true, parent: parent) else { return nil }
        guard let date = LocalDate(iso: text) else {
            reader.issue(node, path, "'\(text)' is not a date (YYYY-MM-DD)")
            return nil
        }
        return date
    }

    // MARK: Regions, priorities, plans

    func regions(_ node: Node?, calendars: Set<String>, parent: Node) -> [Region] {
        guard let node else { reader.issue(parent, "regions", "missing required value 'regions'"); return [] }
        var result: [Region] = []
        for (index, item) in reader.sequence(node, "regions").enumerated() {
            let path = "regions[\(index)]"
            let fields = reader.mapping(item, path, allowed: ["id", "name", "calendar", "mailbox", "languages"])
            guard let id = identifier(fields["id"], "\(path).id", parent: item, seen: result.map(\.id)) else { continue }
            let calendar = reference(fields["calendar"], "\(path).calendar", in: calendars, kind: "calendar", required: true, parent: item) ?? ""
            result.append(Region(
                id: id, name: reader.string(fields["name"], "\(path).name") ?? id, calendar: calendar,
                mailbox: reader.string(fields["mailbox"], "\(path).mailbox"),
                languages: reader.strings(fields["languages"], "\(path).languages")
            ))
        }
        if result.isEmpty { reader.issue(node, "regions", "list at least one region") }
        return result
    }

    func priorities(_ node: Node?) -> [Priority] {
        var result: [Priority] = []
        for (index, item) in reader.sequence(node, "priorities").enumerated() {
            let path = "priorities[\(index)]"
            let fields = reader.mapping(item, path, allowed: ["id", "name", "definition"])
            guard let id = identifier(fields["id"], "\(path).id", parent: item, seen: result.map(\.id)) else { continue }
            result.append(Priority(
                id: id, name: reader.string(fields["name"], "\(path).name") ?? id,
                definition: reader.string(fields["definition"], "\(path).definition", required: true, parent: item) ?? ""
            ))
        }
        return result
    }

    static let entitlementKeys: Set<String> = [
        "authorized-contacts", "ticket-priority", "technical-account-manager", "business-reviews", "premium-community",
        "escalation-advocate", "automation-fair-passes", "dedicated-support-desk", "priority-queue", "notes",
    ]

    func plans(_ node: Node?, calendars: Set<String>, parent: Node) -> [Plan] {
        guard let node else { reader.issue(parent, "plans", "missing required value 'plans'"); return [] }
        var result: [Plan] = []
        for (index, item) in reader.sequence(node, "plans").enumerated() {
            let path = "plans[\(index)]"
            let fields = reader.mapping(item, path, allowed: ["id", "name", "calendar", "entitlements"])
            guard let id = identifier(fields["id"], "\(path).id", parent: item, seen: result.map(\.id)) else { continue }
            let e = reader.mapping(fields["entitlements"], "\(path).entitlements", allowed: Self.entitlementKeys)
            let ePath = "\(path).entitlements"
            var entitlements = Entitlements()
            if let contacts = e["authorized-contacts"] {
                let c = reader.mapping(contacts, "\(ePath).authorized-contacts", allowed: ["included", "extra-at-fee"])
                if let included = reader.int(c["included"], "\(ePath).authorized-contacts.included", required: true, parent: contacts) {
                    entitlements.authorizedContacts = AuthorizedContacts(
                        included: included, extraAtFee: reader.bool(c["extra-at-fee"], "\(ePath).authorized-contacts.extra-at-fee") ?? false)
                }
            }
            entitlements.ticketPriority = reader.choice(e["ticket-priority"], "\(ePath).ticket-priority", ["standard", "higher", "highest"])
            entitlements.technicalAccountManager = reader.choice(
                e["technical-account-manager"], "\(ePath).technical-account-manager", ["none", "reactive", "proactive", "named"])
            entitlements.businessReviews = reader.strings(e["business-reviews"], "\(ePath).business-reviews")
            for review in entitlements.businessReviews where !["monthly", "quarterly", "yearly"].contains(review) {
                reader.issue(e["business-reviews"], "\(ePath).business-reviews", "unknown review cadence '\(review)'; expected monthly, quarterly or yearly")
            }
            entitlements.premiumCommunity = reader.bool(e["premium-community"], "\(ePath).premium-community") ?? false
            entitlements.escalationAdvocate = reader.bool(e["escalation-advocate"], "\(ePath).escalation-advocate") ?? false
            entitlements.automationFairPasses = reader.int(e["automation-fair-passes"], "\(ePath).automation-fair-passes", maximum: 1_000) ?? 0
            entitlements.dedicatedSupportDesk = reader.bool(e["dedicated-support-desk"], "\(ePath).dedicated-support-desk") ?? false
            entitlements.priorityQueue = reader.bool(e["priority-queue"], "\(ePath).priority-queue") ?? false
            entitlements.notes = reader.strings(e["notes"], "\(ePath).notes")
            result.append(Plan(
                id: id, name: reader.string(fields["name"], "\(path).name") ?? id,
                calendar: reference(fields["calendar"], "\(path).calendar", in: calendars, kind: "calendar", required: false, parent: item),
                entitlements: entitlements
            ))
        }
        if result.isEmpty { reader.issue(node, "plans", "list at least one plan") }
        return result
    }

    // MARK: Metrics

    func metrics(_ node: Node?, plans: [String], priorities: [String], calendars: Set<String>, parent: Node) -> [Metric] {
        guard let node else { reader.issue(parent, "metrics", "missing required value 'metrics'"); return [] }
        var result: [Metric] = []
        for (index, item) in reader.sequence(node, "metrics").enumerated() {
            let path = "metrics[\(index)]"
            let fields = reader.mapping(item, path, allowed: [
                "id", "name", "kind", "starts", "paused-by", "calendar", "targets", "cvss-bands", "notify-when-late", "on-resolution",
            ])
            guard let id = identifier(fields["id"], "\(path).id", parent: item, seen: result.map(\.id)) else { continue }
            let kindText = reader.choice(fields["kind"], "\(path).kind", MetricKind.allCases.map(\.rawValue), required: true, parent: item)
            let kind = kindText.flatMap(MetricKind.init(rawValue:)) ?? .initialResponse
            let defaultStart: StartEvent = switch kind {
            case .initialResponse: .caseLogged
            case .resolution: .defectConfirmed
            case .patch: .laterOfNotificationAndPatchAvailable
            case .nextReply: .customerMessage
            case .periodicUpdate: .lastProviderUpdate
            }
            let start = reader.choice(fields["starts"], "\(path).starts", StartEvent.allCases.map(\.rawValue))
                .flatMap(StartEvent.init(rawValue:)) ?? defaultStart
            let targets = self.targets(fields["targets"], "\(path).targets", plans: plans, priorities: priorities)
            let bands = cvssBands(fields["cvss-bands"], "\(path).cvss-bands")
            if kind == .patch && bands.isEmpty && fields["cvss-bands"] == nil {
                reader.issue(item, "\(path).cvss-bands", "a patch metric needs cvss-bands")
            }
            if kind != .patch && fields["targets"] == nil {
                reader.issue(item, "\(path).targets", "missing required value 'targets'")
            }
            result.append(Metric(
                id: id, name: reader.string(fields["name"], "\(path).name") ?? id, kind: kind, start: start,
                pausedBy: reader.strings(fields["paused-by"], "\(path).paused-by"),
                calendar: reference(fields["calendar"], "\(path).calendar", in: calendars, kind: "calendar", required: false, parent: item),
                targets: targets, cvssBands: bands,
                notifyWhenLate: reader.bool(fields["notify-when-late"], "\(path).notify-when-late") ?? false,
                onResolution: reader.choice(fields["on-resolution"], "\(path).on-resolution", ResolutionMeaning.allCases.map(\.rawValue))
                    .flatMap(ResolutionMeaning.init(rawValue:))
            ))
        }
        return result
    }

    /// `plan: target` (all priorities) or `plan: {priority: target}`; `none` means no target.
    private func targets(_ node: Node?, _ path: String, plans: [String], priorities: [String]) -> [String: [String?: TimeTarget?]] {
        var result: [String: [String?: TimeTarget?]] = [:]
        for entry in reader.mapping(node, path) {
            let planPath = "\(path).\(entry.key)"
            guard plans.contains(entry.key) else {
                reader.issue(entry.keyNode, planPath, "unknown plan '\(entry.key)'; plans: \(plans.joined(separator: ", "))")
                continue
            }
            if case .mapping = entry.value {
                var byPriority: [String?: TimeTarget?] = [:]
                for cell in reader.mapping(entry.value, planPath) {
                    let cellPath = "\(planPath).\(cell.key)"
                    guard priorities.contains(cell.key) else {
                        reader.issue(cell.keyNode, cellPath, "unknown priority '\(cell.key)'; priorities: \(priorities.isEmpty ? "(none declared)" : priorities.joined(separator: ", "))")
                        continue
                    }
                    if let target = target(cell.value, cellPath) { byPriority[cell.key] = target }
                }
                result[entry.key] = byPriority
            } else if let target = target(entry.value, planPath) {
                result[entry.key] = [nil: target]
            }
        }
        return result
    }

    /// A target, `.some(nil)` for `none`, or nil when invalid.
    private func target(_ node: Node, _ path: String) -> TimeTarget?? {
        if case .scalar(let scalar) = node, scalar.tag == Tag(.null) || scalar.string == "none" || scalar.string.isEmpty {
            if scalar.string.isEmpty || scalar.tag == Tag(.null) {
                reader.issue(node, path, "missing target amount: write a target such as '4 business hours', or 'none'")
                return nil
            }
            return .some(nil)
        }
        guard let text = reader.string(node, path) else { return nil }
        do { return .some(try TimeTarget(parsing: text)) } catch {
            reader.issue(node, path, error.description)
            return nil
        }
    }

    private func cvssBands(_ node: Node?, _ path: String) -> [CVSSBand] {
        var result: [CVSSBand] = []
        for (index, item) in reader.sequence(node, path).enumerated() {
            let bandPath = "\(path)[\(index)]"
            let fields = reader.mapping(item, bandPath, allowed: ["name", "min", "below", "target"])
            let name = reader.string(fields["name"], "\(bandPath).name", required: true, parent: item) ?? ""
            let minimum = reader.double(fields["min"], "\(bandPath).min") ?? 0
            let below = reader.double(fields["below"], "\(bandPath).below")
            if !(0...10).contains(minimum) { reader.issue(fields["min"], "\(bandPath).min", "CVSS scores run from 0 to 10; got \(minimum)") }
            if let below, below <= minimum || below > 10 {
                reader.issue(fields["below"], "\(bandPath).below", "must be above min (\(minimum)) and at most 10; got \(below)")
            }
            guard let targetNode = fields["target"] else {
                reader.issue(item, "\(bandPath).target", "missing required value 'target'")
                continue
            }
            guard let target = target(targetNode, "\(bandPath).target") else { continue }
            guard let target else {
                reader.issue(targetNode, "\(bandPath).target", "a CVSS band needs a target")
                continue
            }
            result.append(CVSSBand(name: name, minimum: minimum, below: below, target: target))
        }
        for (a, b) in zip(result, result.dropFirst()) {
            let sorted = [a, b].sorted { $0.minimum < $1.minimum }
            if let below = sorted[0].below, below > sorted[1].minimum {
                reader.issue(node, path, "bands '\(a.name)' and '\(b.name)' overlap")
            }
        }
        return result
    }

    // MARK: Contract rules

    func rules(_ top: [(key: String, keyNode: Node, value: Node)], plans: [String], priorities: [String], calendars: Set<String>) -> ContractRules {
        var rules = ContractRules()
        let people = ["user", "authorized-contact", "case-team-contact", "primary-contact"]
        let channels = ["web", "email", "phone", "chat"]
        for (index, item) in reader.sequence(top["intake"], "intake").enumerated() {
            let path = "intake[\(index)]"
            let f = reader.mapping(item, path, allowed: ["priorities", "who", "channels"])
            let ps = priorityList(f["priorities"], "\(path).priorities", priorities)
            let who = choices(f["who"], "\(path).who", people, parent: item)
            let via = choices(f["channels"], "\(path).channels", channels, parent: item)
            rules.intake.append(IntakeRule(priorities: ps, who: who, channels: via))
        }
        if let node = top["phone-support"] {
            let f = reader.mapping(node, "phone-support", allowed: ["priorities", "hours", "languages", "plans", "hours-by-plan"])
            let hours = reader.string(f["hours"], "phone-support.hours", required: true, parent: node) ?? "24x7"
            func checkHours(_ hours: String, _ node: Node?, _ path: String) {
                if hours != "24x7" && !calendars.contains(hours) {
                    reader.issue(node, path, "unknown calendar '\(hours)'; use 24x7 or one of: \(calendars.sorted().joined(separator: ", "))")
                }
            }
            checkHours(hours, f["hours"], "phone-support.hours")
            var byPlan: [String: String] = [:]
            for entry in reader.mapping(f["hours-by-plan"], "phone-support.hours-by-plan") {
                let path = "phone-support.hours-by-plan.\(entry.key)"
                guard plans.contains(entry.key) else {
                    reader.issue(entry.keyNode, path, "unknown plan '\(entry.key)'; plans: \(plans.joined(separator: ", "))")
                    continue
                }
                guard let planHours = reader.string(entry.value, path) else { continue }
                checkHours(planHours, entry.value, path)
                byPlan[entry.key] = planHours
            }
            rules.phoneSupport = PhoneSupport(
                priorities: priorityList(f["priorities"], "phone-support.priorities", priorities), hours: hours,
                languages: reader.strings(f["languages"], "phone-support.languages"),
                plans: f["plans"].map { choices($0, "phone-support.plans", plans, parent: node) } ?? [], hoursByPlan: byPlan)
        }
        if let node = top["renewal"] {
            let f = reader.mapping(node, "renewal", allowed: ["automatic", "notice-days", "after-lapse", "reactivation"])
            let lapse = reader.string(f["after-lapse"], "renewal.after-lapse", required: true, parent: node) ?? "no-support"
            if lapse != "no-support" && !plans.contains(lapse) {
                reader.issue(f["after-lapse"], "renewal.after-lapse", "unknown plan '\(lapse)'; use no-support or one of: \(plans.joined(separator: ", "))")
            }
            var renewal = Renewal(
                automatic: reader.bool(f["automatic"], "renewal.automatic") ?? false,
                noticeDays: reader.int(f["notice-days"], "renewal.notice-days", required: true, parent: node, maximum: 3_660) ?? 0,
                afterLapse: lapse)
            if let reactivation = f["reactivation"] {
                let r = reader.mapping(reactivation, "renewal.reactivation", allowed: ["term-starts", "requires-fees-current"])
                let starts = reader.string(r["term-starts"], "renewal.reactivation.term-starts") ?? "on-reactivation"
                if starts != "at-expiry" && starts != "on-reactivation" {
                    reader.issue(r["term-starts"], "renewal.reactivation.term-starts", "'\(starts)' must be at-expiry or on-reactivation")
                }
                renewal.reactivation = Reactivation(
                    termStartsAtExpiry: starts == "at-expiry",
                    requiresFeesCurrent: reader.bool(r["requires-fees-current"], "renewal.reactivation.requires-fees-current") ?? false)
            }
            rules.renewal = renewal
        }
        for (index, item) in reader.sequence(top["maintenance-limits"], "maintenance-limits").enumerated() {
            let path = "maintenance-limits[\(index)]"
            let f = reader.mapping(item, path, allowed: ["minutes", "months-per-year"])
            if let minutes = reader.int(f["minutes"], "\(path).minutes", required: true, parent: item, maximum: 527_040),
               let months = reader.int(f["months-per-year"], "\(path).months-per-year", required: true, parent: item, minimum: 1) {
                if months > 12 { reader.issue(f["months-per-year"], "\(path).months-per-year", "a year has 12 months; got \(months)") }
                rules.maintenanceLimits.append(MaintenanceLimit(minutes: minutes, monthsPerYear: months))
            }
        }
        if rules.maintenanceLimits.reduce(0, { $0 + $1.monthsPerYear }) > 12 {
            reader.issue(top["maintenance-limits"], "maintenance-limits", "the limits cover more than 12 months of a year")
        }
        for (index, item) in reader.sequence(top["required-information"], "required-information").enumerated() {
            let path = "required-information[\(index)]"
            let f = reader.mapping(item, path, allowed: ["field", "label", "required", "pattern"])
            guard let field = reader.string(f["field"], "\(path).field", required: true, parent: item) else { continue }
            let pattern = reader.string(f["pattern"], "\(path).pattern")
            if let pattern, (try? Regex(pattern)) == nil {
                reader.issue(f["pattern"], "\(path).pattern", "'\(pattern)' is not a valid regular expression")
            }
            rules.requiredInformation.append(RequiredField(
                field: field, label: reader.string(f["label"], "\(path).label") ?? field,
                required: reader.bool(f["required"], "\(path).required") ?? true, pattern: pattern))
        }
        if let node = top["scope-exclusions"] {
            let f = reader.mapping(node, "scope-exclusions", allowed: ["classification", "items", "leaves-sla"])
            rules.scopeExclusions = ScopeExclusions(
                classification: reader.string(f["classification"], "scope-exclusions.classification", required: true, parent: node) ?? "",
                items: reader.strings(f["items"], "scope-exclusions.items"),
                leavesSLA: reader.bool(f["leaves-sla"], "scope-exclusions.leaves-sla") ?? true)
        }
        if let node = top["supported-versions"] {
            let f = reader.mapping(node, "supported-versions", allowed: ["current", "prior"])
            if let current = reader.int(f["current"], "supported-versions.current", required: true, parent: node, maximum: 999_999),
               let prior = reader.int(f["prior"], "supported-versions.prior", required: true, parent: node, maximum: 1_000) {
                rules.supportedVersions = SupportedVersions(current: current, prior: prior)
            }
        }
        if let days = reader.int(top["reopen-within-days"], "reopen-within-days", maximum: 3_660) {
            rules.reopenWithinDays = days
        }
        if let node = top["priority-change"] {
            let choices = PriorityChangeRule.allCases.map(\.rawValue)
            if case .mapping = node {
                // Per direction: `{upgrade: from-change, downgrade: retroactive}`; an omitted direction stays retroactive.
                let f = reader.mapping(node, "priority-change", allowed: ["upgrade", "downgrade"])
                for (key, path) in [("upgrade", \PriorityChangeRules.upgrade), ("downgrade", \PriorityChangeRules.downgrade)] {
                    if let rule = reader.choice(f[key], "priority-change.\(key)", choices) { rules.priorityChange[keyPath: path] = PriorityChangeRule(rawValue: rule)! }
                }
            } else if let rule = reader.choice(node, "priority-change", choices) {
                rules.priorityChange = PriorityChangeRules(upgrade: PriorityChangeRule(rawValue: rule)!, downgrade: PriorityChangeRule(rawValue: rule)!)
            }
        }
        if let node = top["warn-at-percent"] {
            var percents: [Int] = []
            for (index, item) in reader.sequence(node, "warn-at-percent").enumerated() {
                guard let percent = reader.int(item, "warn-at-percent[\(index)]", minimum: 1, maximum: 1_000) else { continue }
                if percent >= 100 {
                    reader.issue(item, "warn-at-percent[\(index)]", "\(percent) is not below 100: the breach itself is raised at the due instant")
                } else if let last = percents.last, percent <= last {
                    reader.issue(item, "warn-at-percent[\(index)]", "\(percent) does not come after \(last): list the thresholds in rising order")
                } else {
                    percents.append(percent)
                }
            }
            rules.warnAtPercent = percents
        }
        if let visibility = reader.choice(top["visibility"], "visibility", Visibility.allCases.map(\.rawValue)) {
            rules.visibility = Visibility(rawValue: visibility)!
        }
        if let node = top["email"] {
            let f = reader.mapping(node, "email", allowed: ["default-priority", "unknown-senders"])
            let priority = f["default-priority"].flatMap { priorityList($0, "email.default-priority", priorities).first }
            let unknown = reader.choice(f["unknown-senders"], "email.unknown-senders", EmailIntake.UnknownSenders.allCases.map(\.rawValue))
            rules.email = EmailIntake(defaultPriority: priority, unknownSenders: unknown.flatMap(EmailIntake.UnknownSenders.init(rawValue:)) ?? .refuse)
        }
        if let node = top["priority-queue"] {
            let f = reader.mapping(node, "priority-queue", allowed: ["match-by", "maintained-by"])
            rules.priorityQueue = PriorityQueueRule(
                matchBy: choices(f["match-by"], "priority-queue.match-by", ["sender-address", "sender-domain"], parent: node),
                maintainedBy: reader.choice(f["maintained-by"], "priority-queue.maintained-by", people, required: true, parent: node) ?? "")
        }
        return rules
    }

    // MARK: Teams and routing

    func teams(_ node: Node?, calendars: Set<String>) -> [Team] {
        var result: [Team] = []
        for (index, item) in reader.sequence(node, "teams").enumerated() {
            let path = "teams[\(index)]"
            let f = reader.mapping(item, path, allowed: ["id", "name", "tier", "calendar", "languages"])
            guard let id = identifier(f["id"], "\(path).id", parent: item, seen: result.map(\.id)) else { continue }
            let tier = reader.int(f["tier"], "\(path).tier", minimum: 1, maximum: 9) ?? 1
            let calendar = reference(f["calendar"], "\(path).calendar", in: calendars, kind: "calendar", required: true, parent: item) ?? ""
            result.append(Team(id: id, name: reader.string(f["name"], "\(path).name") ?? id, tier: tier, calendar: calendar,
                               languages: reader.strings(f["languages"], "\(path).languages")))
        }
        if node != nil && result.isEmpty {
            // Cases are worked from a team's queue: without one, nobody could ever take a case.
            reader.issue(node, "teams", "list at least one team of tier 1, whose queue takes new cases (or leave 'teams' out for one default team)")
        } else if !result.isEmpty && !result.contains(where: { $0.tier == 1 }) {
            reader.issue(node, "teams", "no team works tier 1, where every case arrives")
        }
        return result
    }

    func routing(_ node: Node?, teams: [Team], regions: [Region], priorities: [String], plans: [String]) -> RoutingPolicy {
        var routing = RoutingPolicy()
        guard let node else { return routing }
        let f = reader.mapping(node, "routing", allowed: ["rules", "default", "english-overflow", "queue-order", "olas"])
        let teamIDs = Set(teams.map(\.id))
        func teamList(_ node: Node?, _ path: String, parent: Node) -> [String] {
            if node == nil { reader.issue(parent, path, "missing required value '\(path.split(separator: ".").last!)'") }
            return reader.strings(node, path).filter { id in
                if teamIDs.contains(id) { return true }
                reader.issue(node, path, "unknown team '\(id)'; teams: \(teamIDs.isEmpty ? "(none declared)" : teamIDs.sorted().joined(separator: ", "))")
                return false
            }
        }
        for (index, item) in reader.sequence(f["rules"], "routing.rules").enumerated() {
            let path = "routing.rules[\(index)]"
            let r = reader.mapping(item, path, allowed: ["when", "to"])
            var rule = RoutingRule()
            if let when = r["when"] {
                let w = reader.mapping(when, "\(path).when", allowed: ["channel", "mailbox", "region", "language", "priority", "plan"])
                rule.channels = w["channel"].map { choices($0, "\(path).when.channel", ["web", "email", "phone", "chat"], parent: when) } ?? []
                rule.mailboxes = reader.strings(w["mailbox"], "\(path).when.mailbox")
                let mailboxes = Set(regions.compactMap { $0.mailbox?.lowercased() })
                for mailbox in rule.mailboxes where !mailboxes.contains(mailbox.lowercased()) {
                    reader.issue(w["mailbox"], "\(path).when.mailbox", "'\(mailbox)' is no region's mailbox; mailboxes: \(mailboxes.isEmpty ? "(none declared)" : mailboxes.sorted().joined(separator: ", "))")
                }
                rule.regions = w["region"].map { choices($0, "\(path).when.region", regions.map(\.id), parent: when) } ?? []
                rule.languages = reader.strings(w["language"], "\(path).when.language")
                rule.priorities = w["priority"].map { priorityList($0, "\(path).when.priority", priorities) } ?? []
                rule.plans = w["plan"].map { choices($0, "\(path).when.plan", plans, parent: when) } ?? []
            }
            rule.teams = teamList(r["to"], "\(path).to", parent: item)
            routing.rules.append(rule)
        }
        if let list = f["default"] { routing.defaultTeams = teamList(list, "routing.default", parent: node) }
        if let overflow = f["english-overflow"] {
            let o = reader.mapping(overflow, "routing.english-overflow", allowed: ["team", "backlog-above"])
            if let team = teamList(o["team"], "routing.english-overflow.team", parent: overflow).first,
               let above = reader.int(o["backlog-above"], "routing.english-overflow.backlog-above", required: true, parent: overflow) {
                routing.englishOverflow = EnglishOverflow(team: team, backlogAbove: above)
            }
        }
        if let order = f["queue-order"] {
            let keys = choices(order, "routing.queue-order", QueueOrderKey.allCases.map(\.rawValue), parent: node).compactMap(QueueOrderKey.init(rawValue:))
            if Set(keys).count != keys.count { reader.issue(order, "routing.queue-order", "a key is listed twice") }
            if !keys.isEmpty { routing.queueOrder = keys }
        }
        for (index, item) in reader.sequence(f["olas"], "routing.olas").enumerated() {
            let path = "routing.olas[\(index)]"
            let o = reader.mapping(item, path, allowed: ["id", "name", "tier", "target"])
            guard let id = identifier(o["id"], "\(path).id", parent: item, seen: routing.olas.map(\.id)) else { continue }
            guard let tier = reader.int(o["tier"], "\(path).tier", required: true, parent: item, minimum: 1, maximum: 9) else { continue }
            if !teams.contains(where: { $0.tier == tier }) {
                reader.issue(o["tier"], "\(path).tier", "no team works tier \(tier)")
            }
            guard let targetNode = o["target"] else { reader.issue(item, "\(path).target", "missing required value 'target'"); continue }
            guard let target = target(targetNode, "\(path).target") else { continue }
            guard let target else { reader.issue(targetNode, "\(path).target", "an OLA needs a target"); continue }
            routing.olas.append(OperationalTarget(id: id, name: reader.string(o["name"], "\(path).name") ?? id, tier: tier, target: target))
        }
        return routing
    }

    // MARK: Helpers

    private func identifier(_ node: Node?, _ path: String, parent: Node, seen: [String]) -> String? {
        guard let id = reader.string(node, path, required: true, parent: parent), !id.isEmpty else { return nil }
        if !isIdentifier(id) { reader.issue(node, path, "'\(id)' must be lowercase letters, digits and dashes") }
        if seen.contains(id) { reader.issue(node, path, "id '\(id)' is used twice") }
        return id
    }

    private func reference(_ node: Node?, _ path: String, in known: Set<String>, kind: String, required: Bool, parent: Node) -> String? {
        guard let id = reader.string(node, path, required: required, parent: parent) else { return nil }
        guard known.contains(id) else {
            reader.issue(node, path, "unknown \(kind) '\(id)'; \(kind)s: \(known.sorted().joined(separator: ", "))")
            return nil
        }
        return id
    }

    private func priorityList(_ node: Node?, _ path: String, _ priorities: [String]) -> [String] {
        reader.strings(node, path).filter { id in
            if priorities.contains(id) { return true }
            reader.issue(node, path, "unknown priority '\(id)'; priorities: \(priorities.joined(separator: ", "))")
            return false
        }
    }

    private func choices(_ node: Node?, _ path: String, _ allowed: [String], parent: Node) -> [String] {
        if node == nil { reader.issue(parent, path, "missing required value '\(path.split(separator: ".").last!)'") }
        return reader.strings(node, path).filter { value in
            if allowed.contains(value) { return true }
            reader.issue(node, path, "unknown value '\(value)'; expected one of: \(allowed.joined(separator: ", "))")
            return false
        }
    }

    private func isIdentifier(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy { ($0.isLetter && $0.isLowercase) || $0.isNumber || $0 == "-" } && text.first != "-"
    }
}
