public import AccordCore
public import BusinessTime
public import Foundation

/// A customer organization and its subscription to a policy's plan.
public struct Organization: Sendable, Equatable {
    public let id: UUID
    public let name: String
    public let policyID: String
    public let regionID: String
    /// Prefix of readable case numbers, e.g. `PLM` in `PLM-2026-000123`.
    public let casePrefix: String
    public let subscription: Subscription
}

/// A customer organization with its technical account manager (`AccountRole.tam`): what logging a
/// case and its answer need of the customer.
public struct Customer: Sendable, Equatable {
    public let organization: Organization
    public let tam: UUID?

    public init(organization: Organization, tam: UUID?) {
        self.organization = organization
        self.tam = tam
    }
}

/// One entry of an organization's audit trail: `created`, `plan-change`, `non-renewal-notice`,
/// `person-added`, `billable-overage`, `person-erased`, `priority-senders`, `primary-contact`, `tam`.
public struct OrganizationEvent: Sendable, Equatable {
    public let at: Date
    public let actorID: UUID?
    public let kind: String
    public let value: String?
    public let effective: LocalDate?
    public let detail: String

    public init(at: Date, actorID: UUID?, kind: String, value: String? = nil, effective: LocalDate? = nil, detail: String) {
        self.at = at
        self.actorID = actorID
        self.kind = kind
        self.value = value
        self.effective = effective
        self.detail = detail
    }
}

/// What a person is to the desk.
public enum Role: String, Sendable, Codable, CaseIterable {
    case user
    case authorizedContact = "authorized-contact"
    case agent
    /// A technical account manager.
    case tam
    case manager
    case admin

    public var isStaff: Bool { self != .user && self != .authorizedContact }

    /// The provider's roles.
    public static let staff: Set<Role> = [.agent, .tam, .manager, .admin]
}

public struct Person: Sendable, Codable, Equatable {
    public let id: UUID
    public let organizationID: UUID?
    public let name: String
    public let email: String
    public let role: Role
    /// The tier of a provider agent (1, 2, 3).
    public let tier: Int?
    /// An authorized contact beyond the plan's allowance, billed as an overage.
    public let billableOverage: Bool
    /// Whether the person's personal data was erased on request.
    public let erased: Bool
    /// Whether the person was deactivated: they cannot sign in and hold no tokens until reactivated.
    public let deactivated: Bool
}

/// One entry of a person's history: a change of role, tier, email or name, a deactivation.
public struct PersonEvent: Sendable, Equatable {
    public let at: Date
    public let actorID: UUID?
    public let kind: String
    public let detail: String

    public init(at: Date, actorID: UUID?, kind: String, detail: String) {
        self.at = at
        self.actorID = actorID
        self.kind = kind
        self.detail = detail
    }
}

/// A change to a person; fields left nil stay as they are.
public struct PersonChange: Sendable {
    public var name: String?
    public var email: String?
    public var role: Role?
    /// The agent's tier; `.some(nil)` clears it (a manager works in none).
    public var tier: Int??

    public init(name: String? = nil, email: String? = nil, role: Role? = nil, tier: Int?? = nil) {
        self.name = name
        self.email = email
        self.role = role
        self.tier = tier
    }
}

/// The plan's allowance of authorized contacts, checked inside the write that adds one.
public struct ContactAllowance: Sendable {
    public let included: Int
    public let extraAtFee: Bool
    /// The request accepts the fee for a contact beyond the allowance.
    public let feeAcknowledged: Bool

    public init(included: Int, extraAtFee: Bool, feeAcknowledged: Bool) {
        self.included = included
        self.extraAtFee = extraAtFee
        self.feeAcknowledged = feeAcknowledged
    }

    /// The allowance a plan grants (`contacts`); nil when the plan limits no contacts.
    public init?(_ contacts: AuthorizedContacts?, feeAcknowledged: Bool) {
        guard let contacts else { return nil }
        self.init(included: contacts.included, extraAtFee: contacts.extraAtFee, feeAcknowledged: feeAcknowledged)
    }
}

/// The intake details of a case beyond title and description.
public struct CaseDetails: Sendable, Codable, Equatable {
    public var product: String?
    public var version: String?
    public var servicePack: String?
    public var stepsToReproduce: String?
    public var englishConsent: Bool?
    public var nda = false
    /// The CVSS base score of a vulnerability case.
    public var cvss: Double?
    public var contactName: String?
    public var contactPhone: String?
    public var contactEmail: String?
    public var apps: String?

    public init(product: String? = nil, version: String? = nil, servicePack: String? = nil, stepsToReproduce: String? = nil,
                englishConsent: Bool? = nil, nda: Bool = false, cvss: Double? = nil, contactName: String? = nil,
                contactPhone: String? = nil, contactEmail: String? = nil, apps: String? = nil) {
        self.product = product
        self.version = version
        self.servicePack = servicePack
        self.stepsToReproduce = stepsToReproduce
        self.englishConsent = englishConsent
        self.nda = nda
        self.cvss = cvss
        self.contactName = contactName
        self.contactPhone = contactPhone
        self.contactEmail = contactEmail
        self.apps = apps
    }
}

/// A support case as stored.
public struct SupportCase: Sendable, Codable, Equatable {
    public let id: UUID
    public let number: String
    public let organizationID: UUID
    public let requesterID: UUID
    public let title: String
    public let description: String
    public let priority: String?
    public let channel: String
    public let status: String
    public let policyID: String
    public let policyVersion: String
    public let planID: String
    public let regionID: String
    public let loggedAt: Date
    public let details: CaseDetails
    /// The product version is older than the policy supports.
    public let unsupportedVersion: Bool
    /// The classification of an out-of-scope request (`consultancy`).
    public let outOfScope: String?
    /// Incremented by every change; the API's ETag.
    public let version: Int
    /// Where the case is worked: team, tier, queue, assignee.
    public let work: CaseWork
}

/// Where a case is worked and by whom: the team and tier it waits with, its place-deciding facts
/// (priority queue, plan rank, priority rank, language), the agent who took it and, on escalated
/// cases of plans that grant one, the internal advocate.
public struct CaseWork: Sendable, Codable, Equatable {
    public var team: String?
    public var tier: Int
    public var inPriorityQueue: Bool
    /// The plan's ticket priority as a rank, 0 first (`highest`).
    public var planRank: Int
    /// The case priority's place in the policy's list, 0 most urgent.
    public var priorityRank: Int
    public var language: String?
    /// The support address the case was sent to.
    public var mailbox: String?
    public var assigneeID: UUID?
    public var assignedAt: Date?
    public var advocateID: UUID?

    /// The queue the case waits in: `priority` or `standard`.
    public var queue: String { inPriorityQueue ? "priority" : "standard" }

    public init(team: String?, tier: Int = 1, inPriorityQueue: Bool = false, planRank: Int = 2, priorityRank: Int = 0, language: String? = nil,
                mailbox: String? = nil, assigneeID: UUID? = nil, assignedAt: Date? = nil, advocateID: UUID? = nil) {
        self.team = team
        self.tier = tier
        self.inPriorityQueue = inPriorityQueue
        self.planRank = planRank
        self.priorityRank = priorityRank
        self.language = language
        self.mailbox = mailbox
        self.assigneeID = assigneeID
        self.assignedAt = assignedAt
        self.advocateID = advocateID
    }
}

/// What the desk asks the store to record for a new case.
public struct NewCaseRecord: Sendable {
    public var organization: Organization
    /// The plan in force when the case was logged (a lapsed subscription's fallback plan, for example).
    public var planID: String
    public var requesterID: UUID
    public var title: String
    public var description: String
    public var priority: String?
    public var channel: String
    public var policyVersion: String
    public var loggedAt: Date
    public var details: CaseDetails
    public var unsupportedVersion: Bool
    public var watchers: [NewWatcher]
    public var clocks: [StoredClock]
    /// The region the case is served in: the customer's, or the one its support mailbox names.
    public var regionID: String
    /// Where the case goes; `routingReasons` become the body of its `routed` event.
    public var work: CaseWork
    public var routingReasons: [String]
    /// Notices the new case sends (a mailed case's acknowledgement), made with the new case's id
    /// and written with it.
    public var notices: [@Sendable (UUID) throws -> OutboxEntry] = []
    /// The message taken in by mail that this case is: marked processed in the same transaction.
    public var inboundMail: InboundMailOutcome?
    /// For a case brought from another desk (`accord import cases`): what happened to it there.
    public var history: ImportedHistory?

    public init(organization: Organization, planID: String, requesterID: UUID, title: String, description: String, priority: String?,
                channel: String, policyVersion: String, loggedAt: Date, details: CaseDetails, unsupportedVersion: Bool,
                watchers: [NewWatcher], clocks: [StoredClock], work: CaseWork = CaseWork(team: nil), routingReasons: [String] = []) {
        self.organization = organization
        self.planID = planID
        self.requesterID = requesterID
        self.title = title
        self.description = description
        self.priority = priority
        self.channel = channel
        self.policyVersion = policyVersion
        self.loggedAt = loggedAt
        self.details = details
        self.unsupportedVersion = unsupportedVersion
        self.watchers = watchers
        self.clocks = clocks
        self.work = work
        self.routingReasons = routingReasons
        self.regionID = organization.regionID
    }
}

/// What happened to an imported case before it came to this desk: its id there (the key that makes
/// an import idempotent), its status now, its timeline after it was logged — each event at its own
/// time — and when it was imported: the SLA monitor is given only the alarms still to come.
public struct ImportedHistory: Sendable {
    public var externalID: String
    public var status: String
    /// The events after `logged`, in order; their sequence numbers are given when stored.
    public var events: [CaseEvent]
    public var importedAt: Date
    /// The team the case reached when it was logged — before any escalation of `events` — which
    /// its `routed` event names (the case's team now is in its work).
    public var routedTo: String?

    public init(externalID: String, status: String, events: [CaseEvent], importedAt: Date, routedTo: String?) {
        self.externalID = externalID
        self.status = status
        self.events = events
        self.importedAt = importedAt
        self.routedTo = routedTo
    }
}

/// What an import did with one case: made it, or found it made by an earlier import.
public enum ImportOutcome: Sendable, Equatable {
    case created(number: String)
    case existing(number: String)
}

/// How a case changes along with an appended event.
public struct CaseChange: Sendable {
    public var status: String?
    public var priority: String??
    public var outOfScope: String?
    public var watchers: [NewWatcher] = []
    /// The new priority's place in the policy's list, with a priority change.
    public var priorityRank: Int?
    /// Where the case is worked from now on (an escalation or assignment).
    public var work: CaseWork?
    /// Notifications to send because of the change, written to the outbox in the same transaction.
    public var outbox: [OutboxEntry]
    /// The message taken in by mail that this change is (a reply by mail): marked processed in
    /// the same transaction, so a server dying after the commit never adds it twice.
    public var inboundMail: InboundMailOutcome?

    public init(status: String? = nil, priority: String?? = nil, priorityRank: Int? = nil, outOfScope: String? = nil, watchers: [NewWatcher] = [],
                work: CaseWork? = nil, outbox: [OutboxEntry] = []) {
        self.status = status
        self.outbox = outbox
        self.work = work
        self.priority = priority
        self.priorityRank = priorityRank
        self.outOfScope = outOfScope
        self.watchers = watchers
    }
}

/// What a message taken in by mail became, recorded with the write that made it so.
public struct InboundMailOutcome: Sendable, Equatable {
    public let mailID: UUID
    /// `case-created`, `reply-added`.
    public let outcome: String
    /// The message's files, already in the attachment store: recorded on the case in the same
    /// transaction, so a case or a reply never exists without the files its message brought.
    public let files: [MailedFile]

    public init(mailID: UUID, outcome: String, files: [MailedFile] = []) {
        self.mailID = mailID
        self.outcome = outcome
        self.files = files
    }

    /// The message's files as recorded on case `caseID` at `instant`.
    func attachments(on caseID: UUID, at instant: Date) -> [Attachment] {
        files.map { file in
            Attachment(id: .timeOrdered(), caseID: caseID, filename: file.filename, contentType: file.contentType, size: file.size,
                       sha256: file.sha256, uploadedBy: file.uploadedBy, uploadedAt: instant)
        }
    }
}

/// A message as delivered, to be stored raw (`DeskStore.receiveMail`).
public struct ReceivedMail: Sendable {
    let id: UUID
    let digest: String
    let raw: Data
    let recipient: String?
    let sender: String?
    let subject: String?
    let messageID: String?
    /// When the desk's mail server accepted it.
    let at: Date
    /// Seconds the receiving server has to process it before another may.
    let lease: TimeInterval
}

/// A file a message brought, kept in the attachment store under its SHA-256.
public struct MailedFile: Sendable, Equatable {
    public let filename: String
    public let contentType: String
    public let size: Int
    public let sha256: String
    public let uploadedBy: UUID

    public init(filename: String, contentType: String, size: Int, sha256: String, uploadedBy: UUID) {
        self.filename = filename
        self.contentType = contentType
        self.size = size
        self.sha256 = sha256
        self.uploadedBy = uploadedBy
    }
}

/// An agent asking for the next case of one of its teams' queues.
public struct TakeRequest: Sendable {
    public let agentID: UUID
    public let policyID: String
    public let teamID: String
    public let tier: Int
    /// The agent's languages in the team; empty takes cases in any language.
    public let languages: [String]
    /// The policy's queue order.
    public let order: [QueueOrderKey]
    public let instant: Date

    public init(agentID: UUID, policyID: String, teamID: String, tier: Int, languages: [String], order: [QueueOrderKey], instant: Date) {
        self.agentID = agentID
        self.policyID = policyID
        self.teamID = teamID
        self.tier = tier
        self.languages = languages
        self.order = order
        self.instant = instant
    }
}

/// One of a person's API tokens as listed: never its secret, which is shown once when made.
public struct TokenInfo: Sendable, Equatable, Codable {
    public let id: UUID
    public let label: String
    public let createdAt: Date

    public init(id: UUID, label: String, createdAt: Date) {
        self.id = id
        self.label = label
        self.createdAt = createdAt
    }
}

/// A notification for the outbox: its event (`customer.late-notice`, …) and its JSON payload.
public struct OutboxEntry: Sendable, Equatable {
    public let event: String
    public let payload: String

    public init(event: String, payload: String) {
        self.event = event
        self.payload = payload
    }
}

/// Someone following a case: a CC address or a case-team contact.
public struct NewWatcher: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case cc
        case team

        /// The kind stored in `case_watchers.kind` (only `cc` or `team` are written; anything else reads as a CC).
        init(stored text: String) {
            self = Kind(rawValue: text) ?? .cc
        }
    }

    public let email: String
    public let personID: UUID?
    public let kind: Kind

    public init(email: String, personID: UUID?, kind: Kind) {
        self.email = email
        self.personID = personID
        self.kind = kind
    }
}

public struct CaseWatcher: Sendable, Codable, Equatable {
    public let email: String
    public let personID: UUID?
    public let kind: NewWatcher.Kind
    public let addedBy: UUID?
    public let addedAt: Date
}

/// A file attached to a case, stored on disk under its SHA-256.
public struct Attachment: Sendable, Codable, Equatable {
    public let id: UUID
    public let caseID: UUID
    public let filename: String
    public let contentType: String
    public let size: Int
    public let sha256: String
    public let uploadedBy: UUID?
    public let uploadedAt: Date
    /// When the file was erased with its uploader's personal data: its name and bytes are gone.
    public let erasedAt: Date?
    /// Sent by staff with an internal note: the customer's people never see it.
    public let isInternal: Bool

    public init(id: UUID, caseID: UUID, filename: String, contentType: String, size: Int, sha256: String, uploadedBy: UUID?, uploadedAt: Date,
                erasedAt: Date? = nil, isInternal: Bool = false) {
        self.erasedAt = erasedAt
        self.isInternal = isInternal
        self.id = id
        self.caseID = caseID
        self.filename = filename
        self.contentType = contentType
        self.size = size
        self.sha256 = sha256
        self.uploadedBy = uploadedBy
        self.uploadedAt = uploadedAt
    }
}

/// One entry of a case's timeline.
public struct CaseEvent: Sendable, Codable, Equatable {
    public let sequence: Int
    public let at: Date
    public let actorID: UUID?
    /// `logged`, `public-reply`, `internal-note`, `customer-message`, `status-change`, `priority-change`,
    /// `defect-confirmed`, `patch-available`.
    public let kind: String
    public let value: String?
    public let body: String?

    public init(sequence: Int, at: Date, actorID: UUID?, kind: String, value: String? = nil, body: String? = nil) {
        self.sequence = sequence
        self.at = at
        self.actorID = actorID
        self.kind = kind
        self.value = value
        self.body = body
    }
}

/// A clock as last derived, kept for indexed "what breaches next" queries.
public struct StoredClock: Sendable, Codable, Equatable {
    public let metric: String
    public let target: String?
    public let due: Date?
    public let state: String
    /// What the SLA monitor raises while the clock counts (warnings, then the breach).
    public let alarms: [ClockAlarm]
    /// Time used by a decided clock (met or breached), pauses excluded, in seconds of `measure`:
    /// what attainment reports sum up without replaying the case.
    public let used: Int64?
    /// `business` (open time of the case's calendar) or `calendar` (elapsed time), with `used`.
    public let measure: String?

    public init(metric: String, target: String?, due: Date?, state: String, alarms: [ClockAlarm] = [], used: Int64? = nil, measure: String? = nil) {
        self.metric = metric
        self.target = target
        self.due = due
        self.state = state
        self.alarms = alarms
        self.used = used
        self.measure = measure
    }
}

/// What an erasure did: the erased person (none for an outsider's address), how many CC and
/// timeline entries named the address, and the stored files no attachment needs any more — the
/// caller deletes them after the commit.
public struct Erasure: Sendable {
    public let person: Person?
    public let addressesReplaced: Int
    public let orphanedFiles: [String]
}

/// Why the store refused a write.
public enum StoreError: Error, Equatable, Sendable {
    case notFound(String)
    case conflict(String)
    case staleVersion(expected: Int, actual: Int)
    /// A limit of the customer's plan; the message says how to proceed.
    case limit(String)
}

extension StoreError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .notFound(let what): "no \(what)"
        case .conflict(let detail), .limit(let detail): detail
        case .staleVersion(let expected, let actual): "the record changed meanwhile (version \(actual), expected \(expected))"
        }
    }
}

/// One stored version of a policy.
public struct StoredPolicy: Sendable, Equatable {
    public let policyID: String
    public let version: String
    public let yaml: String
    public let uploadedBy: UUID?
    public let uploadedAt: Date
    public let publishedAt: Date?
    /// New cases are logged under this version.
    public let current: Bool
}

/// A case as it was just logged: the record with its first event and its watchers, so the answer
/// to the caller needs no second read.
public struct LoggedCase: Sendable {
    public let supportCase: SupportCase
    public let events: [CaseEvent]
    public let watchers: [CaseWatcher]
}
