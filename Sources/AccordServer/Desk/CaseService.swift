import AccordCore
import AccordStore
import BusinessTime
import Foundation
import Vapor

/// The case desk's rules on top of the store: intake, lifecycle, clocks and visibility, all read
/// from the policy. The server reads the clock here and hands `now` to the pure layers.
struct CaseService: Sendable {
    let store: DeskStore
    let catalog: PolicyCatalog
    let now: @Sendable () -> Date
    /// Whether the desk mails the customer's side (a mail transport is configured): only then are
    /// acknowledgements, public replies and status changes written to the outbox for them.
    var customerMail = false

    // MARK: Visibility

    /// Whether `person` may see `supportCase`: staff always; the requester, CC'd people and the
    /// case team; others of the organization as the policy's visibility says.
    func canSee(_ supportCase: SupportCase, _ person: Person) async throws -> Bool {
        if person.role.isStaff { return true }
        if supportCase.requesterID == person.id { return true }
        if try await store.isWatching(supportCase.id, personID: person.id) { return true }
        guard person.organizationID == supportCase.organizationID else { return false }
        switch try await catalog.current(supportCase.policyID, store: store).rules.visibility {
        case .organization: return true
        case .authorizedContactsOversee: return person.role == .authorizedContact
        case .requesterOnly: return false
        }
    }

    /// The case if it exists and `person` may see it; otherwise 404 (existence is not revealed).
    func visibleCase(_ id: UUID, for person: Person) async throws -> SupportCase {
        guard let supportCase = try await store.supportCase(id), try await canSee(supportCase, person) else {
            throw StoreError.notFound("case \(id)")
        }
        return supportCase
    }

    /// The list filter that limits `person` to what they may see.
    func visibilityFilter(for person: Person) async throws -> CaseFilter {
        var filter = CaseFilter()
        if person.role.isStaff { return filter }
        guard let organizationID = person.organizationID else {
            filter.requesterIDs = [person.id]
            return filter
        }
        // Own and watched cases, and others of the organization only where the policy grants it —
        // the same rule as `canSee`.
        var policies: [String] = []
        for (id, policy) in try await catalog.currentPolicies(store: store) {
            switch policy.rules.visibility {
            case .organization: policies.append(id)
            case .authorizedContactsOversee where person.role == .authorizedContact: policies.append(id)
            default: break
            }
        }
        filter.visibleTo = .init(personID: person.id, organizationID: organizationID, policyIDs: policies)
        return filter
    }

    // MARK: Intake

    struct NewCase: Content {
        var title: String
        var description: String
        var priority: String?
        var channel: String
        /// Staff logging on a customer's behalf name the requester.
        var requester: UUID?
        var product: String?
        var version: String?
        var servicePack: String?
        var stepsToReproduce: String?
        var englishConsent: Bool?
        var nda: Bool?
        var cvss: Double?
        var contactName: String?
        var contactPhone: String?
        var contactEmail: String?
        var apps: String?
        /// Addresses to copy on the case's correspondence.
        var cc: [String]?
        /// The support address a mailed case was sent to; it may name the region (PLM Group's countries).
        var mailbox: String?
        /// The case's language (ISO 639-1); without it, the region's first language.
        var language: String?

        static let fields: Set<String> = ["title", "description", "priority", "channel", "requester", "product", "version", "servicePack",
                             "stepsToReproduce", "englishConsent", "nda", "cvss", "contactName", "contactPhone", "contactEmail", "apps", "cc",
                             "mailbox", "language"]

        var details: CaseDetails {
            CaseDetails(product: product, version: version, servicePack: servicePack, stepsToReproduce: stepsToReproduce,
                        englishConsent: englishConsent, nda: nda ?? false, cvss: cvss, contactName: contactName, contactPhone: contactPhone,
                        contactEmail: contactEmail, apps: apps)
        }

        /// The value of a policy's required-information field, by its policy name.
        func value(of field: String) -> String? {
            switch field {
            case "contact-name": contactName
            case "phone": contactPhone
            case "email": contactEmail
            case "version": version
            case "service-pack": servicePack
            case "english-consent": englishConsent.map { $0 ? "yes" : "no" }
            case "description": description
            case "steps-to-reproduce": stepsToReproduce
            case "apps": apps
            case "product": product
            default: nil
            }
        }

        /// The API field that carries a policy's required-information field.
        static func apiField(_ field: String) -> String {
            switch field {
            case "contact-name": "contactName"
            case "phone": "contactPhone"
            case "email": "contactEmail"
            case "service-pack": "servicePack"
            case "english-consent": "englishConsent"
            case "steps-to-reproduce": "stepsToReproduce"
            case "screenshots": "attachments"
            default: field
            }
        }
    }

    static let channels = ["web", "email", "phone", "chat"]

    /// How a case that came by mail differs: it is logged when the desk's mail server accepted the
    /// message, missing required information is asked for in the acknowledgement instead of
    /// refusing the case, and the sender counts for the priority queue only when the desk's mail
    /// server confirmed it (a From line is easily forged).
    struct MailArrival: Sendable {
        var acceptedAt: Date
        var senderConfirmed: Bool
        /// The stored message, marked processed with the new case in one transaction.
        var mailID: UUID
        /// Its files, recorded on the case in that transaction.
        var files: [MailedFile]
    }

    /// Logs a case, and returns it with the customer's technical account manager (read with the customer).
    func log(_ new: NewCase, by caller: Person, mail: MailArrival? = nil) async throws -> (logged: LoggedCase, tam: UUID?) {
        var errors: [Problem.FieldProblem] = []
        if Self.isBlank(new.title) { errors.append(.init(field: "title", detail: "must not be empty")) }
        if Self.isBlank(new.description) { errors.append(.init(field: "description", detail: "must not be empty")) }
        if !Self.channels.contains(new.channel) {
            errors.append(.init(field: "channel", detail: "unknown channel '\(new.channel)'; channels: \(Self.channels.joined(separator: ", "))"))
        }
        if new.title.count > 500 { errors.append(.init(field: "title", detail: "at most 500 characters")) }
        if let cvss = new.cvss, !(0...10).contains(cvss) { errors.append(.init(field: "cvss", detail: "a CVSS score runs from 0.0 to 10.0, not \(cvss)")) }
        if let language = new.language, !Self.isLanguageCode(language) {
            errors.append(.init(field: "language", detail: "'\(language)' is not a language code such as en, de or no"))
        }
        if let mailbox = new.mailbox, !Self.isEmail(mailbox) { errors.append(.init(field: "mailbox", detail: "'\(mailbox)' is not an email address")) }
        for (index, address) in (new.cc ?? []).enumerated() where !Self.isEmail(address) {
            errors.append(.init(field: "cc[\(index)]", detail: "'\(address)' is not an email address"))
        }
        guard errors.isEmpty else { throw Problem(.unprocessableEntity, "the case has invalid fields", errors: errors) }

        let requester: Person
        if caller.role.isStaff {
            guard let id = new.requester, let person = try await store.person(id) else {
                throw Problem(.unprocessableEntity, "staff logging a case must name an existing requester", field: "requester")
            }
            requester = person
        } else {
            if new.requester != nil && new.requester != caller.id {
                throw Problem(.forbidden, "customers log cases for themselves; leave 'requester' out", field: "requester")
            }
            requester = caller
        }
        guard let organizationID = requester.organizationID, let customer = try await store.customer(organizationID) else {
            throw Problem(.unprocessableEntity, "the requester belongs to no customer organization", field: "requester")
        }
        let (organization, tam) = (customer.organization, customer.tam)
        let policy = try await catalog.current(organization.policyID, store: store)
        let loggedAt = mail?.acceptedAt ?? now()
        let plan = try effectivePlan(organization, policy, at: loggedAt)
        try checkPriority(new.priority, policy)
        do {
            try checkIntake(policy, priority: new.priority, requester: requester, channel: new.channel)
        } catch var problem as Problem where problem.field == nil && requester.role == .user {
            // Refused for who they are: name who in their organization may log it.
            let contacts = try await store.people(in: organizationID).filter { $0.role == .authorizedContact && !$0.erased && !$0.deactivated }
            problem.detail += contacts.isEmpty
                ? "; \(organization.name) has no authorized contact yet: ask your support provider to name one"
                : "; the authorized contacts of \(organization.name) are " + contacts.map { "\($0.name) <\($0.email)>" }.joined(separator: ", ")
            throw problem
        }
        if new.channel == "phone" { try checkPhone(policy, plan: plan, priority: new.priority, caller: caller, at: loggedAt) }
        if mail == nil { try checkRequiredInformation(new, policy) }
        let unsupported = new.version.flatMap(Int.init).map { version in policy.rules.supportedVersions.map { !$0.isSupported(version) } ?? false } ?? false
        var watchers: [NewWatcher] = []
        for address in Set((new.cc ?? []).map { $0.lowercased() }).sorted() {
            watchers.append(NewWatcher(email: address, personID: try await store.person(email: address)?.id, kind: .cc))
        }
        let routing = try await WorkRouting(store: store).route(new, requester: requester, organization: organization, plan: plan, policy: policy,
                                                                senderConfirmed: mail.map(\.senderConfirmed), at: loggedAt)
        let timeline = CaseTimeline(loggedAt: Self.seconds(loggedAt), priority: new.priority, cvss: new.cvss)
        let clocks = try storedClocks(policy, plan: plan, region: routing.decision.region, timeline: timeline, at: loggedAt)
        var record = NewCaseRecord(
            organization: organization, planID: plan, requesterID: requester.id, title: new.title, description: new.description,
            priority: new.priority, channel: new.channel, policyVersion: policy.version, loggedAt: loggedAt, details: new.details,
            unsupportedVersion: unsupported, watchers: watchers, clocks: clocks, work: routing.work, routingReasons: routing.reasons)
        record.regionID = routing.decision.region
        if let mail {
            // Acknowledged by mail (to the requester and CC watchers), and the message marked done with the case.
            if customerMail {
                record.notices = [{ caseID in try CustomerMail(caseID: caseID, sequence: nil).entry(CustomerMail.acknowledgement) }]
            }
            record.inboundMail = InboundMailOutcome(mailID: mail.mailID, outcome: "case-created", files: mail.files)
        }
        return (try await store.createCase(record), tam)
    }

    /// An ISO 639 language code as the policies write them: `en`, `de`, `no`.
    static func isLanguageCode(_ text: String) -> Bool {
        text.range(of: "^[a-z]{2,3}$", options: .regularExpression) != nil
    }

    /// An address as people write them: a local part, `@`, and a domain of one or more labels
    /// (`admin@localhost`, the first administrator's, has one); no spaces, no control characters.
    /// `text` without white space at its ends, found from both ends (no copy through Foundation).
    static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }

    /// Whether `text` holds nothing but white space — found at its first visible character, where
    /// trimming a long description would copy all of it.
    static func isBlank(_ text: String) -> Bool {
        !text.unicodeScalars.contains { !$0.properties.isWhitespace }
    }

    /// `local@domain.labels`: one '@', a local part and dot-separated domain labels, none empty,
    /// with no white space or control character anywhere — the regular expression
    /// `^[^@\s\p{Cc}]+@[^@\s\p{Cc}.]+(\.[^@\s\p{Cc}.]+)*$`, without compiling one per call
    /// (checked against it in `EmailAddressCheckTests`).
    static func isEmail(_ text: String) -> Bool {
        var sawAt = false
        var localLength = 0
        var labelLength = 0
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace || scalar.properties.generalCategory == .control { return false }
            if scalar == "@" {
                if sawAt || localLength == 0 { return false }
                sawAt = true
            } else if !sawAt {
                localLength += 1
            } else if scalar == "." {
                if labelLength == 0 { return false }
                labelLength = 0
            } else {
                labelLength += 1
            }
        }
        return sawAt && labelLength > 0
    }

    /// The policy's required information, each missing or malformed field named (422).
    func checkRequiredInformation(_ new: NewCase, _ policy: Policy) throws {
        let errors = missingInformation(new, policy)
        guard errors.isEmpty else {
            throw Problem(.unprocessableEntity, "\(policy.name) needs more information: \(errors.map(\.field).joined(separator: ", "))", errors: errors)
        }
    }

    /// The policy's required information that `new` lacks or gives malformed, by API field.
    func missingInformation(_ new: NewCase, _ policy: Policy) -> [Problem.FieldProblem] {
        var errors: [Problem.FieldProblem] = []
        for required in policy.rules.requiredInformation {
            let field = NewCase.apiField(required.field)
            let value = new.value(of: required.field).map(Self.trimmed)
            guard let value, !value.isEmpty else {
                // Screenshots arrive as attachments after logging; only fields of the request are checked here.
                if required.required && field != "attachments" {
                    errors.append(.init(field: field, detail: "\(required.label) is required by \(policy.name)"))
                }
                continue
            }
            if let pattern = required.pattern, value.range(of: pattern, options: .regularExpression) == nil {
                errors.append(.init(field: field, detail: "\(required.label): '\(value)' does not match \(pattern)"))
            }
        }
        return errors
    }

    /// The plan in force at `instant`: after the subscription ends, the policy's fallback plan or no support at all.
    func effectivePlan(_ organization: Organization, _ policy: Policy, at instant: Date) throws -> String {
        let today = try policy.day(at: Self.seconds(instant))
        switch organization.subscription.coverage(on: today, afterLapse: policy.rules.renewal?.afterLapse ?? "no-support") {
        case .plan(let plan), .fallback(let plan, _):
            return plan
        case .none(let endedOn):
            throw Problem(.forbidden, "the support plan of \(organization.name) ended on \(endedOn) and was not renewed: \(policy.name) gives no support after a lapse")
        case .notStarted(let startsOn):
            throw Problem(.forbidden, "the support plan of \(organization.name) starts on \(startsOn); cases can be logged from then on")
        }
    }

    func checkPriority(_ priority: String?, _ policy: Policy) throws {
        if policy.priorities.isEmpty {
            if let priority { throw Problem(.unprocessableEntity, "policy '\(policy.id)' has no priorities; leave out '\(priority)'", field: "priority") }
            return
        }
        guard let priority else {
            throw Problem(.unprocessableEntity, "priority is required: one of \(policy.priorities.map(\.id).joined(separator: ", "))", field: "priority")
        }
        if policy.priority(priority) == nil {
            throw Problem(.unprocessableEntity, "unknown priority '\(priority)'; priorities: \(policy.priorities.map(\.id).joined(separator: ", "))", field: "priority")
        }
    }

    /// Who may log which priority through which channel, from the policy's intake rules.
    func checkIntake(_ policy: Policy, priority: String?, requester: Person, channel: String) throws {
        let rules = policy.rules.intake.filter { $0.priorities.isEmpty || priority.map($0.priorities.contains) == true }
        guard !rules.isEmpty else { return }
        let roles: [String] = requester.role == .authorizedContact ? ["authorized-contact", "user"] : [requester.role.rawValue]
        let byWho = rules.filter { rule in rule.who.contains { roles.contains($0) } }
        let label = priority.map { "\($0.uppercased()) cases" } ?? "cases"
        guard !byWho.isEmpty else {
            let who = Set(rules.flatMap(\.who)).sorted().joined(separator: " or ")
            throw Problem(.forbidden, "\(policy.name): \(label) may be logged only by \(who); \(requester.email) is a \(requester.role.rawValue)")
        }
        guard byWho.contains(where: { $0.channels.contains(channel) }) else {
            let via = Set(byWho.flatMap(\.channels)).sorted().joined(separator: " or ")
            throw Problem(.forbidden, "\(policy.name): \(label) may be logged only via \(via), not \(channel)", field: "channel")
        }
    }

    /// A phone case is logged by the provider's staff who took the call (or a telephony
    /// integration with a staff token) — a customer cannot claim to have phoned — and only where
    /// the policy's phone support reaches: its plans, its priorities, its hours.
    func checkPhone(_ policy: Policy, plan: String, priority: String?, caller: Person, at instant: Date) throws {
        guard caller.role.isStaff else {
            throw Problem(.forbidden, "phone cases are logged by the provider's staff who take the call; log your case via web", field: "channel")
        }
        guard let phone = policy.rules.phoneSupport else { return }
        if !phone.plans.isEmpty && !phone.plans.contains(plan) {
            throw Problem(.forbidden, "\(policy.name): the \(plan) plan has no phone support (plans with it: \(phone.plans.joined(separator: ", "))); log the case via web", field: "channel")
        }
        if !phone.priorities.isEmpty, !(priority.map(phone.priorities.contains) ?? false) {
            throw Problem(.forbidden, "\(policy.name): phone support takes \(phone.priorities.map { $0.uppercased() }.joined(separator: ", ")) cases only, not \(priority?.uppercased() ?? "cases without priority")", field: "channel")
        }
        let hours = phone.hours(of: plan)
        guard hours != "24x7", let calendar = policy.calendars[hours]?.calendar(forClockStartedAt: Self.seconds(instant)) else { return }
        let now = Self.seconds(instant)
        guard try !calendar.isOpen(at: now) else { return }
        let opens = try calendar.firstOpenInstant(atOrAfter: now)
        throw Problem(.forbidden, "\(policy.name): phone support for the \(plan) plan keeps the hours of '\(hours)' and is closed now; it opens \(ISO8601.format(opens, offset: try calendar.offset(at: opens))); log the case via web meanwhile", field: "channel")
    }

    // MARK: Timeline

    struct NewEvent: Content {
        var kind: String
        var value: String?
        var body: String?
        /// With a status change to resolved: `workaround` or `fix`.
        var resolution: String?

        static let fields: Set<String> = ["kind", "value", "body", "resolution"]
    }

    static let staffKinds: Set<String> = ["public-reply", "internal-note", "priority-change", "defect-confirmed", "patch-available", "out-of-scope",
                                          "rectification-late"]
    static let kinds = ["public-reply", "internal-note", "customer-message", "status-change", "priority-change", "defect-confirmed", "patch-available",
                        "out-of-scope", "rectification-late"]

    /// Events only provider staff read: notes, and how the case was routed and handed over.
    static let internalKinds: Set<String> = ["internal-note", "routed", "assigned", "unassigned", "escalated", "advocate-assigned", "linked", "unlinked"]

    /// Adds an event. With If-Match the case must not have changed since; without it, a write that
    /// raced another is redone on the fresh case, so the stored clocks always follow the whole timeline.
    /// `mail`: the stored message this event is (a reply by mail), marked processed with it, and
    /// its files, recorded on the case with it.
    func add(_ new: NewEvent, to caseID: UUID, by caller: Person, ifMatch: Int?, mail: (id: UUID, files: [MailedFile])? = nil) async throws -> SupportCase {
        var attempt = 1
        while true {
            do {
                return try await addOnce(new, to: caseID, by: caller, ifMatch: ifMatch, mail: mail)
            } catch StoreError.staleVersion where ifMatch == nil && attempt < 10 {
                attempt += 1
            }
        }
    }

    private func addOnce(_ new: NewEvent, to caseID: UUID, by caller: Person, ifMatch: Int?, mail: (id: UUID, files: [MailedFile])?) async throws -> SupportCase {
        let supportCase = try await visibleCase(caseID, for: caller)
        // The case's timeline: read by several rules below and the clocks' before-and-after.
        let events = try await store.events(of: supportCase.id)
        try await CaseRelations(cases: self).refuseIfMerged(supportCase, events: events)
        guard Self.kinds.contains(new.kind) else {
            throw Problem(.unprocessableEntity, "unknown kind '\(new.kind)'; kinds: \(Self.kinds.joined(separator: ", "))", field: "kind")
        }
        if Self.staffKinds.contains(new.kind) && !caller.role.isStaff {
            throw Problem(.forbidden, "only provider staff may add a \(new.kind)")
        }
        if new.kind == "customer-message" && caller.role.isStaff {
            throw Problem(.unprocessableEntity, "staff answer with a public-reply; customer-message is the customer's", field: "kind")
        }
        if new.resolution != nil && !(new.kind == "status-change" && new.value == CaseStatus.resolved.rawValue) {
            throw Problem(.unprocessableEntity, "resolution belongs to a status change to resolved", field: "resolution")
        }
        let policy = try await catalog.policy(supportCase.policyID, version: supportCase.policyVersion, store: store)
        let at = now()
        // The case's facts before this event.
        let history = Self.timeline(of: supportCase, events: events)
        var change = CaseChange()
        var value = new.value
        var extra: [CaseEvent] = []
        switch new.kind {
        case "status-change":
            guard ifMatch != nil else { throw Problem(.preconditionRequired, "a status change needs If-Match with the case's ETag") }
            guard let text = new.value, let next = CaseStatus(rawValue: text) else {
                throw Problem(.unprocessableEntity, "value must be a status: \(CaseStatus.allCases.map(\.rawValue).joined(separator: ", "))", field: "value")
            }
            let current = CaseStatus(rawValue: supportCase.status) ?? .new
            guard current.canMove(to: next) else {
                throw Problem(.conflict, "a \(current.rawValue) case cannot become \(next.rawValue); it can become \(current.successors.map(\.rawValue).joined(separator: ", "))")
            }
            // Customers pause no clock: awaiting them is the provider's call, and their message resumes it.
            if next == .awaitingCustomer && !caller.role.isStaff {
                throw Problem(.forbidden, "only provider staff set a case to awaiting-customer; a message from the customer resumes it", field: "value")
            }
            if next == .resolved {
                value = "resolved:\(try Self.resolution(new.resolution, by: caller).rawValue)"
            }
            if next == .open, current == .resolved || current == .closed {
                try checkReopenWindow(history, policy: policy, at: at)
            }
            change.status = next.rawValue
        case "priority-change":
            guard ifMatch != nil else { throw Problem(.preconditionRequired, "a priority change needs If-Match with the case's ETag") }
            try checkPriority(new.value, policy)
            guard new.value != supportCase.priority else {
                throw Problem(.conflict, "the case is already \(supportCase.priority ?? "without priority")", field: "value")
            }
            change.priority = .some(new.value)
            change.priorityRank = policy.rank(ofPriority: new.value)
            if let rerouted = try await WorkRouting(store: store).reroute(supportCase, to: new.value, policy: policy, by: caller, at: at) {
                change.work = rerouted.work
                extra.append(rerouted.event)
            }
        case "defect-confirmed":
            if let confirmed = history.defectConfirmedAt {
                throw Problem(.conflict, "the defect was already confirmed on \(ISO8601.utc(confirmed)); the rectification period runs from then")
            }
        case "patch-available":
            guard supportCase.details.cvss != nil else {
                throw Problem(.conflict, "the case has no CVSS score, so no patch clock: patch availability applies to vulnerability cases")
            }
            if let recorded = history.patchAvailableAt {
                throw Problem(.conflict, "a patch was already recorded as available since \(ISO8601.utc(recorded)); the patch clock runs from then")
            }
            let since: Int64
            if let text = new.value {
                guard case .instant(let instant)? = ISO8601.parse(text) else {
                    throw Problem(.unprocessableEntity, "value must be when the official patch became available: an ISO 8601 instant with its offset, such as 2026-05-10T09:00:00-04:00", field: "value")
                }
                since = instant
            } else {
                since = Self.seconds(at)
            }
            guard since <= Self.seconds(at) else {
                throw Problem(.unprocessableEntity, "the patch availability \(ISO8601.utc(since)) is in the future; record it once the patch is available", field: "value")
            }
            value = ISO8601.utc(since)
        case "out-of-scope":
            guard let exclusions = policy.rules.scopeExclusions else {
                throw Problem(.unprocessableEntity, "\(policy.name) lists no out-of-scope requests", field: "kind")
            }
            guard supportCase.outOfScope == nil else { throw Problem(.conflict, "the case is already marked \(exclusions.classification)") }
            guard let body = new.body, !Self.isBlank(body) else {
                throw Problem(.unprocessableEntity, "say why the request is out of scope (one of: \(exclusions.items.joined(separator: "; ")))", field: "body")
            }
            value = exclusions.classification
            change.outOfScope = exclusions.classification
        case "rectification-late":
            let notice = try await lateNotice(new, supportCase: supportCase, policy: policy, events: events, by: caller, at: at)
            value = ISO8601.utc(Self.seconds(notice.estimate))
            change.outbox = [try notice.outboxEntry]
        case "public-reply", "internal-note", "customer-message":
            guard let body = new.body, !Self.isBlank(body) else {
                throw Problem(.unprocessableEntity, "a \(new.kind) needs a body", field: "body")
            }
            if new.kind == "public-reply", supportCase.status == CaseStatus.new.rawValue {
                // The first public reply opens a new case; the timeline shows it as its own change.
                change.status = CaseStatus.open.rawValue
                extra.append(CaseEvent(sequence: 0, at: at, actorID: caller.id, kind: "status-change", value: CaseStatus.open.rawValue))
            }
            if new.kind == "customer-message" {
                // The customer's answer hands the case back to the provider: awaiting → open
                // (the paused clocks run again); a resolved case reopens within the policy's window.
                switch CaseStatus(rawValue: supportCase.status) ?? .new {
                case let status where status == .awaitingCustomer || status == .resolved:
                    if status == .resolved { try checkReopenWindow(history, policy: policy, at: at) }
                    change.status = CaseStatus.open.rawValue
                    extra.append(CaseEvent(sequence: 0, at: at, actorID: caller.id, kind: "status-change", value: CaseStatus.open.rawValue))
                case .closed:
                    throw Problem(.conflict, "case \(supportCase.number) is closed and takes no more messages; log a new case (and name \(supportCase.number) in it)")
                default:
                    break
                }
            }
        default:
            break
        }
        var appended = [CaseEvent(sequence: 0, at: at, actorID: caller.id, kind: new.kind, value: value, body: new.body)] + extra
        let timeline = Self.timeline(of: supportCase, events: events + appended)
        let engine = CaseClocks(policy: policy, plan: supportCase.planID, region: supportCase.regionID)
        let derived = try engine.clocks(for: timeline, at: Self.seconds(at))
        if new.kind == "priority-change" {
            let before = try engine.clocks(for: history, at: Self.seconds(at))
            if let explanation = Self.retargeting(before: before, after: derived, policy: policy, at: Self.seconds(at)) {
                appended.append(CaseEvent(sequence: 0, at: at, actorID: caller.id, kind: "retargeted", value: new.value, body: explanation))
            }
        }
        // The customer's side hears of a public reply and of a case resolved or awaiting them, by mail.
        let sequence = (events.map(\.sequence).max() ?? 0) + 1
        if customerMail && new.kind == "public-reply" {
            change.outbox.append(try CustomerMail(caseID: caseID, sequence: sequence).entry(CustomerMail.reply))
        } else if customerMail, new.kind == "status-change", caller.role.isStaff,
                  [CaseStatus.resolved.rawValue, CaseStatus.awaitingCustomer.rawValue].contains(new.value ?? "") {
            change.outbox.append(try CustomerMail(caseID: caseID, sequence: sequence).entry(CustomerMail.status))
        }
        if let mail { change.inboundMail = InboundMailOutcome(mailID: mail.id, outcome: "reply-added", files: mail.files) }
        return try await store.append(appended, to: caseID, expectedVersion: ifMatch ?? supportCase.version, change: change,
                                      clocks: Self.stored(derived))
    }

    /// What changing the case's priority to `priority` now would do to each clock, before it is
    /// saved: the clocks as they are and as they would be, by the same engine and rules as the
    /// change itself (staff only; a priority the policy lacks is refused as the change would be).
    /// A priority change worked out but not saved: the case and policy it was worked out on, and
    /// every clock before and after.
    struct PriorityPreview: Sendable {
        let supportCase: SupportCase
        let policy: Policy
        let before: [CaseClocks.Clock]
        let after: [CaseClocks.Clock]
    }

    func previewPriority(_ priority: String?, of caseID: UUID, by caller: Person) async throws -> PriorityPreview {
        guard caller.role.isStaff else { throw Problem(.forbidden, "only provider staff change a case's priority") }
        let supportCase = try await visibleCase(caseID, for: caller)
        let policy = try await catalog.policy(supportCase.policyID, version: supportCase.policyVersion, store: store)
        try checkPriority(priority, policy)
        guard priority != supportCase.priority else {
            throw Problem(.conflict, "the case is already \(supportCase.priority ?? "without priority")", field: "value")
        }
        let events = try await store.events(of: caseID)
        let at = now()
        let engine = CaseClocks(policy: policy, plan: supportCase.planID, region: supportCase.regionID)
        let before = try engine.clocks(for: Self.timeline(of: supportCase, events: events), at: Self.seconds(at))
        let change = CaseEvent(sequence: 0, at: at, actorID: caller.id, kind: "priority-change", value: priority)
        let after = try engine.clocks(for: Self.timeline(of: supportCase, events: events + [change]), at: Self.seconds(at))
        return PriorityPreview(supportCase: supportCase, policy: policy, before: before, after: after)
    }

    /// What a priority change did to the clocks that were counting, in words the customer and the
    /// agent can check: each clock's new target, from when it counts and why, its new due, and
    /// whether that due has already passed. Nil when no counting clock changed.
    static func retargeting(before: [CaseClocks.Clock], after: [CaseClocks.Clock], policy: Policy, at now: Int64) -> String? {
        var lines: [String] = []
        for clock in after {
            guard let retarget = clock.retarget, retarget.at == now, let status = clock.status, let target = clock.target else { continue }
            let old = before.first { $0.metric == clock.metric }
            let name = policy.metric(clock.metric)?.name ?? clock.metric
            let direction = retarget.upgrade ? "an upgrade" : "a downgrade"
            let from = retarget.rule == .fromChange
                ? "counts from the change at \(ISO8601.utc(status.clockStart)) (\(policy.name) re-targets \(direction) from the change)"
                : "counts from the clock's start at \(ISO8601.utc(status.clockStart)), time paused carried over (\(policy.name) re-targets \(direction) retroactively)"
            var line = "\(name): \(target) \(from), due \(ISO8601.utc(status.due))"
            if let old, let oldTarget = old.target, let oldDue = old.status?.due { line += "; was \(oldTarget), due \(ISO8601.utc(oldDue))" }
            if status.due <= now { line += "; that due has already passed, so the clock is breached from now" }
            lines.append(line)
        }
        return lines.isEmpty ? nil : lines.joined(separator: "\n")
    }

    /// The notice to the customer that a defect can't be rectified within its period, as the agent
    /// gives it: the reason (`body`) and the estimated rectification (`value`: a date, meaning by the
    /// end of that day in the policy's zone, or an instant). Only where the policy promises such a
    /// notice, while the period counts, and with an estimate past both now and the period's due.
    func lateNotice(_ new: NewEvent, supportCase: SupportCase, policy: Policy, events: [CaseEvent], by caller: Person, at instant: Date) async throws -> CustomerLateNotice {
        guard let metric = policy.metrics.first(where: \.notifyWhenLate) else {
            throw Problem(.unprocessableEntity, "\(policy.name) promises no notice of late rectification", field: "kind")
        }
        guard let reason = new.body?.trimmingCharacters(in: .whitespacesAndNewlines), !reason.isEmpty else {
            throw Problem(.unprocessableEntity, "state the reason the defect can't be rectified within the \(metric.name)", field: "body")
        }
        let zone = try ZoneClock(identifier: policy.zoneIdentifier)
        guard let text = new.value, let estimate = Self.estimate(text, zone: zone) else {
            throw Problem(.unprocessableEntity, "value must be the estimated rectification: a date (YYYY-MM-DD, by the end of that day in \(policy.zoneIdentifier)) or an ISO 8601 instant with its offset", field: "value")
        }
        let now = Self.seconds(instant)
        let clock = try await clocks(of: supportCase, events: events, at: instant).first { $0.metric == metric.id }
        guard let status = clock?.status else {
            throw Problem(.conflict, "the \(metric.name) has not started (\(metric.start.rawValue)); there is nothing to be late yet")
        }
        guard status.stoppedAt == nil else { throw Problem(.conflict, "the \(metric.name) has already been met") }
        guard estimate > now else {
            throw Problem(.unprocessableEntity, "the estimate \(ISO8601.utc(estimate)) has already passed; give one still ahead", field: "value")
        }
        guard estimate > status.due else {
            throw Problem(.unprocessableEntity, "the estimate \(ISO8601.utc(estimate)) is within the \(metric.name), due \(ISO8601.utc(status.due)): that is not late", field: "value")
        }
        return CustomerLateNotice(caseID: supportCase.id, metric: metric.id, metricName: metric.name, reason: reason,
                                  estimate: Date(timeIntervalSince1970: TimeInterval(estimate)), due: Date(timeIntervalSince1970: TimeInterval(status.due)),
                                  zone: policy.zoneIdentifier, givenAt: instant, givenBy: caller.id)
    }

    /// An estimate as entered: `YYYY-MM-DD` is the end of that day in `zone` (the next day's first
    /// instant); otherwise an ISO 8601 instant with `Z` or an offset.
    static func estimate(_ text: String, zone: ZoneClock) -> Int64? {
        if let date = LocalDate(iso: text) { return zone.startOfDay(date.adding(days: 1)) }
        if case .instant(let instant)? = ISO8601.parse(text) { return instant }
        return nil
    }

    /// The outcome of a resolution as `caller` may record it: provider staff record the `fix` or
    /// `workaround` that meets the provider's clocks (or a withdrawal on the customer's behalf);
    /// a customer may only withdraw the request, which meets nothing.
    static func resolution(_ text: String?, by caller: Person) throws -> Resolution {
        // A duplicate is recorded by a merge only.
        let allowed: [Resolution] = caller.role.isStaff ? [.fix, .workaround, .withdrawn] : [.withdrawn]
        guard let text, let resolution = Resolution(rawValue: text) else {
            throw Problem(.unprocessableEntity, "resolving a case needs resolution: \(allowed.map(\.rawValue).joined(separator: " or "))", field: "resolution")
        }
        guard allowed.contains(resolution) else {
            throw Problem(.forbidden, "only provider staff record a \(resolution.rawValue), which stops the provider's clocks; a customer may resolve the case as withdrawn", field: "resolution")
        }
        return resolution
    }

    /// A resolved or closed case reopens only within the policy's window after resolution.
    func checkReopenWindow(_ timeline: CaseTimeline, policy: Policy, at instant: Date) throws {
        guard let resolved = timeline.resolvedAt else { return }
        let limit = resolved + Int64(policy.rules.reopenWithinDays) * 86_400
        guard Self.seconds(instant) <= limit else {
            throw Problem(.conflict, "the case was resolved on \(ISO8601.utc(resolved)); \(policy.name) allows reopening within \(policy.rules.reopenWithinDays) days, until \(ISO8601.utc(limit)): log a new case")
        }
    }

    /// Adds a CC address or a case-team contact. CC: the requester, a watcher or staff; the case
    /// team: an authorized contact of the customer, or staff. The timeline records it.
    func addWatcher(_ email: String, kind: NewWatcher.Kind, to caseID: UUID, by caller: Person) async throws -> SupportCase {
        let supportCase = try await visibleCase(caseID, for: caller)
        guard Self.isEmail(email) else { throw Problem(.unprocessableEntity, "'\(email)' is not an email address", field: "email") }
        let person = try await store.person(email: email)
        switch kind {
        case .team:
            guard caller.role.isStaff || (caller.role == .authorizedContact && caller.organizationID == supportCase.organizationID) else {
                throw Problem(.forbidden, "only an authorized contact of the customer or provider staff may add case-team contacts")
            }
            guard let person, person.organizationID == supportCase.organizationID else {
                throw Problem(.unprocessableEntity, "a case-team contact must be a person of the customer's organization", field: "email")
            }
        case .cc:
            break
        }
        let at = now()
        let event = CaseEvent(sequence: 0, at: at, actorID: caller.id, kind: kind == .team ? "team-added" : "cc-added", value: email.lowercased())
        // Watchers do not move the clocks, which stay as stored.
        return try await store.append([event], to: caseID, expectedVersion: nil,
                                      change: CaseChange(watchers: [NewWatcher(email: email, personID: person?.id, kind: kind)]), clocks: nil)
    }

    func timeline(of supportCase: SupportCase) async throws -> CaseTimeline {
        Self.timeline(of: supportCase, events: try await store.events(of: supportCase.id))
    }

    static func timeline(of supportCase: SupportCase, events: [CaseEvent]) -> CaseTimeline {
        let logged = events.first { $0.kind == "logged" }
        return CaseTimeline(loggedAt: seconds(supportCase.loggedAt), priority: logged?.value, cvss: supportCase.details.cvss,
                            events: events.compactMap(timelineEvent))
    }

    static func timelineEvent(_ event: CaseEvent) -> CaseTimeline.Event? {
        let at = seconds(event.at)
        switch event.kind {
        case "public-reply": return .providerReply(at: at)
        case "customer-message": return .customerMessage(at: at)
        case "status-change":
            let parts = (event.value ?? "").split(separator: ":", maxSplits: 1).map(String.init)
            let resolution = parts.count > 1 ? Resolution(rawValue: parts[1]) : nil
            return parts.first.flatMap(CaseStatus.init(rawValue:)).map { .statusChange(to: $0, at: at, resolution: resolution) }
        case "out-of-scope": return event.value.map { .outOfScope(classification: $0, at: at) }
        case "priority-change": return .priorityChange(to: event.value, at: at)
        case "defect-confirmed": return .defectConfirmed(at: at)
        case "patch-available":
            // Recorded with the instant the patch became available (before it was, the event's own time).
            guard let value = event.value, case .instant(let since)? = ISO8601.parse(value) else { return .patchAvailable(since: at, at: at) }
            return .patchAvailable(since: since, at: at)
        case "rectification-late":
            guard let value = event.value, case .instant(let estimate)? = ISO8601.parse(value) else { return nil }
            return .lateNotice(estimate: estimate, at: at)
        default: return nil
        }
    }

    // MARK: Clocks

    /// The case's clocks at `instant`, derived from its timeline `events` (already read by the caller).
    func clocks(of supportCase: SupportCase, events: [CaseEvent], at instant: Date) async throws -> [CaseClocks.Clock] {
        let policy = try await catalog.policy(supportCase.policyID, version: supportCase.policyVersion, store: store)
        return try CaseClocks(policy: policy, plan: supportCase.planID, region: supportCase.regionID)
            .clocks(for: Self.timeline(of: supportCase, events: events), at: Self.seconds(instant))
    }

    /// Why the clock of `metric` on a case the caller may see falls due when it does, at `instant`:
    /// the engine's explanation (nil when the clock does not count). A metric the case's policy
    /// does not have is a 404, like a case the caller may not see.
    func explanation(of metric: String, onCase caseID: UUID, for caller: Person, at instant: Date) async throws -> (SupportCase, ClockExplanation?) {
        let supportCase = try await visibleCase(caseID, for: caller)
        let policy = try await catalog.policy(supportCase.policyID, version: supportCase.policyVersion, store: store)
        guard policy.metrics.contains(where: { $0.id == metric }) else {
            throw Problem(.notFound, "the case's policy has no clock '\(metric)'; its clocks: \(policy.metrics.map(\.id).joined(separator: ", "))")
        }
        let events = try await store.events(of: caseID)
        let explanation = try CaseClocks(policy: policy, plan: supportCase.planID, region: supportCase.regionID)
            .explanation(of: metric, for: Self.timeline(of: supportCase, events: events), at: Self.seconds(instant))
        return (supportCase, explanation)
    }

    /// Why each counting clock of the case falls due when it does, from its timeline `events`
    /// (already read), by metric.
    func explanations(of supportCase: SupportCase, events: [CaseEvent], at instant: Date) async throws -> [String: ClockExplanation] {
        let policy = try await catalog.policy(supportCase.policyID, version: supportCase.policyVersion, store: store)
        let clocks = CaseClocks(policy: policy, plan: supportCase.planID, region: supportCase.regionID)
        let timeline = Self.timeline(of: supportCase, events: events)
        var result: [String: ClockExplanation] = [:]
        for metric in policy.metrics {
            result[metric.id] = try clocks.explanation(of: metric.id, for: timeline, at: Self.seconds(instant))
        }
        return result
    }

    func storedClocks(_ policy: Policy, plan: String, region: String, timeline: CaseTimeline, at instant: Date) throws -> [StoredClock] {
        Self.stored(try CaseClocks(policy: policy, plan: plan, region: region).clocks(for: timeline, at: Self.seconds(instant)))
    }

    /// The clocks as the store keeps them for its indexed queries.
    static func stored(_ clocks: [CaseClocks.Clock]) -> [StoredClock] {
        clocks.map { clock in
            // A clock still counting past its due stays `running` in the store, so that "what breaches
            // next" and "due before" keep finding it; `breached` there means stopped late.
            let counting = !clock.excluded && (clock.status.map { $0.stoppedAt == nil && $0.state != .paused } ?? false)
            return StoredClock(
                metric: clock.metric, target: clock.target,
                due: clock.status.map { Date(timeIntervalSince1970: TimeInterval($0.due)) },
                state: counting ? "running" : clock.state, alarms: clock.alarms,
                used: clock.used, measure: clock.used == nil ? nil : clock.measure?.rawValue
            )
        }
    }

    static func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }
}
