import Foundation
import Testing
@testable import AccordCore
import BusinessTime

/// `accord policy check` reports every problem with its line and column.
@Suite struct PolicyLoaderTests {
    static let broken = """
        accord: 1
        id: acme
        name: Acme
        version: "1"
        zone: Europe/Oslo
        calendars:
          office:
            hours:
              mon-fri: 08:00-12:00, 11:00-16:00
              sat: 14:00-10:00
            holidays: [NO, XX]
        regions:
          - id: main
            calendar: nowhere
        priorities:
          - {id: urgent, definition: Down}
        plans:
          - id: basic
        metrics:
          - id: initial-response
            kind: initial-response
            targets:
              basic: {urgent: -4 business hours}
              gold: {urgent: 4 business hours}
          - id: follow-up
            kind: next-reply
            targets:
              basic: {urgent: business hours, normal: 2 business hours}
          - id: update
            kind: periodic-update
            targets:
              basic: {urgent: }
        """

    static func issues(_ yaml: String) -> [PolicyIssue] {
        do {
            _ = try PolicyLoader().load(yaml: yaml, file: "acme.yaml")
            return []
        } catch {
            return error.issues
        }
    }

    @Test func everyProblemIsReportedWithLineAndColumn() {
        let issues = Self.issues(Self.broken)
        func has(_ line: Int, _ column: Int, _ fragment: String) -> Bool {
            issues.contains { $0.line == line && $0.column == column && $0.message.contains(fragment) }
        }
        #expect(has(9, 16, "intervals overlap"), "\(issues)")
        #expect(has(10, 12, "ends before it starts"), "\(issues)")
        #expect(has(11, 20, "unknown holiday set 'XX'"), "\(issues)")
        #expect(has(14, 15, "unknown calendar 'nowhere'; calendars: office"), "\(issues)")
        #expect(has(23, 23, "negative"), "\(issues)")
        #expect(has(24, 7, "unknown plan 'gold'"), "\(issues)")
        #expect(has(28, 23, "not understood"), "\(issues)")
        #expect(has(28, 39, "unknown priority 'normal'"), "\(issues)")
        #expect(has(32, 23, "missing target amount"), "\(issues)")
        #expect(issues.count == 9, "\(issues)")
    }

    @Test func issuesPrintAsFileLineColumnPathMessage() throws {
        let issues = Self.issues(Self.broken)
        let first = try #require(issues.first)
        #expect(first.description == "9:16: calendars.office.hours.mon-fri: intervals overlap: 08:00-12:00 and 11:00-16:00")
        #expect(PolicyIssues(file: "acme.yaml", issues: [first]).description.hasPrefix("acme.yaml:9:16: "))
    }

    @Test func yamlSyntaxErrorsCarryTheirPosition() {
        let issues = Self.issues("accord: 1\nid: [unclosed\nname: x\n")
        #expect(issues.count == 1)
        #expect(issues.first?.message.hasPrefix("YAML syntax") == true)
        #expect(issues.first?.line == 3)
    }

    @Test func missingTopLevelValuesAndUnknownKeysAreNamed() {
        let issues = Self.issues("accord: 2\nid: Bad Id\ncolour: blue\n")
        let messages = issues.map(\.message)
        #expect(messages.contains { $0.contains("policy format 2 is not supported") })
        #expect(messages.contains { $0.contains("must be lowercase letters") })
        #expect(messages.contains { $0.contains("unknown key 'colour'") })
        for key in ["name", "version", "zone", "calendars", "regions", "plans", "metrics"] {
            #expect(messages.contains { $0.contains("missing required value '\(key)'") }, "\(key)")
        }
    }

    @Test func unknownZoneAndBadReferencesInRulesAreReported() {
        let yaml = """
            accord: 1
            id: acme
            name: Acme
            version: "1"
            zone: Mars/Olympus
            calendars:
              office: {zone: Europe/Oslo, hours: {mon-fri: 08:00-16:00}}
            regions: [{id: main, calendar: office}]
            priorities: [{id: p1, definition: Down}]
            plans: [{id: basic}]
            metrics: [{id: initial-response, kind: initial-response, targets: {basic: 4 business hours}}]
            intake: [{priorities: [p9], who: [robot], channels: [fax]}]
            renewal: {notice-days: -1, after-lapse: gold}
            maintenance-limits: [{minutes: 60, months-per-year: 13}]
            """
        let messages = Self.issues(yaml).map(\.message)
        #expect(messages.contains { $0.contains("unknown time zone 'Mars/Olympus'") })
        #expect(messages.contains { $0.contains("unknown priority 'p9'") })
        #expect(messages.contains { $0.contains("unknown value 'robot'") })
        #expect(messages.contains { $0.contains("unknown value 'fax'") })
        #expect(messages.contains { $0.contains("-1 is below the minimum 0") })
        #expect(messages.contains { $0.contains("unknown plan 'gold'") })
        #expect(messages.contains { $0.contains("a year has 12 months") })
    }

    @Test func teamsAndRoutingReferencesAreChecked() {
        let yaml = """
            accord: 1
            id: acme
            name: Acme
            version: "1"
            zone: Europe/Oslo
            calendars:
              office: {hours: {mon-fri: 08:00-16:00}}
            regions: [{id: main, calendar: office, mailbox: help@acme.example}]
            priorities: [{id: p1, definition: Down}]
            plans: [{id: basic}]
            metrics: [{id: initial-response, kind: initial-response, targets: {basic: 4 business hours}}]
            teams:
              - {id: second, tier: 2, calendar: nowhere}
            routing:
              rules:
                - {when: {mailbox: other@acme.example, region: south, priority: p7, plan: gold, colour: red}, to: [first]}
                - {when: {channel: fax}}
              default: [ghost]
              english-overflow: {team: second}
              queue-order: [queue, mood, due, due]
              olas:
                - {id: pickup, tier: 5, target: 4 business hours}
                - {id: never, tier: 2, target: none}
            """
        let messages = Self.issues(yaml).map(\.message)
        for fragment in [
            "unknown calendar 'nowhere'", "no team works tier 1, where every case arrives",
            "'other@acme.example' is no region's mailbox; mailboxes: help@acme.example", "unknown value 'south'",
            "unknown priority 'p7'", "unknown value 'gold'", "unknown key 'colour'", "unknown team 'first'; teams: second",
            "unknown value 'fax'", "missing required value 'to'", "unknown team 'ghost'", "missing required value 'backlog-above'",
            "unknown value 'mood'", "a key is listed twice", "no team works tier 5", "an OLA needs a target",
        ] {
            #expect(messages.contains { $0.contains(fragment) }, "\(fragment): \(messages)")
        }
    }

    @Test func calendarVersionsApplyToClocksStartedAfterTheirEffectiveDate() throws {
        let yaml = """
            accord: 1
            id: acme
            name: Acme
            version: "2"
            zone: Europe/Oslo
            calendars:
              office:
                versions:
                  - {version: "2026", hours: {mon-fri: 08:00-16:00}, holidays: [NO]}
                  - {version: "2027", effective: 2027-01-01, hours: {mon-fri: 09:00-15:00}, holidays: [NO]}
            regions: [{id: main, calendar: office}]
            plans: [{id: basic}]
            metrics: [{id: initial-response, kind: initial-response, targets: {basic: 2 business hours}}]
            """
        let policy = try PolicyLoader().load(yaml: yaml)
        // A clock started in December 2026 keeps the old hours even though its deadline is in 2027.
        let old = try policy.answer(DeadlineQuery(plan: "basic", opened: ISO8601.parse("2026-12-31T15:00:00+01:00")!))
        #expect(try old.format(old.deadline!.due) == "2027-01-04T09:00:00+01:00")
        #expect(old.deadline!.calendarVersion == "2026")
        let new = try policy.answer(DeadlineQuery(plan: "basic", opened: ISO8601.parse("2027-01-04T08:00:00+01:00")!))
        #expect(try new.format(new.deadline!.due) == "2027-01-04T11:00:00+01:00")
        #expect(new.deadline!.calendarVersion == "2027")
    }

    @Test func specialHoursAddedAndRemovedHolidaysAndICalendarImports() throws {
        let yaml = """
            accord: 1
            id: acme
            name: Acme
            version: "1"
            zone: America/Detroit
            calendars:
              office:
                hours: {mon-fri: 08:00-16:00}
                holidays: [US]
                add-holidays: [{date: 2026-11-27, name: Day after Thanksgiving}]
                remove-holidays: [2026-10-12]
                special-hours: {2026-12-24: 08:00-12:00}
                ics: company.ics
            regions: [{id: main, calendar: office}]
            plans: [{id: basic}]
            metrics: [{id: initial-response, kind: initial-response, targets: {basic: 4 business hours}}]
            """
        let ics = """
            BEGIN:VCALENDAR
            BEGIN:VEVENT
            DTSTART;VALUE=DATE:20200803
            SUMMARY:Company picnic
            RRULE:FREQ=YEARLY
            END:VEVENT
            END:VCALENDAR
            """
        let policy = try PolicyLoader(readFile: { name in
            #expect(name == "company.ics")
            return ics
        }).load(yaml: yaml)
        func due(_ opened: String) throws -> String {
            let answer = try policy.answer(DeadlineQuery(plan: "basic", opened: ISO8601.parse(opened)!))
            return try answer.format(answer.deadline!.due)
        }
        // Wednesday before Thanksgiving 14:00: 2 h, Thursday and the added Friday closed, Monday 08-10.
        #expect(try due("2026-11-25T14:00:00-05:00") == "2026-11-30T10:00:00-05:00")
        // Columbus Day removed: an ordinary working day.
        #expect(try due("2026-10-12T08:00:00-04:00") == "2026-10-12T12:00:00-04:00")
        // 24 December has its own hours 08-12 (and Christmas Day is closed).
        #expect(try due("2026-12-24T10:00:00-05:00") == "2026-12-28T10:00:00-05:00")
        // 3 August 2026 (a Monday) is the imported company picnic.
        #expect(try due("2026-08-03T08:00:00-04:00") == "2026-08-04T12:00:00-04:00")
    }
}

/// The examples in docs/policy-format.md stay true.
@Suite struct PolicyFormatDocumentTests {
    @Test func theMinimalPolicyInTheDocsLoads() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/policy-format.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        let start = try #require(text.range(of: "## A minimal policy\n\n```yaml\n"))
        let end = try #require(text.range(of: "```", range: start.upperBound..<text.endIndex))
        let policy = try PolicyLoader().load(yaml: String(text[start.upperBound..<end.lowerBound]), file: "docs/policy-format.md")
        #expect(policy.id == "acme")
        let answer = try policy.answer(DeadlineQuery(plan: "basic", priority: "urgent", opened: ISO8601.parse("2026-05-15T14:00:00+02:00")!))
        // Friday 15 May 14:00 + 4 business hours: 2 h on Friday, the weekend closed, 2 h on Monday 18 May.
        #expect(try answer.format(answer.deadline!.due) == "2026-05-18T10:00:00+02:00")
    }
}

/// Hostile policy files are refused quickly, whatever their shape.
@Suite(.timeLimit(.minutes(1))) struct HostilePolicyTests {
    /// A "billion laughs": each level aliases the one before ten times; `key` puts the last level
    /// where a mapping key goes, which Yams hashes while composing (level 6 took 13 s there).
    static func bomb(levels: Int, key: Bool) -> String {
        var yaml = "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...levels {
            yaml += "l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        yaml += "accord: 1\nid: bomb\nname: Bomb\nversion: '1'\nzone: UTC\ncalendars:\n  c: {hours: 24x7}\nregions: [{id: r, calendar: c}]\nplans: [{id: p}]\n"
        yaml += "metrics: [{id: m, kind: initial-response, targets: {p: 1 hour}}]\n"
        return yaml + (key ? "boom: {? *l\(levels) : 1, ? *l\(levels - 1) : 2}\n" : "source: *l\(levels)\n")
    }

    @Test(arguments: [false, true]) func anAliasBombIsRefusedBeforeItIsComposed(_ key: Bool) throws {
        let yaml = Self.bomb(levels: 9, key: key)
        #expect(yaml.utf8.count < 2_500)
        #expect {
            try PolicyLoader().load(yaml: yaml, file: "bomb.yaml")
        } throws: { error in
            (error as? PolicyIssues)?.issues.first?.message.contains("expands to more than 100000 YAML nodes") == true
        }
    }

    @Test func aliasesWithinTheBudgetStillWork() throws {
        let yaml = try Presets.yaml("plex").replacingOccurrences(of: "    targets:\n      silver:\n        p1: 1 calendar hour        # including weekends and holidays\n        p2: 24 business hours      # exclude weekends and holidays observed by Plex\n        p3: 48 business hours\n        p4: 5 business days\n",
                                                                  with: "    targets:\n      silver: &silver\n        p1: 1 calendar hour\n        p2: 24 business hours\n        p3: 48 business hours\n        p4: 5 business days\n")
            .replacingOccurrences(of: "      platinum:\n        p1: 1 calendar hour\n        p2: 24 business hours\n        p3: 48 business hours\n        p4: 5 business days\n",
                                  with: "      platinum: *silver\n")
        #expect(yaml.contains("*silver"))
        let policy = try PolicyLoader().load(yaml: yaml)
        #expect(policy.metric("initial-response")?.target(plan: "platinum", priority: "p4") == .target(try TimeTarget(parsing: "5 business days")))
    }
}
