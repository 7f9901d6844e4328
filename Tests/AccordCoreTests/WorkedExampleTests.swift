import Testing
@testable import AccordCore
import BusinessTime

/// The worked examples of `docs/sla-semantics.md`, each computed by hand from the seed contracts.
@Suite struct WorkedExampleTests {
    struct Example: CustomTestStringConvertible, Sendable {
        let policy: String
        let plan: String
        var priority: String? = nil
        var region: String? = nil
        var metric = "initial-response"
        let opened: String
        var confirmed: String? = nil
        var cvss: Double? = nil
        var patchAvailable: String? = nil
        var pauses: [(String, String)] = []
        let target: String
        let due: String?
        let why: String

        var testDescription: String { why }
    }

    static let examples: [Example] = [
        Example(policy: "plex", plan: "silver", priority: "p1", opened: "2026-11-28T10:00:00-05:00",
                target: "1 calendar hour", due: "2026-11-28T11:00:00-05:00", why: "plex P1 on a Saturday: weekends count"),
        Example(policy: "plex", plan: "gold", priority: "p1", opened: "2026-03-08T01:30:00-05:00",
                target: "1 calendar hour", due: "2026-03-08T03:30:00-04:00", why: "plex P1 across the spring DST gap: one absolute hour"),
        Example(policy: "plex", plan: "silver", priority: "p2", opened: "2026-11-25T15:00:00-05:00",
                target: "24 business hours", due: "2026-11-27T15:00:00-05:00", why: "plex silver P2 skips Thanksgiving"),
        Example(policy: "plex", plan: "gold", priority: "p3", opened: "2026-03-06T20:00:00-05:00",
                target: "24 business hours", due: "2026-03-09T20:00:00-04:00", why: "plex gold P3 over a weekend with the DST change"),
        Example(policy: "plex", plan: "silver", priority: "p4", opened: "2026-11-20T10:00:00-05:00",
                target: "5 business days", due: "2026-11-30T10:00:00-05:00", why: "plex silver P4: five business days around Thanksgiving"),
        Example(policy: "plex", plan: "platinum", priority: "p2", opened: "2026-11-16T09:00:00-05:00",
                pauses: [("2026-11-16T12:00:00-05:00", "2026-11-17T12:00:00-05:00")],
                target: "24 business hours", due: "2026-11-18T09:00:00-05:00", why: "plex platinum P2 paused a day awaiting the customer"),
        Example(policy: "plixer", plan: "standard", priority: "severity-2", opened: "2026-07-02T16:30:00-04:00",
                target: "1 business day", due: "2026-07-06T16:30:00-04:00", why: "plixer: Independence Day observed on Friday 3 July"),
        Example(policy: "plixer", plan: "standard", priority: "severity-3", opened: "2026-03-06T18:00:00-05:00",
                target: "1 business day", due: "2026-03-10T08:00:00-04:00", why: "plixer: logged after hours, clock starts Monday 08:00"),
        Example(policy: "plixer", plan: "tier-2", priority: "severity-1", opened: "2026-03-07T02:30:00-05:00",
                target: "1 business day", due: "2026-03-08T03:30:00-04:00", why: "plixer tier 2 (24x7): 02:30 next day is in the DST gap"),
        Example(policy: "plixer", plan: "standard", priority: "severity-1", metric: "resolution", opened: "2026-03-03T09:00:00-05:00",
                confirmed: "2026-03-04T10:00:00-05:00", target: "5 days", due: "2026-03-09T10:00:00-04:00",
                why: "plixer severity 1 rectification starts at confirmation"),
        Example(policy: "plixer", plan: "tier-2", priority: "severity-3", metric: "resolution", opened: "2026-10-26T08:00:00-04:00",
                confirmed: "2026-10-26T09:00:00-04:00", target: "2 weeks", due: "2026-11-09T09:00:00-05:00",
                why: "plixer severity 3: two weeks across the autumn DST change"),
        Example(policy: "plixer", plan: "standard", metric: "patch", opened: "2026-05-01T12:00:00-04:00", cvss: 9.8,
                patchAvailable: "2026-05-10T09:00:00-04:00", target: "7 days", due: "2026-05-17T09:00:00-04:00",
                why: "plixer critical CVSS: the period starts when the patch is available"),
        Example(policy: "plixer", plan: "standard", metric: "patch", opened: "2026-05-01T12:00:00-04:00", cvss: 7.5,
                patchAvailable: "2026-04-20T09:00:00-04:00", target: "60 days", due: "2026-06-30T12:00:00-04:00",
                why: "plixer high CVSS: patch already available, the period starts at notification"),
        Example(policy: "plixer", plan: "standard", metric: "patch", opened: "2026-05-01T12:00:00-04:00", cvss: 5.0,
                target: "90 days", due: "2026-07-30T12:00:00-04:00", why: "plixer CVSS 5.0 is medium"),
        Example(policy: "plixer", plan: "tier-2", metric: "patch", opened: "2026-05-01T12:00:00-04:00", cvss: 4.9,
                target: "120 days", due: "2026-08-29T12:00:00-04:00", why: "plixer CVSS 4.9 is low"),
        Example(policy: "plm-group", plan: "premium", priority: "critical", region: "denmark", opened: "2026-03-06T14:30:00+01:00",
                target: "2 business hours", due: "2026-03-09T09:30:00+01:00", why: "plm Denmark: Friday closes at 15:00"),
        Example(policy: "plm-group", plan: "premium", priority: "critical", region: "sweden", opened: "2026-03-02T14:00:00+01:00",
                target: "2 business hours", due: "2026-03-02T16:00:00+01:00", why: "plm Sweden: a deadline on the closing time is the closing time"),
        Example(policy: "plm-group", plan: "standard", priority: "medium", region: "norway", opened: "2026-04-01T12:00:00+02:00",
                target: "16 business hours", due: "2026-04-08T12:00:00+02:00", why: "plm Norway: Easter closes Thursday to Monday"),
        Example(policy: "plm-group", plan: "standard", priority: "low", region: "finland", opened: "2026-06-17T10:00:00+03:00",
                target: "4 business days", due: "2026-06-24T10:00:00+03:00", why: "plm Finland: Midsummer Eve is a holiday"),
        Example(policy: "plm-group", plan: "standard", priority: "low", region: "denmark", opened: "2026-03-02T15:30:00+01:00",
                target: "4 business days", due: "2026-03-06T15:00:00+01:00", why: "plm Denmark: business days pulled back to Friday's close"),
        Example(policy: "plm-group", plan: "standard", priority: "critical", region: "iceland", opened: "2026-04-22T14:00:00+00:00",
                target: "4 business hours", due: "2026-04-24T10:00:00+00:00", why: "plm Iceland: First Day of Summer"),
        Example(policy: "plm-group", plan: "premium", priority: "high", region: "latvia", opened: "2026-06-19T14:00:00+03:00",
                target: "4 business hours", due: "2026-06-25T10:00:00+03:00", why: "plm Latvia: substituted day off and Midsummer"),
        Example(policy: "plm-group", plan: "premium", priority: "low", region: "estonia", opened: "2026-02-23T11:00:00+02:00",
                target: "2 business days", due: "2026-02-26T11:00:00+02:00", why: "plm Estonia: Independence Day"),
        Example(policy: "plm-group", plan: "premium", priority: "question", region: "norway", opened: "2026-02-23T11:00:00+01:00",
                target: "no target", due: nil, why: "plm questions have no target"),
        Example(policy: "pro-plus", plan: "pro-plus", opened: "2026-11-20T17:00:00-06:00",
                target: "24 business hours", due: "2026-11-24T17:00:00-06:00", why: "pro-plus: 24 hours of the 12-hour tier-1 day"),
        Example(policy: "pro-plus", plan: "pro-plus", opened: "2026-11-25T08:00:00-06:00",
                target: "24 business hours", due: "2026-11-30T08:00:00-06:00", why: "pro-plus: Thanksgiving"),
        Example(policy: "pro-plus", plan: "free", opened: "2026-11-25T08:00:00-06:00",
                target: "no target", due: nil, why: "pro-plus free support has no target"),
    ]

    static func parse(_ text: String) -> ISO8601.Parsed { ISO8601.parse(text)! }

    @Test(arguments: examples)
    func workedExample(_ example: Example) throws {
        let policy = try Presets.policy(example.policy)
        let answer = try policy.answer(DeadlineQuery(
            plan: example.plan, priority: example.priority, region: example.region, metric: example.metric,
            opened: Self.parse(example.opened), confirmed: example.confirmed.map(Self.parse), cvss: example.cvss,
            patchAvailable: example.patchAvailable.map(Self.parse), pauses: example.pauses.map { (Self.parse($0.0), Self.parse($0.1)) }
        ))
        #expect(answer.target?.description ?? "no target" == example.target)
        #expect(try answer.deadline.map { try answer.format($0.due) } == example.due)
    }
}
