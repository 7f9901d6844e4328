import AccordMail
import AccordStore
import Foundation

/// The outbox payload of a mail to the sender of a message the desk did not log — refused by the
/// contract's or the desk's rules, or too large — saying why and what to do instead. One per
/// message (its first processing), limited per address like every automatic reply.
struct SenderMail: Codable, Sendable, Equatable {
    static let refusal = "mail.refusal"

    /// The stored message answered.
    let mail: UUID
    let subject: String
    let messageID: String?
    let reason: String
    /// The policy and language of the mailbox the message was sent to, which choose the template's
    /// text; nil when the mailbox is no region's.
    let policy: String?
    let language: String?

    func notice(to address: String) throws -> SenderNotice {
        SenderNotice(address: address, entry: OutboxEntry(event: Self.refusal, payload: try OutboxJSON.encode(self)))
    }

    init(mail: UUID, subject: String, messageID: String?, reason: String, policy: String? = nil, language: String? = nil) {
        self.mail = mail
        self.subject = subject
        self.messageID = messageID
        self.reason = reason
        self.policy = policy
        self.language = language
    }

    init(json: String) throws {
        self = try OutboxJSON.decode(Self.self, from: json)
    }

    /// The mail of a `mail.refusal` delivery: in answer to the message (`In-Reply-To`), marked
    /// `Auto-Submitted: auto-replied` and with the desk's loop header, so that no mailer or desk
    /// answers it in turn.
    static func compose(_ job: DeliveryJob, from: String, store: DeskStore, at now: Date) async throws -> AlertMail {
        let payload = try SenderMail(json: job.payload)
        guard let template = try await MessageTemplates(store: store).template(job.event, policy: payload.policy, language: payload.language) else {
            throw MailError(description: "no template for \(job.event)")
        }
        let values = ["subject": payload.subject.isEmpty ? "(no subject)" : payload.subject, "reason": payload.reason]
        let sender = MailAddress.list(from).first ?? MailAddress(name: "", address: from)
        let domain = String(sender.address.split(separator: "@").last ?? "accord.invalid")
        let text = MessageTemplates.render(template.body, values)
        var mail = OutgoingMail(from: sender, to: [MailAddress(name: "", address: job.target)],
                                subject: MessageTemplates.render(template.subject, values).replacingOccurrences(of: "\n", with: " "),
                                date: MailDate(seconds: Int64(now.timeIntervalSince1970), offsetMinutes: 0),
                                messageID: "accord.refusal.\(DeskMessageIDs.hex(job.id))@\(domain)", text: text)
        if let answered = payload.messageID {
            mail.inReplyTo = answered
            mail.references = [answered]
        }
        mail.autoSubmitted = "auto-replied"
        mail.extraHeaders = [("X-Accord-Loop", domain)]
        return AlertMail(from: from, to: job.target, subject: mail.subject, body: text, date: now, messageID: mail.messageID, composed: mail.rendered)
    }
}
