public import BusinessTime

/// One deadline question: which policy cell, when the case was opened, and what happened since.
/// Times are ISO 8601; a time without an offset is a wall-clock time in the clock's calendar zone.
public struct DeadlineQuery: Sendable {
    public var plan: String
    public var priority: String?
    public var region: String?
    public var metric: String
    public var opened: ISO8601.Parsed
    public var confirmed: ISO8601.Parsed?
    public var cvss: Double?
    public var patchAvailable: ISO8601.Parsed?
    public var pauses: [(from: ISO8601.Parsed, to: ISO8601.Parsed)]

    public init(
        plan: String, priority: String? = nil, region: String? = nil, metric: String = "initial-response",
        opened: ISO8601.Parsed, confirmed: ISO8601.Parsed? = nil, cvss: Double? = nil,
        patchAvailable: ISO8601.Parsed? = nil, pauses: [(from: ISO8601.Parsed, to: ISO8601.Parsed)] = []
    ) {
        self.plan = plan
        self.priority = priority
        self.region = region
        self.metric = metric
        self.opened = opened
        self.confirmed = confirmed
        self.cvss = cvss
        self.patchAvailable = patchAvailable
        self.pauses = pauses
    }
}

/// The answer: the target in the contract's words, and the deadline unless there is no target.
public struct DeadlineAnswer: Sendable {
    /// `nil` when the policy sets no target for this cell.
    public let target: TimeTarget?
    public let deadline: Deadline?
    /// The calendar the clock runs on (version chosen by the start event).
    public let calendar: BusinessCalendar

    /// An instant in the calendar's zone with its UTC offset.
    public func format(_ instant: Int64) throws(CalendarError) -> String {
        ISO8601.format(instant, offset: try calendar.offset(at: instant))
    }

    public func explanation() throws(CalendarError) -> DeadlineExplanation? {
        try deadline.map { d throws(CalendarError) in try DeadlineExplanation(d, on: calendar) }
    }
}

extension Policy {
    /// Answers a deadline question; every bad value yields a ``QueryError`` that names it and the choices.
    public func answer(_ query: DeadlineQuery) throws(QueryError) -> DeadlineAnswer {
        guard let plan = plan(query.plan) else {
            throw .unknown(field: "plan", value: query.plan, choices: plans.map(\.id))
        }
        guard let metric = metric(query.metric) else {
            throw .unknown(field: "metric", value: query.metric, choices: metrics.map(\.id))
        }
        if let priority = query.priority, self.priority(priority) == nil {
            throw priorities.isEmpty
                ? .notApplicable(field: "priority", reason: "policy '\(id)' has no priorities: its cases carry none")
                : .unknown(field: "priority", value: priority, choices: priorities.map(\.id))
        }
        let regionID = query.region ?? defaultRegion
        guard let regionID else {
            throw .missing(field: "region", reason: "policy '\(id)' serves several regions: choose one of \(regions.map(\.id).joined(separator: ", "))")
        }
        guard let region = region(regionID) else {
            throw .unknown(field: "region", value: regionID, choices: regions.map(\.id))
        }
        let calendarID = calendarID(metric: metric, plan: plan, region: region)
        guard let versions = calendars[calendarID] else {
            throw .unknown(field: "calendar", value: calendarID, choices: calendars.keys.sorted())
        }
        // Wall-clock inputs are read in the zone of the calendar's current version.
        let zoneCalendar = versions.versions[versions.versions.count - 1].calendar
        func instant(_ time: ISO8601.Parsed, _ field: String) throws(QueryError) -> Int64 {
            switch time {
            case .instant(let value): return value
            case .local(let date, let second):
                do { return try zoneCalendar.instant(of: date, second: second) } catch {
                    throw .invalid(field: field, value: "\(date)", reason: error.description)
                }
            }
        }
        let opened = try instant(query.opened, "opened")

        let target: TimeTarget?
        if metric.kind == .patch {
            guard let score = query.cvss else {
                throw .missing(field: "cvss", reason: "metric '\(metric.id)' is set by the CVSS score (0-10)")
            }
            guard score.isFinite, (0...10).contains(score) else {
                throw .invalid(field: "cvss", value: "\(score)", reason: "a CVSS score lies between 0 and 10")
            }
            guard let band = metric.band(forCVSS: score) else {
                throw .invalid(field: "cvss", value: "\(score)", reason: "no CVSS band of metric '\(metric.id)' covers it")
            }
            target = band.target
        } else {
            switch metric.target(plan: plan.id, priority: query.priority) {
            case .target(let t): target = t
            case .noTarget: target = nil
            case .priorityRequired:
                throw .missing(field: "priority", reason: "plan '\(plan.id)' sets targets per priority: choose one of \(priorities.map(\.id).joined(separator: ", "))")
            }
        }

        let start: Int64
        switch metric.start {
        case .caseLogged, .customerMessage, .lastProviderUpdate:
            start = opened
        case .defectConfirmed:
            guard let confirmed = query.confirmed else {
                throw .missing(field: "confirmed", reason: "metric '\(metric.id)' starts when the defect is confirmed")
            }
            start = try instant(confirmed, "confirmed")
            if start < opened {
                throw .invalid(field: "confirmed", value: ISO8601.utc(start), reason: "a defect cannot be confirmed before the case was opened (\(ISO8601.utc(opened)))")
            }
        case .laterOfNotificationAndPatchAvailable:
            start = max(opened, try query.patchAvailable.map { p throws(QueryError) in try instant(p, "patchAvailable") } ?? opened)
        }

        var pauses: [Pause] = []
        for (index, pause) in query.pauses.enumerated() {
            let from = try instant(pause.from, "pauses[\(index)]")
            let to = try instant(pause.to, "pauses[\(index)]")
            do { pauses.append(try Pause(start: from, end: to)) } catch {
                throw .invalid(field: "pauses[\(index)]", value: "\(ISO8601.utc(from))/\(ISO8601.utc(to))", reason: "the pause ends before it starts")
            }
        }
        let calendar = versions.calendar(forClockStartedAt: start)
        guard let target else { return DeadlineAnswer(target: nil, deadline: nil, calendar: calendar) }
        do {
            let deadline = try DeadlineEngine.deadline(for: target, startingAt: start, pauses: pauses, on: calendar)
            return DeadlineAnswer(target: target, deadline: deadline, calendar: calendar)
        } catch {
            switch error {
            case .pause(let problem): throw .invalid(field: "pauses", value: "", reason: problem.description)
            case .calendar(let problem): throw .invalid(field: "opened", value: ISO8601.utc(opened), reason: problem.description)
            }
        }
    }
}

/// Why a deadline question cannot be answered; each names the field and, where there are any, the choices.
public enum QueryError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknown(field: String, value: String, choices: [String])
    case missing(field: String, reason: String)
    case invalid(field: String, value: String, reason: String)
    case notApplicable(field: String, reason: String)

    public var description: String {
        switch self {
        case .unknown(let field, let value, let choices):
            "unknown \(field) '\(value)'; valid choices: \(choices.joined(separator: ", "))"
        case .missing(let field, let reason):
            "\(field) is required: \(reason)"
        case .invalid(let field, let value, let reason):
            value.isEmpty ? "invalid \(field): \(reason)" : "invalid \(field) '\(value)': \(reason)"
        case .notApplicable(let field, let reason):
            "\(field) does not apply: \(reason)"
        }
    }
}
