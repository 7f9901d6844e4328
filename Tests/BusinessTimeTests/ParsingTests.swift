import Foundation
import PropertyBased
import Testing
@testable import BusinessTime

/// Targets, times, intervals and dates read from text, and what is refused.
@Suite struct ParsingTests {
    @Test func targetsOfEveryKind() throws {
        let cases: [(String, TimeTarget.Kind, Int64)] = [
            ("1 calendar hour", .calendarTime, 3600), ("1 hour", .calendarTime, 3600), ("90 minutes", .calendarTime, 5400),
            ("4 business hours", .businessTime, 14400), ("1.5 business hours", .businessTime, 5400),
            ("30 business minutes", .businessTime, 1800), ("5 business days", .businessDays, 5), ("1 business day", .businessDays, 1),
            ("7 days", .calendarDays, 7), ("2 weeks", .calendarDays, 14), ("4 calendar weeks", .calendarDays, 28),
        ]
        for (text, kind, amount) in cases {
            let target = try TimeTarget(parsing: text)
            #expect(target.kind == kind && target.amount == amount && target.description == text, "\(text)")
        }
    }

    @Test func badTargetsAreRefusedWithTheReason() {
        #expect(throws: TargetParseError.negative("-4 business hours")) { try TimeTarget(parsing: "-4 business hours") }
        #expect(throws: TargetParseError.malformed("business hours")) { try TimeTarget(parsing: "business hours") }
        #expect(throws: TargetParseError.unknownUnit("4 fortnights")) { try TimeTarget(parsing: "4 fortnights") }
        #expect(throws: TargetParseError.fractionalDays("1.5 days")) { try TimeTarget(parsing: "1.5 days") }
        #expect(throws: TargetParseError.fractionalMinutes("0.001 hours")) { try TimeTarget(parsing: "0.001 hours") }
        #expect(throws: TargetParseError.malformed("2 business weeks")) { try TimeTarget(parsing: "2 business weeks") }
        #expect(throws: TargetParseError.malformed("4 official hours")) { try TimeTarget(parsing: "4 official hours") }
    }

    /// Every amount is bounded before it becomes a number of seconds or days: ten years at most.
    /// `100000000000000000000 calendar hours` used to trap converting to Int64 and kill the server.
    @Test func targetsBeyondTenYearsAreRefusedNeverTrapped() throws {
        for text in ["100000000000000000000 calendar hours", "99999999999999 business hours", "87841 hours",
                     "3661 days", "523 weeks", "5270401 business minutes", "9223372036854775807 days"] {
            #expect(throws: TargetParseError.tooLarge(text), "\(text)") { try TimeTarget(parsing: text) }
        }
        #expect(try TimeTarget(parsing: "87840 business hours").amount == 87_840 * 3600)
        #expect(try TimeTarget(parsing: "3660 business days").amount == 3660)
        #expect(try TimeTarget(parsing: "522 weeks").amount == 3654)
        #expect(TargetParseError.tooLarge("3661 days").description.contains("at most 3660 days"))
    }

    @Test func isoTimesWithOffsetsZuluAndWallClock() throws {
        #expect(ISO8601.parse("2026-03-06T15:30:00+01:00") == .instant(1_772_807_400))
        #expect(ISO8601.parse("2026-03-06T14:30:00Z") == .instant(1_772_807_400))
        #expect(ISO8601.parse("2026-03-06T14:30:00.250Z") == .instant(1_772_807_400))
        #expect(ISO8601.parse("2026-03-06T09:30-0500") == .instant(1_772_807_400))
        #expect(ISO8601.parse("2026-03-06 15:30") == .local(LocalDate(year: 2026, month: 3, day: 6)!, second: 55_800))
        for bad in ["2026-02-30T10:00Z", "2026-03-06T25:00Z", "2026-03-06", "yesterday", "2026-03-06T10:00+25:00", "2026-03-06T10:00Zoo", ""] {
            #expect(ISO8601.parse(bad) == nil, "\(bad)")
        }
        #expect(ISO8601.format(1_772_807_400, offset: 3600) == "2026-03-06T15:30:00+01:00")
        #expect(ISO8601.format(1_772_807_400, offset: -18_000) == "2026-03-06T09:30:00-05:00")
        #expect(ISO8601.utc(1_772_807_400) == "2026-03-06T14:30:00Z")
    }

    @Test func formatAndParseRoundTrip() async {
        await propertyCheck(input: Gen.int(in: -2_000_000_000...4_000_000_000), Gen.int(in: -12 * 4...14 * 4)) { instant, quarters in
            let text = ISO8601.format(Int64(instant), offset: quarters * 900)
            #expect(ISO8601.parse(text) == .instant(Int64(instant)), "\(text)")
        }
    }

    @Test func localDateAgreesWithFoundation() async {
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        await propertyCheck(input: Gen.int(in: -80_000...200_000)) { day in
            let date = LocalDate(dayNumber: day)
            let c = utc.dateComponents([.year, .month, .day, .weekday], from: Date(timeIntervalSince1970: TimeInterval(day) * 86_400))
            #expect(date.year == c.year && date.month == c.month && date.day == c.day)
            #expect(date.weekday.rawValue == (c.weekday! + 5) % 7 + 1)
            #expect(date.dayNumber == day)
        }
    }

    @Test func intervalsAndDays() throws {
        #expect(try OpenInterval(parsing: "08:00-24:00").seconds == 16 * 3600)
        #expect(try OpenInterval(parsing: "13:00–16:00") == OpenInterval(parsing: "13:00-16:00"))
        #expect(throws: CalendarError.malformedInterval("8-16")) { try OpenInterval(parsing: "8-16") }
        #expect(throws: CalendarError.invertedInterval("16:00-08:00")) { try OpenInterval(parsing: "16:00-08:00") }
        #expect(throws: CalendarError.malformedInterval("24:30-25:00")) { try OpenInterval(parsing: "24:30-25:00") }
        #expect(throws: CalendarError.self) { try DayHours([OpenInterval(parsing: "08:00-12:00"), OpenInterval(parsing: "11:00-13:00")]) }
        #expect(try DayHours([OpenInterval(parsing: "13:00-16:00"), OpenInterval(parsing: "08:00-12:00")]).description == "08:00-12:00, 13:00-16:00")
    }

    @Test func iCalendarImportAndItsErrors() throws {
        let ics = """
            BEGIN:VCALENDAR\r
            VERSION:2.0\r
            BEGIN:VEVENT\r
            DTSTART;VALUE=DATE:20250704\r
            SUMMARY:Founders\\, day\r
            RRULE:FREQ=YEARLY;COUNT=3\r
            END:VEVENT\r
            BEGIN:VEVENT\r
            DTSTART;VALUE=DATE:20261231\r
            SUMMARY:Stock\r
             take\r
            END:VEVENT\r
            END:VCALENDAR\r
            """
        let set = try ICalendarImport.holidaySet(id: "acme", name: "Acme", ics: ics)
        #expect(set.holidays(in: 2027) == [Holiday(date: LocalDate(year: 2027, month: 7, day: 4)!, name: "Founders, day")])
        #expect(set.holidays(in: 2028).isEmpty)
        #expect(set.holidays(in: 2026).map(\.name) == ["Founders, day", "Stocktake"])
        #expect(throws: CalendarError.malformedICalendar(line: 3, "DTSTART '20260101T090000Z' is not an all-day date (DTSTART;VALUE=DATE:YYYYMMDD)")) {
            try ICalendarImport.holidaySet(id: "x", name: "x", ics: "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20260101T090000Z\nEND:VEVENT\nEND:VCALENDAR")
        }
        // A line that starts with ':' has an empty name: it used to index an empty list and trap
        // (found by ICalendarFuzzer; Fuzz/Crashes/ICalendar keeps the input).
        #expect(throws: CalendarError.self) {
            try ICalendarImport.holidaySet(id: "x", name: "x", ics: "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n:FREQ=Y\r\n")
        }
        let tolerated = try ICalendarImport.holidaySet(id: "x", name: "x", ics: "BEGIN:VCALENDAR\n:stray\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20260101\n:odd\nEND:VEVENT\nEND:VCALENDAR")
        #expect(tolerated.rules.count == 1)
        // A count as large as an Int holds used to overflow the year and trap.
        #expect(throws: CalendarError.malformedICalendar(line: 4, "RRULE COUNT '9223372036854775807' is more than 9999 occurrences; a holiday repeats at most until the year 9999")) {
            try ICalendarImport.holidaySet(id: "x", name: "x", ics: "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20260101\nRRULE:FREQ=YEARLY;COUNT=9223372036854775807\nEND:VEVENT\nEND:VCALENDAR")
        }
        let long = try ICalendarImport.holidaySet(id: "x", name: "x", ics: "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20260101\nRRULE:FREQ=YEARLY;COUNT=9999\nEND:VEVENT\nEND:VCALENDAR")
        #expect(long.rules.count == 1)
        #expect(throws: CalendarError.malformedICalendar(line: 4, "only RRULE:FREQ=YEARLY is supported, got 'FREQ=WEEKLY'")) {
            try ICalendarImport.holidaySet(id: "x", name: "x", ics: "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20260101\nRRULE:FREQ=WEEKLY\nEND:VEVENT\nEND:VCALENDAR")
        }
        #expect(throws: CalendarError.malformedICalendar(line: 1, "no BEGIN:VCALENDAR: this is not an iCalendar file")) {
            try ICalendarImport.holidaySet(id: "x", name: "x", ics: "hello")
        }
    }
}
