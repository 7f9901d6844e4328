import AccordCore
import BusinessTime
import Vapor

/// `GET /api/v1/cases/{id}/clocks/{metric}/explanation`: why a clock falls due when it does — the
/// engine's explanation as data (calendar and version, each day counted, each holiday skipped by
/// name, each pause with its cause, the rule), and the same in words (`lines`).
struct ClockExplanationView: Content {
    let caseNumber: String
    let metric: String
    let name: String
    let state: String
    /// While paused: the due shown is the due if the clock resumed now.
    let pausedNow: Bool
    let calendar: CalendarView
    let target: TargetView
    let startEvent: InstantView
    let clockStart: InstantView
    let days: [DayView]
    let omittedDays: Int
    let countedSeconds: Int64?
    let pauses: [PauseView]
    let rule: String
    let due: InstantView
    let retarget: CaseResponse.RetargetView?
    let cycle: Int?
    let ending: String?
    /// A business-hours clock outside its hours now: when it resumes counting.
    let resumesAt: InstantView?
    let lines: [String]

    struct CalendarView: Content {
        let id: String
        let version: String
        let zone: String
    }

    struct TargetView: Content {
        let text: String
        let kind: String
    }

    /// An instant in UTC and on the calendar's wall clock.
    struct InstantView: Content {
        let at: String
        let local: String

        init(_ instant: DeadlineExplanation.Instant) {
            at = ISO8601.utc(instant.epochSeconds)
            local = instant.local
        }
    }

    struct DayView: Content {
        let date: String
        let weekday: String
        /// `open`, `holiday` or `closed`.
        let kind: String
        let holiday: String?
        let hours: String
        let skipped: Bool
        let counted: [StretchView]
        let countedSeconds: Int64
    }

    struct StretchView: Content {
        let from: String
        let to: String
    }

    struct PauseView: Content {
        let start: InstantView
        let end: InstantView
        let addedSeconds: Int64
        let cause: String
    }

    init(_ explanation: ClockExplanation, caseNumber: String) {
        let deadline = explanation.deadline
        self.caseNumber = caseNumber
        metric = explanation.metric
        name = explanation.name
        state = explanation.state
        pausedNow = explanation.pausedNow
        calendar = CalendarView(id: deadline.calendarID, version: deadline.calendarVersion, zone: deadline.zoneIdentifier)
        target = TargetView(text: deadline.target, kind: deadline.targetKind.replacingOccurrences(of: " ", with: "-"))
        startEvent = InstantView(deadline.startEvent)
        clockStart = InstantView(deadline.clockStart)
        days = deadline.days.map { day in
            DayView(date: day.date.description, weekday: day.date.weekday.shortName, kind: day.kind.rawValue, holiday: day.holiday,
                    hours: day.hours, skipped: day.skipped, counted: day.counted.map { StretchView(from: $0.from, to: $0.to) },
                    countedSeconds: day.countedSeconds)
        }
        omittedDays = deadline.omittedDays
        countedSeconds = deadline.countedSeconds
        pauses = zip(deadline.pauses, explanation.pauseCauses).map {
            PauseView(start: InstantView($0.start), end: InstantView($0.end), addedSeconds: $0.addedSeconds, cause: $1)
        }
        rule = deadline.rule
        due = InstantView(deadline.due)
        retarget = explanation.retarget.map(CaseResponse.RetargetView.init)
        cycle = explanation.cycle
        ending = explanation.ending
        resumesAt = explanation.resumesAt.map(InstantView.init)
        lines = deadline.lines
    }
}
