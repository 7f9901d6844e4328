import AccordCore
public import AccordStore
import BusinessTime
import Foundation
public import Vapor

/// The JSON shapes the API returns.
struct CaseResponse: Content {
    struct Clock: Content {
        let metric: String
        let target: String?
        let state: String
        let clockStart: String?
        let due: String?
        let elapsedSeconds: Int64?
        let remainingSeconds: Int64?
        let percentElapsed: Double?
        let note: String?
        /// Why the case's resolution ended the clock as it did.
        let ending: String?
        /// For recurring clocks: which run this is, from 1.
        let cycle: Int?
        /// The priority change that re-targeted the clock while it counted.
        let retarget: RetargetView?
        let lateNotice: LateNoticeView?
    }

    /// A priority change that moved a counting clock to another target, and from when that counts.
    struct RetargetView: Content {
        let from: String?
        let to: String?
        let at: String
        /// `upgrade` or `downgrade`.
        let direction: String
        /// `retroactive` (from the clock's start, pause time carried over) or `from-change`.
        let rule: String

        init(_ retarget: CaseClocks.Retarget) {
            from = retarget.from
            to = retarget.to
            at = ISO8601.utc(retarget.at)
            direction = retarget.upgrade ? "upgrade" : "downgrade"
            rule = retarget.rule.rawValue
        }
    }

    /// Where a clock stands on the late notice its policy promises the customer.
    struct LateNoticeView: Content {
        let state: String
        let givenAt: String?
        let estimate: String?

        init(_ notice: LateNotice) {
            state = notice.state.rawValue
            givenAt = notice.givenAt.map(ISO8601.utc)
            estimate = notice.estimate.map(ISO8601.utc)
        }
    }

    struct Event: Content {
        let sequence: Int
        let at: String
        let actor: UUID?
        let kind: String
        let value: String?
        let body: String?
    }

    let id: UUID
    let number: String
    let title: String
    let description: String
    let priority: String?
    let channel: String
    let status: String
    let policy: String
    let policyVersion: String
    let plan: String
    let region: String
    let organization: UUID
    let requester: UUID
    let loggedAt: String
    let details: CaseDetails
    /// The product version is older than the policy supports.
    let unsupportedVersion: Bool
    /// The out-of-scope classification (`consultancy`); such a request has left the SLA.
    let outOfScope: String?
    /// Cases linked to this one (staff only; with the timeline).
    let links: [UUID]?
    /// The case this one was merged into, as a duplicate (with the timeline).
    let mergedInto: UUID?
    /// Cases merged into this one (with the timeline).
    let merged: [UUID]?
    let version: Int
    let clocks: [Clock]
    let events: [Event]?
    let watchers: [Watcher]?
    let attachments: [AttachmentInfo]?
    let work: Work
    /// The customer's technical account manager, where the plan grants one.
    let tam: TAM?
    /// Internal targets, shown apart from the contract's clocks.
    let olas: [OLA]?

    struct Work: Content {
        let team: String?
        let tier: Int
        /// `priority` or `standard`.
        let queue: String
        let language: String?
        let mailbox: String?
        let assignee: UUID?
        let assignedAt: String?
        let advocate: UUID?

        init(_ work: CaseWork) {
            team = work.team
            tier = work.tier
            queue = work.queue
            language = work.language
            mailbox = work.mailbox
            assignee = work.assigneeID
            assignedAt = work.assignedAt.map { ISO8601.utc(CaseService.seconds($0)) }
            advocate = work.advocateID
        }
    }

    struct TAM: Content {
        /// `reactive`, `proactive` or `named`, as the plan grants.
        let kind: String
        let person: UUID?
    }

    struct OLA: Content {
        let ola: String
        let name: String
        let team: String
        let target: String
        let state: String
        let clockStart: String
        let due: String
        let elapsedSeconds: Int64
        let remainingSeconds: Int64
        let percentElapsed: Double

        init(_ clock: OperationalClocks.Clock) {
            ola = clock.ola
            name = clock.name
            team = clock.team
            target = clock.target
            state = clock.status.state.rawValue
            clockStart = ISO8601.utc(clock.status.clockStart)
            due = ISO8601.utc(clock.status.due)
            elapsedSeconds = clock.status.elapsed
            remainingSeconds = clock.status.remaining
            percentElapsed = (clock.status.percentElapsed * 10).rounded() / 10
        }
    }

    struct Watcher: Content {
        let email: String
        let person: UUID?
        let kind: String
    }

    init(_ c: SupportCase, clocks: [CaseClocks.Clock], events: [CaseEvent]?, watchers: [CaseWatcher]? = nil, attachments: [Attachment]? = nil,
         tam: TAM? = nil, olas: [OperationalClocks.Clock]? = nil) {
        work = Work(c.work)
        self.tam = tam
        self.olas = olas?.map(OLA.init)
        id = c.id
        number = c.number
        title = c.title
        description = c.description
        priority = c.priority
        channel = c.channel
        status = c.status
        policy = c.policyID
        policyVersion = c.policyVersion
        plan = c.planID
        region = c.regionID
        organization = c.organizationID
        requester = c.requesterID
        loggedAt = ISO8601.utc(CaseService.seconds(c.loggedAt))
        details = c.details
        unsupportedVersion = c.unsupportedVersion
        outOfScope = c.outOfScope
        let shownLinks = events.map(CaseRelations.links(in:)) ?? []
        links = shownLinks.isEmpty ? nil : shownLinks
        mergedInto = events.flatMap(CaseRelations.mergedInto(in:))
        let shownMerged = events.map(CaseRelations.merged(in:)) ?? []
        merged = shownMerged.isEmpty ? nil : shownMerged
        version = c.version
        self.watchers = watchers?.map { Watcher(email: $0.email, person: $0.personID, kind: $0.kind.rawValue) }
        self.attachments = attachments?.map(AttachmentInfo.init)
        self.clocks = clocks.map { clock in
            Clock(
                metric: clock.metric, target: clock.target,
                state: clock.state,
                clockStart: clock.status.map { ISO8601.utc($0.clockStart) }, due: clock.status.map { ISO8601.utc($0.due) },
                elapsedSeconds: clock.status?.elapsed, remainingSeconds: clock.status?.remaining,
                percentElapsed: clock.status.map { ($0.percentElapsed * 10).rounded() / 10 }, note: clock.note,
                ending: clock.ending, cycle: clock.cycle, retarget: clock.retarget.map(RetargetView.init),
                lateNotice: clock.lateNotice.map(LateNoticeView.init)
            )
        }
        self.events = events?.map {
            Event(sequence: $0.sequence, at: ISO8601.utc(CaseService.seconds($0.at)), actor: $0.actorID, kind: $0.kind, value: $0.value, body: $0.body)
        }
    }
}

/// An attachment's metadata; the bytes are at `/api/v1/attachments/{id}`.
struct AttachmentInfo: Content {
    let id: UUID
    let filename: String
    let contentType: String
    let size: Int
    let sha256: String
    let uploadedBy: UUID?
    let uploadedAt: String
    /// When the file was erased with its uploader's personal data (its name and bytes are gone).
    let erasedAt: String?
    /// Seen by staff only (sent with an internal note).
    let `internal`: Bool

    init(_ attachment: Attachment) {
        erasedAt = attachment.erasedAt.map { ISO8601.utc(CaseService.seconds($0)) }
        `internal` = attachment.isInternal
        id = attachment.id
        filename = attachment.filename
        contentType = attachment.contentType
        size = attachment.size
        sha256 = attachment.sha256
        uploadedBy = attachment.uploadedBy
        uploadedAt = ISO8601.utc(CaseService.seconds(attachment.uploadedAt))
    }
}

struct CasePage: Content {
    let items: [CaseResponse]
    /// Pass as `cursor` to get the next page; absent on the last page.
    let nextCursor: String?
}

extension Person: Content {}

extension CaseDetails: Content {}

/// An organization with its subscription as it stands today (in the policy's zone).
struct OrganizationResponse: Content {
    struct SubscriptionState: Content {
        /// `active`, `ended` or `not-started`.
        let status: String
        /// The plan in force today; after a lapse, the policy's fallback plan (or none).
        let plan: String?
        let termStart: String
        let termEnd: String
        let automaticRenewal: Bool
        let currentTerm: Term?
        /// The last day notice of non-renewal of the current term may be given.
        let noticeDeadline: String?
        let nonRenewalNotice: String?
        /// The last day covered; absent while the subscription renews.
        let endsOn: String?
        let planChanges: [PlanChange]
        /// The first term and every term recorded since (renewals, extensions, reactivations), by start.
        let terms: [Term]
        /// The last day covered before each reactivation.
        let lapses: [String]
    }

    struct Term: Content {
        let start: String
        let end: String
    }

    struct PlanChange: Content {
        let plan: String
        let effective: String
    }

    struct Contacts: Content {
        let included: Int?
        let used: Int
        let billableOverage: Int
    }

    let id: UUID
    let name: String
    let policy: String
    let region: String
    let casePrefix: String
    let subscription: SubscriptionState
    let authorizedContacts: Contacts

    init(_ organization: Organization, policy: Policy, people: [Person], at instant: Date) throws {
        let subscription = organization.subscription
        let today = try policy.day(at: CaseService.seconds(instant))
        let status: String
        let plan: String?
        switch subscription.coverage(on: today, afterLapse: policy.rules.renewal?.afterLapse ?? "no-support") {
        case .plan(let current): (status, plan) = ("active", current)
        case .fallback(let fallback, _): (status, plan) = ("ended", fallback)
        case .none: (status, plan) = ("ended", nil)
        case .notStarted: (status, plan) = ("not-started", subscription.plan)
        }
        let term = status == "active" ? subscription.term(containing: today) : nil
        let renews = subscription.automaticRenewal && subscription.nonRenewalNotice == nil
        id = organization.id
        name = organization.name
        self.policy = organization.policyID
        region = organization.regionID
        casePrefix = organization.casePrefix
        self.subscription = SubscriptionState(
            status: status, plan: plan, termStart: subscription.termStart.description, termEnd: subscription.termEnd.description,
            automaticRenewal: subscription.automaticRenewal, currentTerm: term.map { Term(start: $0.start.description, end: $0.end.description) },
            noticeDeadline: renews && term != nil ? subscription.term(endedByNoticeOn: today).map {
                Subscription.noticeDeadline(for: $0, noticeDays: policy.rules.renewal?.noticeDays ?? 0).description
            } : nil,
            nonRenewalNotice: subscription.nonRenewalNotice?.description, endsOn: subscription.finalDay?.description,
            planChanges: subscription.planChanges.map { PlanChange(plan: $0.plan, effective: $0.effective.description) },
            terms: subscription.terms.map { Term(start: $0.start.description, end: $0.end.description) },
            lapses: subscription.lapses.map(\.description))
        let contacts = people.filter { $0.role == .authorizedContact && !$0.erased }
        authorizedContacts = Contacts(
            included: plan.flatMap { policy.plan($0)?.entitlements.authorizedContacts?.included },
            used: contacts.count, billableOverage: contacts.filter(\.billableOverage).count)
    }
}

/// One entry of an organization's audit trail.
struct HistoryEntry: Content {
    let at: String
    let actor: UUID?
    let kind: String
    let value: String?
    let effective: String?
    let detail: String

    init(_ event: OrganizationEvent) {
        at = ISO8601.utc(CaseService.seconds(event.at))
        actor = event.actorID
        kind = event.kind
        value = event.value
        effective = event.effective?.description
        detail = event.detail
    }
}

/// `GET /api/v1/organizations/{id}/plan`: what the plan in force promises (see `PlanSummary`).
struct PlanView: Content {
    struct Promise: Content {
        let metric: String
        let name: String
        let target: String
        let measure: String
        let calendar: String
    }

    struct Level: Content {
        let priority: String?
        let name: String?
        let definition: String?
        let promises: [Promise]
    }

    struct Grants: Content {
        let authorizedContacts: Int?
        let extraContactsAtFee: Bool
        let ticketPriority: String?
        let technicalAccountManager: String?
        let businessReviews: [String]
        let premiumCommunity: Bool
        let escalationAdvocate: Bool
        let automationFairPasses: Int
        let dedicatedSupportDesk: Bool
        let priorityQueue: Bool
        let notes: [String]
    }

    struct RenewalTerms: Content {
        let automatic: Bool
        let noticeDays: Int
        let afterLapse: String
    }

    let policy: String
    let policyName: String
    let policyVersion: String
    let plan: String
    let planName: String
    /// `active`, `ended` (a fallback plan after a lapse) or `not-started`.
    let status: String
    let hours: String
    let priorities: [Level]
    let entitlements: Grants
    let reopenWithinDays: Int
    let renewal: RenewalTerms?

    init(_ summary: PlanSummary, status: String) {
        policy = summary.policy
        policyName = summary.policyName
        policyVersion = summary.policyVersion
        plan = summary.plan
        planName = summary.planName
        self.status = status
        hours = summary.hours
        priorities = summary.priorities.map { level in
            Level(priority: level.priority, name: level.name, definition: level.definition,
                  promises: level.promises.map { Promise(metric: $0.metric, name: $0.metricName, target: $0.target, measure: $0.measure, calendar: $0.calendar) })
        }
        let grants = summary.entitlements
        entitlements = Grants(
            authorizedContacts: grants.authorizedContacts?.included, extraContactsAtFee: grants.authorizedContacts?.extraAtFee ?? false,
            ticketPriority: grants.ticketPriority, technicalAccountManager: grants.technicalAccountManager, businessReviews: grants.businessReviews,
            premiumCommunity: grants.premiumCommunity, escalationAdvocate: grants.escalationAdvocate, automationFairPasses: grants.automationFairPasses,
            dedicatedSupportDesk: grants.dedicatedSupportDesk, priorityQueue: grants.priorityQueue, notes: grants.notes)
        reopenWithinDays = summary.reopenWithinDays
        renewal = summary.renewal.map { RenewalTerms(automatic: $0.automatic, noticeDays: $0.noticeDays, afterLapse: $0.afterLapse) }
    }
}
