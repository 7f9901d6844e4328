import AccordCore
import AccordMail
import AccordStore
import Foundation
import NIOCore
import NIOPosix
import Vapor

/// A message taken in by mail: stored raw first, then turned into what it is — a new case, a
/// reply on a case, a note of an auto-reply or a bounce, a polite refusal — by the same services
/// and rules as the API. A message that cannot be processed is quarantined, never lost.
struct MailIntake: Sendable {
    let service: CaseService
    let files: AttachmentFiles
    let threads: NIOThreadPool
    let settings: MailSettings
    let maxAttachmentSize: Int
    let logger: Logger

    /// What became of a message: the API's answer.
    struct Outcome: Content, Equatable {
        var outcome: String
        /// The case's number, when the message made or joined one.
        var `case`: String?
        var caseID: UUID?
        /// The stored message's id.
        var message: UUID
        var detail: String?
        /// What the sender is told by mail (a refusal, a message too large); nil: nothing.
        var toSender: String? = nil

        enum CodingKeys: String, CodingKey {
            case outcome, `case`, caseID, message, detail
        }
    }

    /// Why a message could not be processed.
    struct Unprocessable: Error, CustomStringConvertible {
        let description: String
    }

    /// Stores `raw` (delivered to `recipient`, accepted by the desk's mail server at `acceptedAt`),
    /// then processes it. The same bytes again are a `duplicate` of the first delivery.
    func receive(_ raw: Data, recipient: String?, acceptedAt: Date?) async throws -> Outcome {
        let now = service.now()
        // The SLA starts when the desk's mail server accepted the message (a delivery queued while
        // the desk was down keeps its time) — but never later than now, nor earlier than a mail
        // server keeps a message queued (5 days), which would only be a forged or broken stamp.
        let received = acceptedAt.flatMap { $0 <= now && $0 >= now.addingTimeInterval(-5 * 86_400) ? $0 : nil } ?? now
        let headers = MessageHeaders(parsing: [UInt8](raw.prefix(256 * 1024)))
        let sender = headers.values("From").flatMap(MailAddress.list).first?.address
        let (mail, isNew) = try await service.store.receiveMail(
            raw: raw, recipient: recipient?.lowercased(), sender: sender?.lowercased(), subject: headers.text("Subject"),
            messageID: MessageIDs.list(headers.value("Message-ID")).first, at: received, lease: settings.processingLease)
        guard isNew else {
            return Outcome(outcome: "duplicate", case: try await number(mail.caseID), caseID: mail.caseID, message: mail.id,
                           detail: "the same message was delivered before (\(mail.outcome ?? mail.status.rawValue))")
        }
        return await process(mail, raw: raw)
    }

    /// Processes a stored message; any failure quarantines it with the reason.
    func process(_ mail: InboundMail, raw: Data) async -> Outcome {
        do {
            let outcome = try await decide(mail, raw: raw)
            // A case or a reply marked its message processed in its own transaction.
            guard !["case-created", "reply-added"].contains(outcome.outcome) else { return outcome }
            try await service.store.finishMail(mail.id, status: outcome.outcome == "quarantined" ? .quarantined : .processed, outcome: outcome.outcome,
                                               caseID: outcome.caseID, reason: outcome.detail, at: service.now(), notice: try await notice(outcome, mail: mail))
            return outcome
        } catch {
            let reason = (error as? Problem)?.detail ?? String(describing: error)
            logger.warning("mail \(mail.id) quarantined: \(reason)")
            do {
                try await service.store.finishMail(mail.id, status: .quarantined, outcome: "quarantined", caseID: nil, reason: reason, at: service.now())
            } catch {
                // Stays pending: the recovery pass takes it up when its lease ends.
                logger.error("mail \(mail.id) could not be marked quarantined: \(error)")
            }
            return Outcome(outcome: "quarantined", message: mail.id, detail: reason)
        }
    }

    /// The mail to a message's sender its outcome asks for: only on its first processing (a retry
    /// from the quarantine says nothing again), only when the desk mails customers, never to a
    /// machine's mail (decided before: it is recorded, not refused) nor to the desk's own addresses.
    private func notice(_ outcome: Outcome, mail: InboundMail) async throws -> SenderNotice? {
        guard let reason = outcome.toSender, mail.attempts == 0, service.customerMail,
              let sender = mail.sender, CaseService.isEmail(sender), !settings.deskAddresses.contains(where: { $0.lowercased() == sender }),
              sender != mail.recipient else { return nil }
        // Written in the policy and language of the mailbox written to (support@plmgroup.dk: plm-group, Danish).
        let policies = try await service.catalog.currentPolicies(store: service.store).values.sorted { $0.id < $1.id }
        let region = mail.recipient.flatMap { recipient in
            policies.lazy.compactMap { policy in policy.regions(servedBy: recipient).first.map { (policy.id, $0) } }.first
        }
        return try SenderMail(mail: mail.id, subject: mail.subject ?? "", messageID: mail.messageID, reason: reason,
                              policy: region?.0, language: region?.1.languages.first).notice(to: sender)
    }

    private func decide(_ mail: InboundMail, raw: Data) async throws -> Outcome {
        if raw.count > settings.maxMessageSize {
            let megabytes = { (bytes: Int) in bytes < 1_048_576 ? "\(bytes / 1024) KB" : String(format: "%.1f MB", Double(bytes) / 1_048_576) }
            var outcome = Outcome(outcome: "quarantined", message: mail.id,
                                  detail: "the message is \(raw.count) bytes, over the desk's limit of \(settings.maxMessageSize) bytes: kept raw for an administrator")
            outcome.toSender = "The message is \(megabytes(raw.count)), more than the \(megabytes(settings.maxMessageSize)) the desk takes by mail. " +
                "It is kept for our administrators, but it is not a case yet: send the files through the support portal, or in smaller mails."
            return outcome
        }
        let message = MailMessage(parsing: [UInt8](raw))
        let headers = message.headers
        guard let from = headers.values("From").flatMap(MailAddress.list).first, CaseService.isEmail(from.address) else {
            throw Unprocessable(description: "the message has no readable From address")
        }
        let sender = from.address.lowercased()
        let person = try await service.store.person(email: sender)
        let report = message.root.contentType.name == "multipart/report"
        let threaded = try await thread(message, person: person, returned: report ? AutomaticMail.returnedMessageIDs(message) : [])

        if let kind = AutomaticMail.classify(message) ?? (headers.value("X-Accord-Loop") != nil ? .autoReply(reason: "X-Accord-Loop") : nil) {
            return try await recordAutomatic(kind, mail: mail, message: message, caseID: threaded, sender: sender)
        }
        // Mail from an address works again, whatever a bounce said of it before.
        if try await service.store.isFailing(sender) { try await service.store.clearFailing(sender) }
        let content = MessageContent(message)
        if let caseID = threaded, let person {
            return try await reply(caseID, mail: mail, content: content, person: person)
        }
        return try await newCase(mail: mail, message: message, content: content, sender: from, person: person)
    }

    /// The case a message answers: by the Message-IDs it refers to (and, for a delivery report,
    /// those of the message it returns), then by a case tag in its subject — only a case its sender
    /// may see (requester, CC, case team, staff). A sender who is no one the desk knows (a mail
    /// server's report, an unregistered colleague's out-of-office) is tied to a case only by one of
    /// the desk's own signed Message-IDs: only the desk's mail carries those.
    private func thread(_ message: MailMessage, person: Person?, returned: [String]) async throws -> UUID? {
        let referred = MessageIDs.list(message.headers.value("In-Reply-To")) + MessageIDs.list(message.headers.value("References")) + returned
        var candidates: [UUID] = []
        var signed: [UUID] = []
        if !referred.isEmpty {
            // The desk's own Message-IDs name their case and carry the desk's signature.
            let signer = try await DeskMessageIDs.signer(store: service.store, domain: "")
            for id in referred.reversed() {
                if let hex = signer.caseID(of: id), let caseID = DeskMessageIDs.uuid(hex: hex) { signed.append(caseID) }
            }
            candidates = signed
        }
        guard let person else {
            for id in signed where try await service.store.supportCase(id) != nil { return id }
            return nil
        }
        if let id = try await service.store.caseOfMail(messageIDs: referred) { candidates.append(id) }
        for tag in SubjectLine.caseTags(in: message.headers.text("Subject") ?? "") {
            if let id = try await service.store.caseID(number: tag) { candidates.append(id) }
        }
        for id in candidates {
            guard let supportCase = try await service.store.supportCase(id) else { continue }
            if try await service.canSee(supportCase, person) { return id }
        }
        return nil
    }

    private func recordAutomatic(_ kind: AutomaticMail, mail: InboundMail, message: MailMessage, caseID: UUID?, sender: String) async throws -> Outcome {
        let outcome: String
        let note: String
        switch kind {
        case .bounce(let failed):
            outcome = "bounce-recorded"
            note = "Mail to \(failed.isEmpty ? "a recipient" : failed.joined(separator: ", ")) could not be delivered (report from \(sender))."
            try await service.store.markFailing(failed.filter(CaseService.isEmail), mailID: mail.id, caseID: caseID, reason: note, at: mail.received)
        case .autoReply(let reason):
            outcome = "auto-reply-recorded"
            let first = MessageContent(message).reply.written.split(separator: "\n").first.map { String($0.prefix(200)) } ?? ""
            note = "Automatic mail from \(sender) (\(reason)): \(message.headers.text("Subject") ?? "")\(first.isEmpty ? "" : " — \(first)")"
        }
        if let caseID {
            // A note by no one: it moves no clock and is never answered.
            _ = try await service.store.append([CaseEvent(sequence: 0, at: mail.received, actorID: nil, kind: "internal-note", value: "mail", body: note)],
                                               to: caseID, expectedVersion: nil, clocks: nil)
        }
        return Outcome(outcome: outcome, case: try await number(caseID), caseID: caseID, message: mail.id, detail: note)
    }

    private func reply(_ caseID: UUID, mail: InboundMail, content: MessageContent, person: Person) async throws -> Outcome {
        let text = Self.body(content)
        let kind = person.role.isStaff ? "public-reply" : "customer-message"
        let files = try await keep(content.attachments, by: person)
        let supportCase = try await service.add(CaseService.NewEvent(kind: kind, body: text), to: caseID, by: person, ifMatch: nil, mail: (mail.id, files))
        return Outcome(outcome: "reply-added", case: supportCase.number, caseID: supportCase.id, message: mail.id, detail: nil)
    }

    private func newCase(mail: InboundMail, message: MailMessage, content: MessageContent, sender: MailAddress, person known: Person?) async throws -> Outcome {
        guard let person = try await requester(known, sender: sender) else {
            return refused(mail, "\(sender.address) is not registered with the desk, so the message was not logged as a case; ask your organization's contact to add you, or log the case in the support portal")
        }
        if person.role.isStaff {
            return refused(mail, "\(sender.address) is provider staff: staff log a case for a customer's person on the console, not by mailing the desk")
        }
        guard let organizationID = person.organizationID, let customer = try await service.store.customer(organizationID) else {
            return refused(mail, "\(sender.address) belongs to no customer")
        }
        let policy = try await service.catalog.current(customer.organization.policyID, store: service.store)
        // The contract's intake rules: mail is one of the channels this person may use, or the answer says which are.
        let roles: [String] = person.role == .authorizedContact ? ["authorized-contact", "user"] : [person.role.rawValue]
        let byMail = policy.rules.intake.filter { rule in rule.channels.contains("email") && rule.who.contains { roles.contains($0) } }
        if byMail.isEmpty {
            let ways = policy.rules.intake.filter { rule in rule.who.contains { roles.contains($0) } }
                .map { rule in "\(rule.priorities.isEmpty ? "cases" : rule.priorities.map { $0.uppercased() }.joined(separator: ", ") + " cases") via \(rule.channels.joined(separator: " or "))" }
            return refused(mail, "\(policy.name) takes no cases by email\(ways.isEmpty ? "" : ": log \(ways.joined(separator: "; "))") — the support portal is at /portal/cases/new")
        }
        if !policy.priorities.isEmpty && policy.rules.email?.defaultPriority == nil {
            // A policy stored before mail intake existed: an administrator adds the setting, then retries.
            throw Unprocessable(description: "\(policy.name) takes cases by email but names no priority for them: add email: {default-priority: …} to policy \(policy.id), publish it, then retry this message")
        }
        let subject = SubjectLine.stripped(message.headers.text("Subject") ?? "")
        let text = Self.body(content)
        let deskAddresses = Set(policy.regions.compactMap { $0.mailbox?.lowercased() } + settings.deskAddresses.map { $0.lowercased() } + [mail.recipient].compactMap { $0 })
        let copied = (message.headers.values("To") + message.headers.values("Cc")).flatMap(MailAddress.list).map { $0.address.lowercased() }
        var cc: [String] = []
        for address in copied where !deskAddresses.contains(address) && address != sender.address.lowercased() && CaseService.isEmail(address) && !cc.contains(address) {
            cc.append(address)
        }
        let mailbox = mail.recipient.flatMap { recipient in policy.regions(servedBy: recipient).isEmpty ? nil : recipient }
        let new = CaseService.NewCase(
            title: String((subject.isEmpty ? "(no subject)" : subject).prefix(500)), description: text.isEmpty ? "(the message had no text)" : text,
            priority: policy.rules.email?.defaultPriority, channel: "email", cc: cc.isEmpty ? nil : Array(cc.prefix(20)), mailbox: mailbox)
        let confirmed = settings.authservID.map { id in
            AuthenticationResults.confirms(message.headers, senderDomain: String(sender.address.split(separator: "@").last ?? ""), authservID: id)
        } ?? false
        let logged: LoggedCase
        do {
            let files = try await keep(content.attachments, by: person)
            logged = try await service.log(new, by: person, mail: .init(acceptedAt: mail.received, senderConfirmed: confirmed, mailID: mail.id, files: files)).logged
        } catch let problem as Problem where problem.status < 500 {
            return refused(mail, problem.detail)
        }
        let missing = service.missingInformation(new, policy)
        return Outcome(outcome: "case-created", case: logged.supportCase.number, caseID: logged.supportCase.id, message: mail.id,
                       detail: missing.isEmpty ? nil : "\(policy.name) asks for: " + missing.map(\.detail).joined(separator: "; "))
    }

    /// The person a new case by mail is for: the sender, or — where the policy says so — the sender
    /// added as a user of the one customer whose people share their domain.
    private func requester(_ known: Person?, sender: MailAddress) async throws -> Person? {
        if let known { return known.erased || known.deactivated ? nil : known }
        let domain = String(sender.address.lowercased().split(separator: "@").last ?? "")
        let organizations = try await service.store.organizations(withPeopleAtDomain: domain)
        guard organizations.count == 1, let customer = try await service.store.customer(organizations[0]) else { return nil }
        let policy = try await service.catalog.current(customer.organization.policyID, store: service.store)
        guard policy.rules.email?.unknownSenders == .joinOrganizationByDomain else { return nil }
        let name = sender.name.isEmpty ? sender.address : sender.name
        return try await service.store.createPerson(organizationID: customer.organization.id, name: String(name.prefix(200)), email: sender.address,
                                                    role: .user, at: service.now())
    }

    private func refused(_ mail: InboundMail, _ why: String) -> Outcome {
        Outcome(outcome: "refused", message: mail.id, detail: why, toSender: why)
    }

    /// What a person wrote, without the quoted history and signature their mailer added (the raw
    /// message keeps all of it).
    static func body(_ content: MessageContent) -> String {
        let reply = content.reply
        return String((reply.written.isEmpty ? content.text : reply.written).prefix(100_000))
    }

    /// Puts a message's files (at most 50, each within the size limit) into the attachment store
    /// before its case or reply is written, which records them in its own transaction.
    private func keep(_ attachments: [MessageContent.Attachment], by person: Person) async throws -> [MailedFile] {
        let wanted = attachments.prefix(50).filter { !$0.bytes.isEmpty && $0.bytes.count <= maxAttachmentSize }
        guard !wanted.isEmpty else { return [] }
        let files = self.files
        let kept = try await threads.runIfActive { () -> [(sha: String, size: Int)] in
            try wanted.map { file in
                let incoming = try IncomingFile(into: files)
                try incoming.write(ByteBuffer(bytes: file.bytes))
                return (try incoming.keep(), incoming.size)
            }
        }
        return zip(wanted, kept).map { file, kept in
            MailedFile(filename: String(file.filename.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "\\", with: "_").prefix(255)),
                       contentType: file.contentType, size: kept.size, sha256: kept.sha, uploadedBy: person.id)
        }
    }

    private func number(_ caseID: UUID?) async throws -> String? {
        guard let caseID else { return nil }
        return try await service.store.supportCase(caseID)?.number
    }
}
