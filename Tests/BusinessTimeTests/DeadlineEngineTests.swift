import Testing
@testable import BusinessTime

/// Exact deadlines for each kind of target, on small calendars built here.
@Suite struct DeadlineEngineTests {
    static func hours(_ text: String) -> DayHours {
        try! DayHours(text.split(separator: ",").map { try! OpenInterval(parsing: $0) })
    }

    /// Denmark as PLM Group opens it: 08–12 + 13–16, Friday 08–12 + 13–15, Danish holidays.
    static let denmark = try! BusinessCalendar(CalendarDefinition(
        id: "denmark", zoneIdentifier: "Europe/Copenhagen",
        weekly: WeeklyHours([
            .monday: hours("08:00-12:00,13:00-16:00"), .tuesday: hours("08:00-12:00,13:00-16:00"),
            .wednesday: hours("08:00-12:00,13:00-16:00"), .thursday: hours("08:00-12:00,13:00-16:00"),
            .friday: hours("08:00-12:00,13:00-15:00"),
        ]),
        holidaySets: [BuiltInHolidaySets.denmark]
    ))

    static func at(_ text: String) -> Int64 {
        guard case .instant(let t) = ISO8601.parse(text) else { fatalError("bad time \(text)") }
        return t
    }

    static func due(_ target: String, _ start: String, pauses: [(String, String)] = [], on calendar: BusinessCalendar = denmark) throws -> String {
        let deadline = try DeadlineEngine.deadline(
            for: TimeTarget(parsing: target), startingAt: at(start),
            pauses: pauses.map { try Pause(start: at($0.0), end: at($0.1)) }, on: calendar)
        return ISO8601.format(deadline.due, offset: try calendar.offset(at: deadline.due))
    }

    @Test func businessHoursSkipLunchAndNight() throws {
        // Monday 10:00 + 4 h: 10-12 (2 h), 13-15 (2 h) → 15:00.
        #expect(try Self.due("4 business hours", "2026-03-02T10:00:00+01:00") == "2026-03-02T15:00:00+01:00")
        // Monday 15:00 + 2 h: 15-16, then Tuesday 08-09.
        #expect(try Self.due("2 business hours", "2026-03-02T15:00:00+01:00") == "2026-03-03T09:00:00+01:00")
    }

    @Test func aDeadlineOnAClosingTimeIsThatClosingTime() throws {
        // Monday 14:00 + 2 h ends exactly at 16:00, not at 08:00 on Tuesday.
        #expect(try Self.due("2 business hours", "2026-03-02T14:00:00+01:00") == "2026-03-02T16:00:00+01:00")
        // Friday closes at 15:00.
        #expect(try Self.due("1 business hour", "2026-03-06T14:00:00+01:00") == "2026-03-06T15:00:00+01:00")
    }

    @Test func clockStartsAtTheFirstOpenInstant() throws {
        // Logged Saturday: counting starts Monday 08:00.
        #expect(try Self.due("2 business hours", "2026-03-07T11:00:00+01:00") == "2026-03-09T10:00:00+01:00")
        // Logged in the lunch break.
        #expect(try Self.due("1 business hour", "2026-03-02T12:30:00+01:00") == "2026-03-02T14:00:00+01:00")
    }

    @Test func easterIsSkippedAndStoreBededagOnlyUntil2023() throws {
        // Wednesday 1 April 2026 15:00 + 4 h: 1 h Wed, then Maundy Thursday, Good Friday, weekend,
        // Easter Monday closed → Tuesday 7 April 08:00-11:00.
        #expect(try Self.due("4 business hours", "2026-04-01T15:00:00+02:00") == "2026-04-07T11:00:00+02:00")
        // 2023: Thursday 4 May 15:00 + 2 h skips Store Bededag (Friday 5 May).
        #expect(try Self.due("2 business hours", "2023-05-04T15:00:00+02:00") == "2023-05-08T09:00:00+02:00")
        // 2024: Friday 26 April is an ordinary working day.
        #expect(try Self.due("2 business hours", "2024-04-25T15:00:00+02:00") == "2024-04-26T09:00:00+02:00")
    }

    @Test func businessDaysKeepTheTimeOfDay() throws {
        // Tuesday 10:30 + 4 business days → Monday 10:30.
        #expect(try Self.due("4 business days", "2026-03-03T10:30:00+01:00") == "2026-03-09T10:30:00+01:00")
        // Thursday 15:30 + 1 business day → Friday closes at 15:00: the end of its last interval.
        #expect(try Self.due("1 business day", "2026-03-05T15:30:00+01:00") == "2026-03-06T15:00:00+01:00")
    }

    @Test func businessHoursAcrossTheSpringDSTChange() throws {
        // Friday 27 March 2026 14:00 CET + 4 h: 1 h Friday, Monday 30 March (CEST) 08:00-11:00.
        #expect(try Self.due("4 business hours", "2026-03-27T14:00:00+01:00") == "2026-03-30T11:00:00+02:00")
    }

    @Test func calendarDaysKeepWallTimeAcrossDST() throws {
        let always = try BusinessCalendar(.always(zone: "America/New_York"))
        // 7 calendar days from Friday 6 March 2026 12:00 EST → Friday 13 March 12:00 EDT.
        #expect(try Self.due("7 days", "2026-03-06T12:00:00-05:00", on: always) == "2026-03-13T12:00:00-04:00")
        // 1 calendar day from 7 March 02:30 → 8 March 02:30 does not exist: moves forward to 03:30 EDT.
        #expect(try Self.due("1 day", "2026-03-07T02:30:00-05:00", on: always) == "2026-03-08T03:30:00-04:00")
        // 1 calendar hour is absolute: across the gap it reads two wall hours later.
        #expect(try Self.due("1 calendar hour", "2026-03-08T01:30:00-05:00", on: always) == "2026-03-08T03:30:00-04:00")
    }

    @Test func pausesMoveTheDueByTheOpenTimePaused() throws {
        // Monday 08:00 + 4 h, paused 09:00-14:00 (09-12 and 13-14: 4 h of open time) → 1 h before the
        // pause, 3 h after it: 14-16 and Tuesday 08-09.
        #expect(try Self.due("4 business hours", "2026-03-02T08:00:00+01:00",
                             pauses: [("2026-03-02T09:00:00+01:00", "2026-03-02T14:00:00+01:00")]) == "2026-03-03T09:00:00+01:00")
        // Paused over the lunch break only counts the open part: 10:00-13:30 pauses 2.5 h.
        #expect(try Self.due("4 business hours", "2026-03-02T08:00:00+01:00",
                             pauses: [("2026-03-02T10:00:00+01:00", "2026-03-02T13:30:00+01:00")]) == "2026-03-02T15:30:00+01:00")
        // A pause after the due does not count.
        #expect(try Self.due("1 business hour", "2026-03-02T08:00:00+01:00",
                             pauses: [("2026-03-02T10:00:00+01:00", "2026-03-02T11:00:00+01:00")]) == "2026-03-02T09:00:00+01:00")
    }

    @Test func overlappingPausesAreRefused() throws {
        #expect(throws: DeadlineError.self) {
            try Self.due("4 business hours", "2026-03-02T08:00:00+01:00",
                         pauses: [("2026-03-02T09:00:00+01:00", "2026-03-02T11:00:00+01:00"),
                                  ("2026-03-02T10:00:00+01:00", "2026-03-02T12:00:00+01:00")])
        }
    }

    @Test func longTargetsCrossYears() throws {
        // 400 business hours from 1 December 2025 08:00: Denmark has 36 h a week (35 h Friday weeks).
        let d = try Self.due("400 business hours", "2025-12-01T08:00:00+01:00")
        #expect(d.hasPrefix("2026-02"))
    }
}
