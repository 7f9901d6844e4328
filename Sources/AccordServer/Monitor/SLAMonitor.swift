import AccordCore
public import AccordStore
public import AsyncHTTPClient
import BusinessTime
import Crypto
public import Foundation
public import Logging
import NIOCore
import NIOHTTP1

/// The SLA monitor: raises each clock's warnings and breach when they fall due, fans them out of
/// the outbox to the staff's mailboxes and the webhooks, and delivers them with retries. One pass
/// is `pass(at:)`; `accord serve` runs passes continuously (`run(now:)`, as a `BackgroundTask`).
public struct SLAMonitor: Sendable {
    /// How alerts leave the desk.
    public struct Configuration: Sendable {
        /// Where staff alert mails go; nil sends none (webhooks only).
        public var mail: Mail?
        public var mailFrom = "Accord <accord@localhost>"
        /// Staff roles that receive alert mails.
        public var alertRoles = ["manager"]
        public var retry = RetryPolicy()
        /// The longest a running monitor waits between passes; it wakes earlier for the next alarm.
        public var pollInterval: Duration = .seconds(2)
        /// Warnings mailed to a case's assignee and team leads wait for their team's working hours
        /// (breaches never wait, and neither do managers' mails and webhooks).
        public var holdWarningsToWorkingHours = true
        /// At most this many automatic replies (acknowledgements, refusals) go to one address in 24
        /// hours; the rest are recorded as not sent.
        public var automaticRepliesPerAddressPerDay = 10
        /// Networks webhooks may go to besides public addresses (checked again before each delivery).
        public var webhookNetworks = WebhookNetworks()
        /// The desk's address as its users reach it (`--public-url`), for the links in mails: a
        /// published review's mail links to its page in the portal. Without it, the mail names the path.
        public var publicURL: String?

        public enum Mail: Sendable, Equatable {
            case sendmail(path: String)
            case smtp(SMTPRelay)
        }

        public init() {}
    }

    /// The events the outbox carries, each with its own mail template: staff alerts, the
    /// customer's notice of late rectification, the mail to a case's customer side and the one to
    /// a customer's authorized contacts when their service review is published.
    public static let events = ["sla.warning", "sla.breach", "sla.estimate-passed", CustomerLateNotice.event] + CustomerMail.events
        + [DeskStore.reviewPublished]

    /// The mails with a template: the events', and the refusal a message's sender gets (which no
    /// webhook sees: it is about a message, not a case).
    public static let templates = events + [SenderMail.refusal]

    /// Automatic replies — mail a message the desk took in set off — limited per address, so that
    /// a mail loop or a flood is not answered without end.
    static let automaticReplies = [CustomerMail.acknowledgement, SenderMail.refusal]

    /// What one pass did.
    public struct Report: Sendable, Equatable {
        public var raised = RaisedAlarms()
        public var dispatched = 0
        public var delivered = 0
        public var failed = 0

        public init() {}
    }

    public let store: DeskStore
    let configuration: Configuration
    let http: HTTPClient
    let logger: Logger
    /// The desk's policies, once read (`readingPolicies(at:)`): for the teams' working hours and
    /// for what a metric promises the customer.
    private var catalog: PolicyCatalog?

    public init(store: DeskStore, configuration: Configuration, http: HTTPClient, logger: Logger = Logger(label: "accord.monitor")) {
        self.store = store
        self.configuration = configuration
        self.http = http
        self.logger = logger
    }

    /// This monitor with the desk's policies read: warnings can then be held to the recipients'
    /// working hours (as the configuration says), and an alert on a clock that promises the
    /// customer a late notice says whether that notice is still owed.
    public func readingPolicies(at now: Date) async throws -> SLAMonitor {
        var monitor = self
        monitor.catalog = try await PolicyCatalog.open(store: store, at: now)
        return monitor
    }

    /// The next instant a team (`POLICY.TEAM`) is at work, at or after `instant`; nil when the
    /// policies were not read or the team is unknown.
    private func opening(of queue: String, at instant: Date) async throws -> Date? {
        guard let catalog, let id = try? WorkService.QueueID(queue), let policy = try await catalog.currentPolicies(store: store)[id.policy],
              let team = policy.team(id.team) else {
            return nil
        }
        let seconds = CaseService.seconds(instant)
        let opens = try policy.calendar(of: team, at: seconds).firstOpenInstant(atOrAfter: seconds)
        return Date(timeIntervalSince1970: TimeInterval(opens))
    }

    private var transport: (any MailTransport)? {
        switch configuration.mail {
        case .sendmail(let path): SendmailTransport(path: path)
        case .smtp(let relay): SMTPTransport(relay: relay, heloName: ProcessInfo.processInfo.hostName)
        case nil: nil
        }
    }

    /// Raises what fell due by `now`, dispatches the outbox and delivers what is due.
    public func pass(at now: Date) async throws -> Report {
        var report = Report()
        (report.raised, report.dispatched) = try await raise(at: now)
        (report.delivered, report.failed) = try await deliver(at: now)
        return report
    }

    /// Raises what fell due by `now`, each alarm fanned out to its recipients as it is raised, and
    /// dispatches the other outbox entries (a case event's notices); returns the alarms and how
    /// many entries were dispatched, the alarms' included.
    public func raise(at now: Date) async throws -> (raised: RaisedAlarms, dispatched: Int) {
        let recipients = try await recipients()
        let raised = try await store.sweep(at: now, notifying: recipients)
        // The other entries, at most 2,000 per transaction, until none is left.
        var dispatched = raised.count
        while case let count = try await store.dispatchOutbox(at: now, to: recipients), count > 0 {
            dispatched += count
        }
        return (raised, dispatched)
    }

    /// Who alerts go to: with a mail transport, the staff in the alert roles and the case's own
    /// people; without one, the webhooks only.
    private func recipients() async throws -> AlertRecipients {
        guard configuration.mail != nil else { return .webhooksOnly }
        let roles = Set(configuration.alertRoles.compactMap(Role.init(rawValue:)))
        return AlertRecipients(emails: try await store.staff(roles: roles).map(\.email), casePeople: true)
    }

    /// Tries every delivery due at `now` once; failures are scheduled again with backoff.
    public func deliver(at now: Date) async throws -> (delivered: Int, failed: Int) {
        var delivered = 0, failed = 0
        let hooks = Dictionary(uniqueKeysWithValues: try await store.webhooks().map { ($0.id.uuidString, $0) })
        while true {
            let jobs = try await store.claimDeliveries(at: now)
            guard !jobs.isEmpty else { break }
            for job in jobs {
                if job.event == "sla.warning", job.channel == "email", let why = try await staleness(of: job, at: now) {
                    try await store.supersede(job, at: now, detail: why)
                    continue
                }
                if job.channel == "email", Self.automaticReplies.contains(job.event) {
                    let sent = try await store.deliveredMails(to: job.target, events: Self.automaticReplies, since: now.addingTimeInterval(-86_400))
                    if sent >= configuration.automaticRepliesPerAddressPerDay {
                        try await store.supersede(job, at: now, detail: "not sent: \(sent) automatic replies went to \(job.target) in the last 24 hours (the limit; a mail loop or a flood)")
                        continue
                    }
                }
                if configuration.holdWarningsToWorkingHours, let team = job.holdTeam, job.event != "sla.breach",
                   let opens = try await opening(of: team, at: now), opens > now {
                    try await store.hold(job, until: opens, at: now, detail: "held to \(team)'s working hours until \(ISO8601.utc(Int64(opens.timeIntervalSince1970)))")
                    continue
                }
                let outcome: (Bool, String)
                do {
                    outcome = try await attempt(job, hooks: hooks, at: now)
                } catch {
                    outcome = (false, "\(error)")
                }
                try await store.recordAttempt(job, at: now, delivered: outcome.0, detail: outcome.1, retry: configuration.retry)
                if outcome.0 { delivered += 1 } else { failed += 1 }
            }
        }
        return (delivered, failed)
    }

    /// Why a warning mail is no longer true at `now`, if it is not: its clock has reached its due
    /// (the breach says the rest), or stopped counting (met, cancelled, excluded). Such a warning
    /// — held to working hours, or raised in the same catch-up pass as its breach — is never mailed.
    private func staleness(of job: DeliveryJob, at now: Date) async throws -> String? {
        guard let caseID = job.caseID, let alarm = try? RaisedAlarm(json: job.payload) else { return nil }
        guard let clock = try await store.clocks(of: caseID).first(where: { $0.metric == alarm.metric }) else { return nil }
        switch clock.state {
        case "running":
            guard let due = clock.due, due <= now else { return nil }
            return "superseded: the \(alarm.metric) clock reached its due at \(ISO8601.utc(CaseService.seconds(due))) before this \(alarm.kind) could be mailed; the breach alert says the rest"
        case "paused":
            return nil
        default:
            return "superseded: the \(alarm.metric) clock is \(clock.state) now, so the \(alarm.kind) is no longer true"
        }
    }

    private func attempt(_ job: DeliveryJob, hooks: [String: Webhook], at now: Date) async throws -> (Bool, String) {
        switch job.channel {
        case "webhook":
            guard let hook = hooks[job.target], hook.active else { return (false, "the webhook was removed") }
            return try await post(job, to: hook, at: now)
        case "email":
            guard let transport else { return (false, "no mail transport is configured") }
            try await transport.send(try await mail(job, at: now))
            return (true, "accepted for \(job.target)")
        default:
            return (false, "unknown channel \(job.channel)")
        }
    }

    /// The webhook body and its signature: `Accord-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256
    /// of "<t>.<body>" keyed with the webhook's secret>`, as Stripe-style receivers verify.
    static func signedBody(_ job: DeliveryJob, secret: String, at now: Date) -> (body: String, signature: String) {
        let body = #"{"delivery":"\#(job.id.uuidString)","event":"\#(job.event)","data":\#(job.payload)}"#
        let timestamp = Int(now.timeIntervalSince1970)
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp).\(body)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return (body, "t=\(timestamp),v1=\(mac.map { String($0, radix: 16).leftPadded(to: 2) }.joined())")
    }

    private func post(_ job: DeliveryJob, to hook: Webhook, at now: Date) async throws -> (Bool, String) {
        // Resolved again right before the request: a name that now points inside the network is refused.
        let networks = configuration.webhookNetworks
        if let host = URL(string: hook.url)?.host, let refusal = await Task.detached(operation: { networks.refusal(host: host) }).value {
            return (false, "refused: \(refusal)")
        }
        let (body, signature) = Self.signedBody(job, secret: hook.secret, at: now)
        var request = HTTPClientRequest(url: hook.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Accord-Webhooks/1")
        request.headers.add(name: "Accord-Event", value: job.event)
        request.headers.add(name: "Accord-Delivery", value: job.id.uuidString)
        request.headers.add(name: "Accord-Signature", value: signature)
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await http.execute(request, timeout: .seconds(10))
        let status = response.status.code
        return ((200..<300).contains(status), "HTTP \(status)")
    }

    private func mail(_ job: DeliveryJob, at now: Date) async throws -> AlertMail {
        if job.event == SenderMail.refusal {
            return try await SenderMail.compose(job, from: configuration.mailFrom, store: store, at: now)
        }
        if CustomerMail.events.contains(job.event) {
            guard let catalog else { throw MailError(description: "the monitor has no policy catalog to write \(job.event)") }
            return try await CustomerMailComposer(store: store, catalog: catalog, from: configuration.mailFrom).compose(job, at: now)
        }
        if job.event == DeskStore.reviewPublished {
            return try await reviewMail(job, at: now)
        }
        let (values, supportCase) = job.event == CustomerLateNotice.event ? try await noticeValues(job) : try await alarmValues(job, at: now)
        // The case's policy's text; the customer's notice in the case's language too (staff alerts
        // in the desk's own).
        let language = job.event == CustomerLateNotice.event ? supportCase?.work.language : nil
        guard let template = try await MessageTemplates(store: store).template(job.event, policy: supportCase?.policyID, language: language) else {
            throw MailError(description: "no template for \(job.event)")
        }
        return AlertMail(from: configuration.mailFrom, to: job.target, subject: MessageTemplates.render(template.subject, values),
                           body: MessageTemplates.render(template.body, values), date: now, messageID: "\(job.id.uuidString)@accord")
    }

    /// The mail telling an authorized contact that their organization's review is published, with
    /// the link to it in the portal; the text of the organization's policy.
    private func reviewMail(_ job: DeliveryJob, at now: Date) async throws -> AlertMail {
        let notice = try ReviewNotice(json: job.payload)
        let policy = try await store.organization(notice.organization)?.policyID
        guard let template = try await MessageTemplates(store: store).template(job.event, policy: policy, language: nil) else {
            throw MailError(description: "no template for \(job.event)")
        }
        let values = ["organization": notice.organizationName, "period": notice.period, "version": String(notice.version),
                      "link": (configuration.publicURL ?? "") + notice.path, "publishedAt": notice.publishedAt]
        return AlertMail(from: configuration.mailFrom, to: job.target, subject: MessageTemplates.render(template.subject, values).replacingOccurrences(of: "\n", with: " "),
                         body: MessageTemplates.render(template.body, values), date: now, messageID: "\(job.id.uuidString)@accord")
    }

    /// The placeholders of a staff alert (see `MessageTemplates`).
    private func alarmValues(_ job: DeliveryJob, at now: Date) async throws -> ([String: String], SupportCase?) {
        let alarm = try RaisedAlarm(json: job.payload)
        let supportCase = try await store.supportCase(alarm.caseID)
        let share = alarm.kind.hasPrefix("warning-") ? String(alarm.kind.dropFirst("warning-".count).prefix { $0.isNumber }) + "%" : "100%"
        var values = [
            "case.number": supportCase?.number ?? alarm.caseID.uuidString, "case.title": supportCase?.title ?? "",
            "case.priority": supportCase?.priority ?? "none", "metric": alarm.metric, "alarm": share,
            "due": alarm.clockDue.map(Self.utc) ?? "(no longer counting)", "alarmAt": Self.utc(alarm.alarmAt), "raisedAt": Self.utc(alarm.raisedAt),
            "late-notice": "",
        ]
        if let supportCase, let notice = try await lateNotice(of: supportCase, metric: alarm.metric, at: now) {
            values["late-notice"] = switch notice.state {
            case .owed: "\n\nThe contract promises to tell the customer without undue delay when this period can't be met: add a " +
                "rectification-late event to the case with the reason and an estimated rectification date, and the customer is mailed."
            case .given: "\n\nThe customer was told on \(notice.givenAt.map(ISO8601.utc) ?? "?") to expect the rectification by \(notice.estimate.map(ISO8601.utc) ?? "?")."
            case .notDue, .missed: ""
            }
        }
        return (values, supportCase)
    }

    /// Where the case's clock `metric` stands on the late notice its policy promises, if it does.
    private func lateNotice(of supportCase: SupportCase, metric: String, at now: Date) async throws -> LateNotice? {
        guard let catalog else { return nil }
        let policy = try await catalog.policy(supportCase.policyID, version: supportCase.policyVersion, store: store)
        guard policy.metrics.contains(where: { $0.id == metric && $0.notifyWhenLate }) else { return nil }
        // The alert is read as of its delivery: a notice given meanwhile counts.
        let clocks = try await CaseService(store: store, catalog: catalog, now: { now })
            .clocks(of: supportCase, events: try await store.events(of: supportCase.id), at: now)
        return clocks.first { $0.metric == metric }?.lateNotice
    }

    /// The placeholders of a customer's late notice (see `MessageTemplates`); dates in the policy's zone.
    private func noticeValues(_ job: DeliveryJob) async throws -> ([String: String], SupportCase?) {
        let notice = try CustomerLateNotice(json: job.payload)
        let supportCase = try await store.supportCase(notice.caseID)
        let zone = try ZoneClock(identifier: notice.zone)
        func local(_ date: Date) -> String { "\(zone.format(CaseService.seconds(date))) (\(notice.zone))" }
        return ([
            "case.number": supportCase?.number ?? notice.caseID.uuidString, "case.title": supportCase?.title ?? "",
            "metric": notice.metricName, "reason": notice.reason, "estimate": local(notice.estimate), "due": local(notice.due),
        ], supportCase)
    }

    private static func utc(_ date: Date) -> String { ISO8601.utc(Int64(date.timeIntervalSince1970.rounded(.down))) }

    /// Passes until cancelled: each wakes at the next alarm's due instant or after the poll
    /// interval, whichever comes first, so alerts go out when they fall due.
    public func run(now: @escaping @Sendable () -> Date) async {
        while !Task.isCancelled {
            let started = now()
            do {
                let report = try await pass(at: started)
                if !report.raised.isEmpty || report.delivered + report.failed > 0 {
                    logger.info("monitor pass", metadata: ["raised": "\(report.raised.count)", "delivered": "\(report.delivered)", "failed": "\(report.failed)"])
                }
            } catch {
                logger.error("monitor pass failed: \(error)")
            }
            var wait = configuration.pollInterval
            if let next = try? await store.nextAlarm() {
                // An alarm already due is one another server holds, or beyond this pass's limit:
                // look again shortly rather than spin.
                let until = max(0.01, next.timeIntervalSince(now()))
                wait = min(wait, .milliseconds(Int64(until * 1000) + 1))
            }
            try? await Task.sleep(for: wait)
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
