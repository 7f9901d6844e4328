import AccordCore
import AccordStore
import BusinessTime
import Foundation

/// A case page's content, made from the case as its viewer may see it (`CaseView`) and the
/// engine's explanation of each clock: everything written out for people — states in words with
/// an icon, times in the viewer's and the contract's zone, durations to the minute. Nothing here
/// decides a deadline or what may be seen.
struct CaseSheet: Encodable, Sendable {
    let id: String
    let number: String
    let title: String
    let description: String
    let status: Label
    let priority: PriorityText?
    let channel: String
    let logged: WebFormat.Time
    let version: Int
    let staff: Bool
    let clocks: [ClockPanel]
    let olas: [OLAPanel]
    let timeline: [Entry]
    /// Who is copied (CC: they receive the answers) and the customer's case team.
    let watchers: [WatcherRow]
    /// The viewer may add case-team contacts (staff, the customer's authorized contacts).
    let canAddTeam: Bool
    /// Files of the case, downloaded through `/attachments/{id}`.
    let attachments: [AttachmentRow]
    let outOfScope: String?
    /// What the person may do next with the case's status.
    let statusChoices: [String]
    /// The policy's priorities, for staff changing it.
    let priorityChoices: [PriorityChoice]
    /// What staff may do with the case under its policy (nil for customers).
    let actions: Actions?
    /// A customer may withdraw an open request, and ask to reopen a resolved one (the policy's window decides).
    let canWithdraw: Bool
    let canReopen: Bool
    let base: String

    /// The contract's actions that apply to this case now; each form is shown only when it does.
    struct Actions: Encodable, Sendable {
        let assignee: String?
        let assignedToViewer: Bool
        let confirmDefect: Bool
        let patchAvailable: Bool
        let lateNotice: String?
        let outOfScope: [String]
        let outOfScopeClass: String?
        let escalationTiers: [Int]
    }

    struct WatcherRow: Encodable, Sendable {
        let email: String
        /// `CC` or `case team`.
        let kind: String
    }

    struct AttachmentRow: Encodable, Sendable {
        let id: String
        let name: String
        let size: String
        let by: String
        let at: WebFormat.Time
        let erased: Bool
    }

    struct PriorityChoice: Encodable, Sendable {
        let id: String
        let name: String
        let selected: Bool
    }

    struct Label: Encodable, Sendable {
        let value: String
        let text: String
        let icon: String
        let tone: String
    }

    struct PriorityText: Encodable, Sendable {
        let id: String
        let name: String
        let definition: String
    }

    /// One contractual clock: its state, what is left, and why it is due when it is.
    struct ClockPanel: Encodable, Sendable {
        let metric: String
        let name: String
        let target: String?
        let state: Label
        let due: WebFormat.Time?
        /// Business (or calendar) time left, or the overrun, in the target's measure.
        let left: String?
        /// Wall-clock time to the due instant ("in 2 d 3 h", "4 h ago").
        let wall: String?
        let percent: Double?
        let percentText: String?
        let note: String?
        /// For customers: the promise in plain words.
        let promise: String?
        /// Closed now: when the clock resumes counting.
        let resumes: String?
        let pausedNow: Bool
        let explanation: Explanation?
    }

    struct Explanation: Encodable, Sendable {
        let calendar: String
        let target: String
        let startEvent: String
        let clockStart: String
        let days: [Day]
        let omittedDays: Int
        let counted: String?
        let pauses: [Pause]
        let rule: String
        let due: String
        let retarget: String?
        let ending: String?
    }

    struct Day: Encodable, Sendable {
        let date: String
        let text: String
        let skipped: Bool
    }

    struct Pause: Encodable, Sendable {
        let from: String
        let to: String
        let added: String
        let cause: String
    }

    struct OLAPanel: Encodable, Sendable {
        let name: String
        let team: String
        let target: String
        let state: Label
        let due: WebFormat.Time
        let left: String
    }

    struct Entry: Encodable, Sendable {
        let kind: String
        let heading: String
        let who: String
        let at: WebFormat.Time
        let body: String?
        let internalOnly: Bool
    }

    static func state(_ value: String) -> Label {
        switch value {
        case "running": Label(value: value, text: "Running", icon: "▶", tone: "running")
        case "paused": Label(value: value, text: "Paused", icon: "‖", tone: "paused")
        case "met": Label(value: value, text: "Met", icon: "✓", tone: "met")
        case "breached": Label(value: value, text: "Breached", icon: "✗", tone: "breached")
        case "cancelled": Label(value: value, text: "No longer applies", icon: "–", tone: "other")
        case "not-started": Label(value: value, text: "Not started", icon: "○", tone: "other")
        case "no-target": Label(value: value, text: "No target", icon: "—", tone: "other")
        case "excluded": Label(value: value, text: "Out of scope", icon: "⊘", tone: "other")
        default: Label(value: value, text: value, icon: "•", tone: "other")
        }
    }

    static func status(_ value: String) -> Label {
        switch value {
        case "new": Label(value: value, text: "New", icon: "●", tone: "running")
        case "open": Label(value: value, text: "Open", icon: "●", tone: "running")
        case "awaiting-customer": Label(value: value, text: "Awaiting customer", icon: "‖", tone: "paused")
        case "resolved": Label(value: value, text: "Resolved", icon: "✓", tone: "met")
        case "closed": Label(value: value, text: "Closed", icon: "■", tone: "other")
        default: Label(value: value, text: value, icon: "•", tone: "other")
        }
    }

    /// What a metric promises, as a verb: "respond", "rectify".
    static func verb(_ kind: MetricKind) -> String {
        switch kind {
        case .initialResponse: "respond"
        case .resolution: "rectify the defect"
        case .patch: "deliver a patch"
        case .nextReply: "reply"
        case .periodicUpdate: "update you"
        }
    }
}

/// Makes `CaseSheet`s: the people named in the timeline are read once each.
struct CaseSheetMaker: Sendable {
    let service: CaseService
    let format: WebFormat

    func sheet(_ view: CaseView, for viewer: Person, base: String) async throws -> CaseSheet {
        let c = view.supportCase
        let policy = try await service.catalog.policy(c.policyID, version: c.policyVersion, store: service.store)
        let explanations = try await service.explanations(of: c, events: view.events, at: view.at)
        let zone = Self.contractZone(of: c, policy: policy, at: CaseService.seconds(view.at))
        var names: [UUID: String] = [:]
        for id in Set(view.events.compactMap(\.actorID) + view.attachments.compactMap(\.uploadedBy)) {
            names[id] = try await service.store.person(id).map { $0.erased ? "Erased person" : $0.name } ?? "someone"
        }
        let now = CaseService.seconds(view.at)
        let clocks = view.clocks.map { clock in
            panel(clock, metric: policy.metrics.first { $0.id == clock.metric }, explanation: explanations[clock.metric],
                  staff: viewer.role.isStaff, zone: zone, now: now)
        }
        let olas = (view.olas ?? []).map { ola in
            CaseSheet.OLAPanel(name: ola.name, team: ola.team, target: ola.target, state: CaseSheet.state(ola.status.state.rawValue),
                               due: format.time(Self.date(ola.status.due), contractZone: zone),
                               left: Self.left(ola.status.remaining, state: ola.status.state.rawValue))
        }
        let timeline = view.events.map { event in
            CaseSheet.Entry(kind: event.kind, heading: Self.heading(event), who: event.actorID.flatMap { names[$0] } ?? "the desk",
                            at: format.time(event.at, contractZone: zone), body: event.body,
                            internalOnly: CaseService.internalKinds.contains(event.kind))
        }
        let priority = c.priority.flatMap { id in policy.priorities.first { $0.id == id } }
        let status = CaseStatus(rawValue: c.status)
        return CaseSheet(
            id: c.id.uuidString, number: c.number, title: c.title, description: c.description, status: CaseSheet.status(c.status),
            priority: priority.map { CaseSheet.PriorityText(id: $0.id, name: $0.name, definition: $0.definition) }, channel: c.channel,
            logged: format.time(c.loggedAt, contractZone: zone), version: c.version, staff: viewer.role.isStaff, clocks: clocks, olas: olas,
            timeline: timeline,
            watchers: view.watchers.map { CaseSheet.WatcherRow(email: $0.email, kind: $0.kind == .team ? "case team" : "CC") },
            canAddTeam: viewer.role.isStaff || (viewer.role == .authorizedContact && viewer.organizationID == c.organizationID),
            attachments: view.attachments.map { file in
                CaseSheet.AttachmentRow(id: file.id.uuidString, name: file.filename, size: Self.size(file.size), by: file.uploadedBy.flatMap { names[$0] } ?? "someone",
                                        at: format.time(file.uploadedAt, contractZone: zone), erased: file.erasedAt != nil)
            },
            outOfScope: c.outOfScope,
            statusChoices: viewer.role.isStaff ? (status?.successors ?? []).map(\.rawValue) : [],
            priorityChoices: viewer.role.isStaff ? policy.priorities.map { .init(id: $0.id, name: $0.name, selected: $0.id == c.priority) } : [],
            actions: viewer.role.isStaff ? try await actions(view, policy: policy, viewer: viewer) : nil,
            canWithdraw: !viewer.role.isStaff && [.new, .open, .awaitingCustomer].contains(status),
            canReopen: !viewer.role.isStaff && [.resolved, .closed].contains(status),
            base: base)
    }

    /// What the policy lets staff record on the case now, read off its timeline and clocks.
    private func actions(_ view: CaseView, policy: Policy, viewer: Person) async throws -> CaseSheet.Actions {
        let c = view.supportCase
        let timeline = CaseService.timeline(of: c, events: view.events)
        let open = c.status != CaseStatus.closed.rawValue && c.status != CaseStatus.resolved.rawValue
        let late = policy.metrics.first { $0.notifyWhenLate }
        let lateClock = late.flatMap { metric in view.clocks.first { $0.metric == metric.id } }
        var assignee: String?
        if let id = c.work.assigneeID { assignee = try await service.store.person(id)?.name ?? "someone" }
        let tier = c.work.tier
        return CaseSheet.Actions(
            assignee: assignee, assignedToViewer: c.work.assigneeID == viewer.id,
            confirmDefect: open && timeline.defectConfirmedAt == nil && policy.metrics.contains { $0.start == .defectConfirmed },
            patchAvailable: open && c.details.cvss != nil && timeline.patchAvailableAt == nil,
            lateNotice: open && lateClock?.status != nil && lateClock?.status?.stoppedAt == nil ? late?.name : nil,
            outOfScope: c.outOfScope == nil && open ? policy.rules.scopeExclusions?.items ?? [] : [],
            outOfScopeClass: policy.rules.scopeExclusions?.classification,
            escalationTiers: open ? Array(Set(policy.teams.map(\.tier).filter { $0 > tier })).sorted() : [])
    }

    private func panel(_ clock: CaseClocks.Clock, metric: Metric?, explanation: ClockExplanation?, staff: Bool, zone: String?, now: Int64) -> CaseSheet.ClockPanel {
        let state = CaseSheet.state(clock.state)
        let status = clock.status
        let due = status.map { format.time(Self.date($0.due), contractZone: zone) }
        var left: String?, wall: String?, percent: Double?
        if let status {
            switch clock.state {
            case "met":
                if let stopped = status.stoppedAt { left = "met with \(WebFormat.duration(seconds: status.due - stopped)) to spare" }
            case "breached":
                left = "overrun by \(WebFormat.duration(seconds: -status.remaining)) of \(Self.measure(clock.target))"
            case "running", "paused":
                left = "\(WebFormat.duration(seconds: status.remaining)) of \(Self.measure(clock.target)) left"
                let wallSeconds = status.due - now
                wall = wallSeconds >= 0 ? "due in \(WebFormat.duration(seconds: wallSeconds)) on the wall clock" : "due \(WebFormat.duration(seconds: -wallSeconds)) ago"
            default: break
            }
            percent = (status.percentElapsed * 10).rounded() / 10
        }
        var promise: String?
        if let metric, let explanation, let due, clock.state == "running" || clock.state == "paused" {
            let hours = explanation.deadline.days.last { !$0.skipped }.map { ", open \($0.hours) on its working days" } ?? ""
            promise = "We will \(CaseSheet.verb(metric.kind)) by \(due.viewer)\(due.contract.map { " (\($0))" } ?? "") — \(explanation.deadline.target) on our \(explanation.deadline.calendarID) calendar\(hours)."
        }
        let resumes = explanation?.resumesAt.map { "outside hours — resumes \(format.time(Self.date($0.epochSeconds), contractZone: zone).contractOrViewer)" }
        return CaseSheet.ClockPanel(
            metric: clock.metric, name: metric?.name ?? clock.metric, target: clock.target, state: state, due: due, left: left, wall: wall,
            percent: percent, percentText: percent.map { "\($0)% of the time used" }, note: clock.state == "no-target" ? nil : clock.note ?? clock.ending,
            promise: promise, resumes: resumes, pausedNow: explanation?.pausedNow ?? false,
            explanation: explanation.map { Self.explained($0, format: format, zone: zone) })
    }

    static func explained(_ explanation: ClockExplanation, format: WebFormat, zone: String?) -> CaseSheet.Explanation {
        let d = explanation.deadline
        let days = d.days.map { day -> CaseSheet.Day in
            let name = "\(day.date) \(day.date.weekday.shortName)"
            let text: String
            if day.skipped {
                text = day.holiday.map { "holiday, \($0): skipped" } ?? "closed: skipped"
            } else {
                let counted = day.counted.map { "\($0.from)–\($0.to)" }.joined(separator: ", ")
                text = (day.holiday.map { "\($0), own hours " } ?? "") + "open \(day.hours); counted \(counted.isEmpty ? "nothing" : counted)"
            }
            return CaseSheet.Day(date: name, text: text, skipped: day.skipped)
        }
        let retarget = explanation.retarget.map { r in
            "the priority changed from \(r.from ?? "none") to \(r.to ?? "none") at \(ISO8601.utc(r.at)) (\(r.upgrade ? "upgrade" : "downgrade"), counted \(r.rule.rawValue))"
        }
        return CaseSheet.Explanation(
            calendar: "\(d.calendarID) (version \(d.calendarVersion)), zone \(d.zoneIdentifier)", target: "\(d.target) (\(d.targetKind))",
            startEvent: d.startEvent.local, clockStart: d.clockStart.local, days: days, omittedDays: d.omittedDays,
            counted: d.countedSeconds.map { WebFormat.duration(seconds: $0) },
            pauses: zip(d.pauses, explanation.pauseCauses).map {
                CaseSheet.Pause(from: $0.start.local, to: $0.end.local, added: WebFormat.duration(seconds: $0.addedSeconds), cause: $1)
            },
            rule: d.rule, due: d.due.local, retarget: retarget, ending: explanation.ending)
    }

    /// The zone of the calendar the customer's region is served on: the contract's wall clock.
    /// A file's size as people read it: bytes, KB or MB (1,024-based, one decimal).
    static func size(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) bytes" }
        if bytes < 1_048_576 { return String(format: "%.1f KB", Double(bytes) / 1024) }
        return String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }

    static func contractZone(of supportCase: SupportCase, policy: Policy, at instant: Int64) -> String? {
        guard let region = policy.region(supportCase.regionID) else { return nil }
        return policy.calendars[region.calendar]?.calendar(forClockStartedAt: instant).zoneIdentifier
    }

    static func measure(_ target: String?) -> String {
        guard let target else { return "time" }
        return target.contains("business") ? "business time" : "time"
    }

    static func left(_ remaining: Int64, state: String) -> String {
        remaining >= 0 ? "\(WebFormat.duration(seconds: remaining)) left" : "overrun by \(WebFormat.duration(seconds: -remaining))"
    }

    static func date(_ seconds: Int64) -> Date { Date(timeIntervalSince1970: TimeInterval(seconds)) }

    static func heading(_ event: CaseEvent) -> String {
        switch event.kind {
        case "logged": "Logged"
        case "public-reply": "Reply"
        case "customer-message": "Message"
        case "internal-note": "Internal note"
        case "status-change": "Status: \(CaseSheet.status(event.value ?? "").text)"
        case "priority-change": "Priority changed to \(event.value ?? "none")"
        case "defect-confirmed": "Defect confirmed"
        case "patch-available": "Patch available"
        case "out-of-scope": "Marked out of scope\(event.value.map { " (\($0))" } ?? "")"
        case "rectification-late": "Late notice"
        case "routed": "Routed\(event.value.map { " to \($0)" } ?? "")"
        case "assigned": "Assigned"
        case "unassigned": "Unassigned"
        case "escalated": "Escalated\(event.value.map { " to \($0)" } ?? "")"
        default: event.kind.replacingOccurrences(of: "-", with: " ").capitalized
        }
    }
}

extension WebFormat.Time {
    /// The contract's wall clock when shown, else the viewer's.
    var contractOrViewer: String { contract ?? viewer }
}
