import AccordCore
import BusinessTime
import Foundation
import Testing
import VaporTesting

/// The proof of issue 15: one case per preset lives a whole life over HTTP with a test clock — logged,
/// answered, waiting on the customer, answered by the customer, raised and lowered in priority,
/// escalated, resolved, reopened and closed — and after every step each clock's state and due is
/// what the deadline engine answers for that history (`Policy.answer`, the engine behind `accord sla
/// due`, given the pauses the history implies), computed here from the test's own record of what
/// happened, not from the desk's clocks.
@Suite(.serialized) struct LifecycleProofTests {
    /// What happened to the case, as the test did it.
    struct History {
        let policy: Policy
        let plan: String
        let region: String
        let loggedAt: Int64
        var priorities: [(at: Int64, priority: String?)]
        var statuses: [(at: Int64, status: String, resolution: String?)] = [(0, "new", nil)]
        var replies: [Int64] = []
        var confirmed: Int64?

        var status: String { statuses.last?.status ?? "new" }

        /// The reference clock of `metric` at `now`: its state and due.
        func expected(_ metric: Metric, at now: Int64) throws -> (state: String, due: Int64?) {
            var closure: (at: Int64, resolution: String?)?
            var ended: [(Int64, Int64)] = []
            var awaiting: [(Int64, Int64?)] = []
            for entry in statuses {
                switch entry.status {
                case "resolved", "closed":
                    if closure == nil { closure = (entry.at, entry.resolution) }
                default:
                    if let c = closure { ended.append((c.at, entry.at)) }
                    closure = nil
                }
                if entry.status == "awaiting-customer" {
                    awaiting.append((entry.at, nil))
                } else if let last = awaiting.last, last.1 == nil {
                    awaiting[awaiting.count - 1].1 = entry.at
                }
            }
            // The run: when it started and the event of its own that stops it.
            var start: Int64
            var stop: Int64?
            switch metric.kind {
            case .initialResponse:
                start = loggedAt
                stop = replies.first
            case .resolution:
                guard let confirmed else { return (metric.target(plan: plan, priority: priorities.last?.priority) == .noTarget ? "no-target" : "not-started", nil) }
                start = confirmed
            case .periodicUpdate:
                start = replies.filter { reply in closure.map { reply <= $0.at } ?? true }.last ?? loggedAt
            case .patch, .nextReply:
                Issue.record("no preset scenario runs \(metric.kind)")
                return ("", nil)
            }
            if let c = closure, c.at <= start, stop == nil { return ("cancelled", nil) }
            var byResolution: (at: Int64, resolution: String?)?
            if let c = closure, stop.map({ c.at < $0 }) ?? true {
                stop = c.at
                byResolution = c
            }
            let ranks = policy.priorities.map(\.id)
            func rank(_ p: String?) -> Int { p.flatMap { ranks.firstIndex(of: $0) } ?? ranks.count }
            for (index, change) in priorities.enumerated().dropFirst() where change.at > start && (stop.map { change.at < $0 } ?? true) {
                let upgrade = rank(change.priority) < rank(priorities[index - 1].priority)
                if policy.rules.priorityChange.rule(upgrade: upgrade) == .fromChange { start = change.at }
            }
            var stretches: [(Int64, Int64)] = []
            let end = stop.map { min($0, now) } ?? now
            let paused = metric.pausedBy.contains("awaiting-customer")
            for (from, to) in (paused ? awaiting : []) + ended.map({ ($0.0, Optional($0.1)) }) {
                let to = to ?? (stop == nil ? end : nil)
                guard let to, to > start, to > from else { continue }
                stretches.append((max(from, start), to))
            }
            let pauses: [(from: ISO8601.Parsed, to: ISO8601.Parsed)] = stretches.sorted { $0.0 < $1.0 }.map { (.instant($0.0), .instant($0.1)) }
            let answer = try policy.answer(DeadlineQuery(
                plan: plan, priority: priorities.last?.priority, region: region, metric: metric.id, opened: .instant(start),
                confirmed: metric.kind == .resolution ? .instant(start) : nil, pauses: pauses))
            guard let due = answer.deadline?.due else { return ("no-target", nil) }
            if let stop, stop <= now {
                if stop > due { return ("breached", due) }
                if let byResolution, byResolution.resolution == "withdrawn" || metric.onResolution == .cancelled { return ("cancelled", due) }
                return ("met", due)
            }
            if now > due { return ("breached", due) }
            return (paused && status == "awaiting-customer" ? "paused" : "running", due)
        }
    }

    enum Step {
        case reply, awaiting, customerMessage, priority(String), escalate(Int), confirm, resolve(String), close, reopen, wait
    }

    /// Runs `steps` an hour apart (`hours` says how far each goes) and checks every clock after each.
    static func live(_ desk: DeskHarness, policyID: String, plan: String, region: String, start: String, customer: String, body: String,
                     steps: [(hours: Double, step: Step)]) async throws {
        let policy = try Presets.policy(policyID)
        var now = Int64(DeskHarness.date(start).timeIntervalSince1970)
        desk.set(start)
        let logged = try await desk.call(.POST, "/api/v1/cases", token: customer, body: body)
        #expect(logged.status == .created, "\(logged.json)")
        let id = try #require(logged.string["id"])
        var history = History(policy: policy, plan: plan, region: region, loggedAt: now, priorities: [(now, logged.string["priority"])])
        history.statuses = [(now, "new", nil)]
        try await check(desk, id, history, at: now, step: "logged")
        for (index, (hours, step)) in steps.enumerated() {
            now += Int64(hours * 3600)
            desk.set(ISO8601.utc(now))
            let reply: DeskHarness.Reply?
            switch step {
            case .reply:
                reply = try await ClockTruthTests.event(desk, id, #"{"kind":"public-reply","body":"Update"}"#, token: desk.adminToken)
                if history.status == "new" { history.statuses.append((now, "open", nil)) }
                history.replies.append(now)
            case .awaiting:
                reply = try await ClockTruthTests.status(desk, id, "awaiting-customer", token: desk.adminToken)
                history.statuses.append((now, "awaiting-customer", nil))
            case .customerMessage:
                reply = try await ClockTruthTests.event(desk, id, #"{"kind":"customer-message","body":"Here you are"}"#, token: customer)
                if ["awaiting-customer", "resolved"].contains(history.status) { history.statuses.append((now, "open", nil)) }
            case .priority(let priority):
                reply = try await ClockTruthTests.event(desk, id, #"{"kind":"priority-change","value":"\#(priority)"}"#, token: desk.adminToken, ifMatch: true)
                history.priorities.append((now, priority))
            case .escalate(let tier):
                reply = try await desk.call(.POST, "/api/v1/cases/\(id)/escalations", token: desk.adminToken, body: #"{"tier":\#(tier),"reason":"specialist"}"#)
            case .confirm:
                reply = try await ClockTruthTests.event(desk, id, #"{"kind":"defect-confirmed"}"#, token: desk.adminToken)
                history.confirmed = now
            case .resolve(let outcome):
                reply = try await ClockTruthTests.status(desk, id, "resolved", token: desk.adminToken, resolution: outcome)
                history.statuses.append((now, "resolved", outcome))
            case .close:
                reply = try await ClockTruthTests.status(desk, id, "closed", token: desk.adminToken)
                history.statuses.append((now, "closed", nil))
            case .reopen:
                reply = try await ClockTruthTests.status(desk, id, "open", token: desk.adminToken)
                history.statuses.append((now, "open", nil))
            case .wait:
                reply = nil
            }
            if let reply { #expect(reply.status == .created, "step \(index + 1) \(step): \(reply.json)") }
            try await check(desk, id, history, at: now, step: "step \(index + 1) \(step) at \(ISO8601.utc(now))")
        }
    }

    static func check(_ desk: DeskHarness, _ id: String, _ history: History, at now: Int64, step: String) async throws {
        let read = try await desk.call(.GET, "/api/v1/cases/\(id)", token: desk.adminToken)
        #expect(read.string["status"] == history.status, "\(step)")
        let clocks = try #require(read["clocks"] as? [[String: Any]])
        #expect(clocks.count == history.policy.metrics.count)
        for metric in history.policy.metrics {
            let clock = try #require(clocks.first { $0["metric"] as? String == metric.id }, "\(step): \(metric.id)")
            if metric.kind == .patch { continue }  // no CVSS in these cases: checked in ClockTruthTests
            let expected = try history.expected(metric, at: now)
            #expect(clock["state"] as? String == expected.state, "\(step): \(metric.id) \(clock)")
            if let due = expected.due, expected.state != "cancelled" {
                #expect(clock["due"] as? String == ISO8601.utc(due), "\(step): \(metric.id) \(clock)")
            }
        }
    }

    @Test(arguments: TestDatabase.all) func plex(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-11-16T14:00:00Z", on: database) { desk in  // Monday 09:00 in Detroit
            let org = try await desk.organization("plex", plan: "gold", prefix: "LIFE")
            let contact = try await desk.person(in: org, email: "c@life.test", role: "authorized-contact")
            try await Self.live(desk, policyID: "plex", plan: "gold", region: "global", start: "2026-11-16T14:00:00Z", customer: contact.token,
                                body: #"{"title":"Scrap report","description":"Totals differ","priority":"p3","channel":"web"}"#, steps: [
                (1, .awaiting), (3, .customerMessage), (1, .priority("p1")), (0.5, .wait), (0.25, .priority("p2")), (2, .escalate(2)),
                (30, .wait), (1, .reply), (2, .awaiting), (20, .customerMessage), (1, .resolve("workaround")), (24, .customerMessage),
                (2, .priority("p1")), (3, .wait), (2, .reply), (1, .resolve("fix")), (48, .close), (24, .wait),
            ])
        }
    }

    @Test(arguments: TestDatabase.all) func plixer(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T14:00:00Z", on: database) { desk in  // Monday 09:00 in New York
            let org = try await desk.organization("plixer", plan: "standard", prefix: "LIFE")
            let user = try await desk.person(in: org, email: "u@life.test", role: "user")
            try await Self.live(desk, policyID: "plixer", plan: "standard", region: "us-east", start: "2026-03-02T14:00:00Z", customer: user.token,
                                body: #"{"title":"Flows lost","description":"Collector drops","priority":"severity-2","channel":"web"}"#, steps: [
                (2, .reply), (1, .confirm), (2, .awaiting), (26, .customerMessage), (1, .priority("severity-1")), (24, .priority("severity-3")),
                (1, .escalate(2)), (48, .wait), (1, .resolve("fix")), (72, .reopen), (100, .wait), (1, .resolve("fix")), (24, .close),
            ])
        }
    }

    @Test(arguments: TestDatabase.all) func plmGroup(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z", on: database) { desk in  // Monday 10:00 in Denmark
            let org = try await desk.organization("plm-group", plan: "premium", region: "denmark", prefix: "LIFE")
            let anna = try await desk.person(in: org, email: "anna@life.test", role: "user")
            try await Self.live(desk, policyID: "plm-group", plan: "premium", region: "denmark", start: "2026-03-02T09:00:00Z", customer: anna.token,
                                body: DeskHarness.plmCase(priority: "medium"), steps: [
                (1, .awaiting), (2, .customerMessage), (0.5, .priority("critical")), (1, .priority("low")), (3, .wait), (20, .reply),
                (1, .resolve("workaround")), (2, .customerMessage), (1, .resolve("fix")), (1, .close), (40, .wait),
            ])
        }
    }

    @Test(arguments: TestDatabase.all) func proPlus(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-11-23T15:00:00Z", on: database) { desk in  // Monday 09:00 CST
            let org = try await desk.organization("pro-plus", plan: "pro-plus", region: "us-central", prefix: "LIFE")
            let user = try await desk.person(in: org, email: "u@life.test", role: "user")
            try await Self.live(desk, policyID: "pro-plus", plan: "pro-plus", region: "us-central", start: "2026-11-23T15:00:00Z", customer: user.token,
                                body: #"{"title":"Down","description":"Down","channel":"web"}"#, steps: [
                (2, .awaiting), (5, .customerMessage), (1, .escalate(2)), (30, .wait), (1, .resolve("withdrawn")), (1, .customerMessage),
                (2, .reply), (1, .resolve("fix")), (24, .close),
            ])
        }
    }
}
