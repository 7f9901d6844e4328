import Testing
@testable import AccordCore
import BusinessTime

/// How a case's resolution ends its clocks, how a reopened case resumes them, and the clocks that
/// wait for something (a patch) or recur (next reply, periodic update).
@Suite struct ClockEndingsTests {
    static func at(_ text: String) -> Int64 { ClockTests.at(text) }

    static func clock(_ policy: Policy, plan: String, region: String, _ timeline: CaseTimeline, _ metric: String, at now: String) throws -> CaseClocks.Clock {
        try #require(try CaseClocks(policy: policy, plan: plan, region: region).clocks(for: timeline, at: at(now)).first { $0.metric == metric })
    }

    @Test func resolvingBeforeTheFirstResponseCancelsItsClock() throws {
        let plex = try Presets.policy("plex")
        var timeline = CaseTimeline(loggedAt: Self.at("2026-11-16T09:00:00-05:00"), priority: "p3")
        timeline.append(.statusChange(to: .resolved, at: Self.at("2026-11-16T11:00:00-05:00"), resolution: .fix))
        // Long after the 48 business hours: still cancelled, never breached, no alarm left to raise.
        let clock = try Self.clock(plex, plan: "silver", region: "global", timeline, "initial-response", at: "2026-12-01T00:00:00-05:00")
        #expect(clock.state == "cancelled")
        #expect(clock.alarms.isEmpty)
        #expect(clock.status?.stoppedAt == Self.at("2026-11-16T11:00:00-05:00"))
        #expect(clock.ending?.contains("no longer applies") == true)
    }

    /// The time a report counts: a decided clock's, pauses excluded, in its target's measure; none
    /// for a clock still counting, cancelled, or left out of scope before it was decided — and a
    /// breach before the request left the SLA keeps the time it had used then.
    @Test func onlyADecidedClockHasATimeUsed() throws {
        let plex = try Presets.policy("plex")
        let logged = Self.at("2026-11-16T09:00:00-05:00")
        var answered = CaseTimeline(loggedAt: logged, priority: "p3")
        answered.append(.statusChange(to: .awaitingCustomer, at: Self.at("2026-11-16T10:00:00-05:00")))
        answered.append(.customerMessage(at: Self.at("2026-11-16T12:00:00-05:00")))
        answered.append(.statusChange(to: .open, at: Self.at("2026-11-16T12:00:00-05:00")))
        answered.append(.providerReply(at: Self.at("2026-11-16T13:30:00-05:00")))
        let met = try Self.clock(plex, plan: "silver", region: "global", answered, "initial-response", at: "2026-11-20T00:00:00-05:00")
        #expect(met.state == "met")
        #expect(met.used == 9_000, "09:00–10:00 and 12:00–13:30, the two hours awaiting the customer left out")
        #expect(met.measure == .business)
        let running = try Self.clock(plex, plan: "silver", region: "global", CaseTimeline(loggedAt: logged, priority: "p3"), "initial-response",
                                     at: "2026-11-16T10:00:00-05:00")
        #expect(running.state == "running" && running.used == nil && running.measure == .business)
        var resolved = CaseTimeline(loggedAt: logged, priority: "p3")
        resolved.append(.statusChange(to: .resolved, at: Self.at("2026-11-16T11:00:00-05:00"), resolution: .fix))
        #expect(try Self.clock(plex, plan: "silver", region: "global", resolved, "initial-response", at: "2026-11-20T00:00:00-05:00").used == nil)
        // P1, 1 calendar hour: breached at 10:00, classified out of scope at 11:30 — 2½ hours used then.
        var excluded = CaseTimeline(loggedAt: logged, priority: "p1")
        excluded.append(.outOfScope(classification: "professional-services", at: Self.at("2026-11-16T11:30:00-05:00")))
        let breached = try Self.clock(plex, plan: "silver", region: "global", excluded, "initial-response", at: "2026-11-20T00:00:00-05:00")
        #expect(breached.state == "breached" && breached.used == 9_000 && breached.measure == .calendar)
        var early = CaseTimeline(loggedAt: logged, priority: "p3")
        early.append(.outOfScope(classification: "professional-services", at: Self.at("2026-11-16T09:30:00-05:00")))
        let left = try Self.clock(plex, plan: "silver", region: "global", early, "initial-response", at: "2026-11-20T00:00:00-05:00")
        #expect(left.state == "excluded" && left.used == nil)
    }

    @Test func resolvingAfterTheDueLeavesTheBreach() throws {
        let plex = try Presets.policy("plex")
        var timeline = CaseTimeline(loggedAt: Self.at("2026-11-16T09:00:00-05:00"), priority: "p1")
        timeline.append(.statusChange(to: .resolved, at: Self.at("2026-11-16T11:00:00-05:00"), resolution: .workaround))
        let clock = try Self.clock(plex, plan: "silver", region: "global", timeline, "initial-response", at: "2026-11-16T12:00:00-05:00")
        #expect(clock.state == "breached")
        #expect(clock.ending?.contains("the breach stands") == true)
    }

    @Test func aPolicyMayCountTheResolutionAsTheResponse() throws {
        let yaml = try Presets.yaml("plex").replacingOccurrences(of: "    kind: initial-response\n", with: "    kind: initial-response\n    on-resolution: met\n")
        let plex = try PolicyLoader().load(yaml: yaml)
        var timeline = CaseTimeline(loggedAt: Self.at("2026-11-16T09:00:00-05:00"), priority: "p3")
        timeline.append(.statusChange(to: .resolved, at: Self.at("2026-11-16T11:00:00-05:00"), resolution: .fix))
        #expect(try Self.clock(plex, plan: "silver", region: "global", timeline, "initial-response", at: "2026-12-01T00:00:00-05:00").state == "met")
        // A withdrawn request is never a promise kept.
        var withdrawn = CaseTimeline(loggedAt: Self.at("2026-11-16T09:00:00-05:00"), priority: "p3")
        withdrawn.append(.statusChange(to: .resolved, at: Self.at("2026-11-16T11:00:00-05:00"), resolution: .withdrawn))
        #expect(try Self.clock(plex, plan: "silver", region: "global", withdrawn, "initial-response", at: "2026-12-01T00:00:00-05:00").state == "cancelled")
        #expect(throws: PolicyIssues.self) {
            try PolicyLoader().load(yaml: yaml.replacingOccurrences(of: "on-resolution: met", with: "on-resolution: maybe"))
        }
    }

    @Test func aWithdrawnDefectIsNotRectified() throws {
        let plixer = try Presets.policy("plixer")
        var timeline = CaseTimeline(loggedAt: Self.at("2026-03-02T09:00:00-05:00"), priority: "severity-1")
        timeline.append(.defectConfirmed(at: Self.at("2026-03-02T10:00:00-05:00")))
        timeline.append(.statusChange(to: .resolved, at: Self.at("2026-03-03T10:00:00-05:00"), resolution: .withdrawn))
        let withdrawn = try Self.clock(plixer, plan: "standard", region: "us-east", timeline, "resolution", at: "2026-03-20T00:00:00-04:00")
        #expect(withdrawn.state == "cancelled" && withdrawn.lateNotice == nil)
        var fixed = CaseTimeline(loggedAt: Self.at("2026-03-02T09:00:00-05:00"), priority: "severity-1")
        fixed.append(.defectConfirmed(at: Self.at("2026-03-02T10:00:00-05:00")))
        fixed.append(.statusChange(to: .resolved, at: Self.at("2026-03-03T10:00:00-05:00"), resolution: .fix))
        #expect(try Self.clock(plixer, plan: "standard", region: "us-east", fixed, "resolution", at: "2026-03-20T00:00:00-04:00").state == "met")
    }

    @Test func aReopenedCaseResumesWithoutCountingTheTimeItWasResolved() throws {
        let plm = try Presets.policy("plm-group")
        // Premium high: 4 business hours. Monday 2 March 2026 in Denmark: 08:00-16:00 (see the preset).
        var timeline = CaseTimeline(loggedAt: Self.at("2026-03-02T09:00:00+01:00"), priority: "high")
        timeline.append(.statusChange(to: .resolved, at: Self.at("2026-03-02T10:00:00+01:00"), resolution: .workaround))
        timeline.append(.statusChange(to: .open, at: Self.at("2026-03-02T13:00:00+01:00")))
        let clock = try Self.clock(plm, plan: "premium", region: "denmark", timeline, "initial-response", at: "2026-03-02T13:30:00+01:00")
        #expect(clock.state == "running")
        let expected = try plm.answer(DeadlineQuery(plan: "premium", priority: "high", region: "denmark", opened: .instant(Self.at("2026-03-02T09:00:00+01:00")),
                                                    pauses: [(.instant(Self.at("2026-03-02T10:00:00+01:00")), .instant(Self.at("2026-03-02T13:00:00+01:00")))]))
        #expect(clock.status?.due == expected.deadline?.due)
        #expect(clock.status?.due == Self.at("2026-03-02T16:00:00+01:00"))
    }

    @Test func aPatchClockWaitsForThePatch() throws {
        let plixer = try Presets.policy("plixer")
        var timeline = CaseTimeline(loggedAt: Self.at("2026-05-01T12:00:00-04:00"), priority: "severity-2", cvss: 9.8)
        let waiting = try Self.clock(plixer, plan: "standard", region: "us-east", timeline, "patch", at: "2026-06-01T00:00:00-04:00")
        #expect(waiting.state == "not-started" && waiting.target == "7 days" && waiting.alarms.isEmpty)
        #expect(waiting.note?.contains("waiting for a patch") == true)
        // Available before the case was logged: from the notification; after: from then.
        timeline.append(.patchAvailable(since: Self.at("2026-05-10T09:00:00-04:00"), at: Self.at("2026-05-11T09:00:00-04:00")))
        let running = try Self.clock(plixer, plan: "standard", region: "us-east", timeline, "patch", at: "2026-05-11T09:00:00-04:00")
        #expect(running.status?.clockStart == Self.at("2026-05-10T09:00:00-04:00"))
        #expect(running.status?.due == Self.at("2026-05-17T09:00:00-04:00"))
        var early = CaseTimeline(loggedAt: Self.at("2026-05-01T12:00:00-04:00"), priority: "severity-2", cvss: 9.8)
        early.append(.patchAvailable(since: Self.at("2026-04-01T00:00:00-04:00"), at: Self.at("2026-05-02T09:00:00-04:00")))
        #expect(try Self.clock(plixer, plan: "standard", region: "us-east", early, "patch", at: "2026-05-02T09:00:00-04:00").status?.clockStart
                == Self.at("2026-05-01T12:00:00-04:00"))
    }

    static let nextReplyPolicy = """
        accord: 1
        id: chat-desk
        name: Chat desk
        version: "1"
        zone: UTC
        calendars:
          always: {hours: 24x7}
        regions: [{id: world, calendar: always}]
        plans: [{id: basic}]
        metrics:
          - {id: first, kind: initial-response, paused-by: [awaiting-customer], targets: {basic: 1 calendar hour}}
          - {id: next, kind: next-reply, paused-by: [awaiting-customer], targets: {basic: 2 calendar hours}}
          - {id: updates, kind: periodic-update, paused-by: [awaiting-customer], targets: {basic: 8 calendar hours}}
        teams: [{id: desk, tier: 1, calendar: always}]
        """

    @Test func nextReplyRunsFromEachUnansweredCustomerMessage() throws {
        let policy = try PolicyLoader().load(yaml: Self.nextReplyPolicy)
        var timeline = CaseTimeline(loggedAt: Self.at("2026-01-05T08:00:00Z"), priority: nil)
        #expect(try Self.clock(policy, plan: "basic", region: "world", timeline, "next", at: "2026-01-05T08:00:00Z").state == "not-started")
        timeline.append(.providerReply(at: Self.at("2026-01-05T08:30:00Z")))
        timeline.append(.customerMessage(at: Self.at("2026-01-05T09:00:00Z")))
        timeline.append(.customerMessage(at: Self.at("2026-01-05T09:30:00Z")))  // does not restart the wait
        let waiting = try Self.clock(policy, plan: "basic", region: "world", timeline, "next", at: "2026-01-05T10:00:00Z")
        #expect(waiting.state == "running" && waiting.cycle == 1)
        #expect(waiting.status?.due == Self.at("2026-01-05T11:00:00Z"))
        #expect(waiting.alarms.last == ClockAlarm(kind: "breach", at: Self.at("2026-01-05T11:00:00Z")))
        timeline.append(.providerReply(at: Self.at("2026-01-05T10:30:00Z")))
        #expect(try Self.clock(policy, plan: "basic", region: "world", timeline, "next", at: "2026-01-05T12:00:00Z").state == "met")
        timeline.append(.customerMessage(at: Self.at("2026-01-05T13:00:00Z")))
        let second = try Self.clock(policy, plan: "basic", region: "world", timeline, "next", at: "2026-01-05T16:00:00Z")
        #expect(second.state == "breached" && second.cycle == 2 && second.status?.due == Self.at("2026-01-05T15:00:00Z"))
    }

    @Test func periodicUpdatesRestartAtEachPublicReplyUntilResolution() throws {
        let policy = try PolicyLoader().load(yaml: Self.nextReplyPolicy)
        var timeline = CaseTimeline(loggedAt: Self.at("2026-01-05T08:00:00Z"), priority: nil)
        let first = try Self.clock(policy, plan: "basic", region: "world", timeline, "updates", at: "2026-01-05T09:00:00Z")
        #expect(first.state == "running" && first.cycle == 1 && first.status?.due == Self.at("2026-01-05T16:00:00Z"))
        timeline.append(.providerReply(at: Self.at("2026-01-05T15:00:00Z")))
        let second = try Self.clock(policy, plan: "basic", region: "world", timeline, "updates", at: "2026-01-05T15:00:00Z")
        #expect(second.cycle == 2 && second.status?.due == Self.at("2026-01-05T23:00:00Z"))
        // Paused while the case awaits the customer.
        timeline.append(.statusChange(to: .awaitingCustomer, at: Self.at("2026-01-05T16:00:00Z")))
        timeline.append(.statusChange(to: .open, at: Self.at("2026-01-05T18:00:00Z")))
        #expect(try Self.clock(policy, plan: "basic", region: "world", timeline, "updates", at: "2026-01-05T18:00:00Z").status?.due
                == Self.at("2026-01-06T01:00:00Z"))
        timeline.append(.statusChange(to: .resolved, at: Self.at("2026-01-05T20:00:00Z"), resolution: .workaround))
        let ended = try Self.clock(policy, plan: "basic", region: "world", timeline, "updates", at: "2026-01-07T00:00:00Z")
        #expect(ended.state == "met" && ended.alarms.isEmpty)
        // A reply on the resolved case starts no new run.
        timeline.append(.providerReply(at: Self.at("2026-01-05T21:00:00Z")))
        #expect(try Self.clock(policy, plan: "basic", region: "world", timeline, "updates", at: "2026-01-07T00:00:00Z").cycle == 2)
    }

    @Test func plexP1IsUpdatedEveryFourHoursAroundTheClock() throws {
        let plex = try Presets.policy("plex")
        // Saturday 21 November 2026 02:00 in Detroit: the 24x7 calendar counts the weekend.
        let timeline = CaseTimeline(loggedAt: Self.at("2026-11-21T02:00:00-05:00"), priority: "p1")
        let clock = try Self.clock(plex, plan: "silver", region: "global", timeline, "p1-updates", at: "2026-11-21T03:00:00-05:00")
        #expect(clock.target == "4 calendar hours" && clock.status?.due == Self.at("2026-11-21T06:00:00-05:00"))
        let p3 = CaseTimeline(loggedAt: Self.at("2026-11-21T02:00:00-05:00"), priority: "p3")
        #expect(try Self.clock(plex, plan: "silver", region: "global", p3, "p1-updates", at: "2026-11-21T03:00:00-05:00").state == "no-target")
    }

    @Test func aPolicyWithoutTeamsGetsOneDefaultTeamAndAnEmptyListIsRefused() throws {
        let yaml = Self.nextReplyPolicy.replacingOccurrences(of: "teams: [{id: desk, tier: 1, calendar: always}]", with: "")
        let policy = try PolicyLoader().load(yaml: yaml)
        #expect(policy.teams == [Team(id: "support", name: "Support", tier: 1, calendar: "always", languages: [])])
        let route = try CaseRouter(policy: policy).route(.init(channel: "web", region: "world"), at: Self.at("2026-01-05T08:00:00Z"))
        #expect(route.team == "support")
        #expect {
            try PolicyLoader().load(yaml: yaml + "\nteams: []\n")
        } throws: { error in
            (error as? PolicyIssues)?.issues.contains { $0.path == "teams" && $0.message.contains("at least one team of tier 1") } == true
        }
    }
}
