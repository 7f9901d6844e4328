import AccordCore
import AccordMail
import AccordStore
import BusinessTime
import Crypto
import Foundation

/// The outbox payload of mail to a case's customer side — the requester and CC watchers, as the
/// outbox fans `customer.*` events out: the acknowledgement of a case logged by mail, a public
/// reply, a status change they should know of (resolved, awaiting them).
struct CustomerMail: Codable, Sendable, Equatable {
    static let acknowledgement = "customer.acknowledgement"
    static let reply = "customer.reply"
    static let status = "customer.status"
    static let events = [acknowledgement, reply, status]

    let caseID: UUID
    /// The timeline entry the mail tells of (a reply, a status change); nil for the acknowledgement.
    let sequence: Int?

    func entry(_ event: String) throws -> OutboxEntry {
        OutboxEntry(event: event, payload: try OutboxJSON.encode(self))
    }

    init(caseID: UUID, sequence: Int?) {
        self.caseID = caseID
        self.sequence = sequence
    }

    init(json: String) throws {
        self = try OutboxJSON.decode(Self.self, from: json)
    }
}

/// The desk's Message-IDs for mail about a case, signed with the desk's shared secret so that a
/// reply naming one threads into its case (see `SignedMessageID`).
enum DeskMessageIDs {
    static func signer(store: DeskStore, domain: String) async throws -> SignedMessageID {
        let key = SymmetricKey(data: try await store.deskSecret("message-id"))
        return SignedMessageID(domain: domain, mac: { bytes in Array(HMAC<SHA256>.authenticationCode(for: bytes, using: key)) })
    }

    /// 32 lowercase hex digits of a UUID, as signed Message-IDs carry it.
    static func hex(_ id: UUID) -> String { id.uuidString.replacingOccurrences(of: "-", with: "").lowercased() }

    static func uuid(hex: String) -> UUID? {
        guard hex.count == 32 else { return nil }
        let characters = Array(hex)
        let text = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }.joined(separator: "-")
        return UUID(uuidString: text)
    }
}

/// Writes the customer's mail of an outbox delivery: the template's text with the case's facts,
/// the case tag in the subject, a signed Message-ID answering the customer's latest message,
/// `Reply-To` the mailbox the case came through, a text and an HTML part.
struct CustomerMailComposer: Sendable {
    let store: DeskStore
    let catalog: PolicyCatalog
    /// The desk's sender (`--mail-from`).
    let from: String

    func compose(_ job: DeliveryJob, at now: Date) async throws -> AlertMail {
        let payload = try CustomerMail(json: job.payload)
        guard let supportCase = try await store.supportCase(payload.caseID) else { throw MailError(description: "case \(payload.caseID) is gone") }
        let events = try await store.events(of: supportCase.id)
        let event = payload.sequence.flatMap { sequence in events.first { $0.sequence == sequence } }
        guard let template = try await MessageTemplates(store: store).template(job.event, policy: supportCase.policyID, language: supportCase.work.language) else {
            throw MailError(description: "no template for \(job.event)")
        }
        var values = ["case.number": supportCase.number, "case.title": supportCase.title, "reply": event?.body ?? "",
                      "status": Self.status(event?.value ?? supportCase.status),
                      "response.due": "", "response.target": ""]
        if job.event == CustomerMail.acknowledgement {
            try await promise(of: supportCase, events: events, at: now, language: template.language, into: &values)
        }
        let sender = MailAddress.list(from).first ?? MailAddress(name: "", address: from)
        let domain = String(sender.address.split(separator: "@").last ?? "accord.invalid")
        let signer = try await DeskMessageIDs.signer(store: store, domain: domain)
        let text = ReplyText.replyAboveMarker + "\n\n" + MessageTemplates.render(template.body, values)
        var mail = OutgoingMail(from: sender, to: [MailAddress(name: "", address: job.target)],
                                subject: MessageTemplates.render(template.subject, values).replacingOccurrences(of: "\n", with: " "),
                                date: MailDate(seconds: Int64(now.timeIntervalSince1970), offsetMinutes: 0),
                                messageID: signer.make(caseID: DeskMessageIDs.hex(supportCase.id), unique: DeskMessageIDs.hex(job.id)), text: text)
        mail.html = "<div>" + text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { HTMLText.escape(String($0)) }.joined(separator: "<br>\n") + "</div>"
        if let answered = try await store.latestMessageID(ofCase: supportCase.id) {
            mail.inReplyTo = answered
            mail.references = [answered]
        }
        let mailbox = try await store.caseMailbox(supportCase.id)
        mail.replyTo = MailAddress(name: sender.name, address: mailbox ?? sender.address)
        mail.autoSubmitted = job.event == CustomerMail.reply ? nil : (job.event == CustomerMail.acknowledgement ? "auto-replied" : "auto-generated")
        mail.extraHeaders = [("X-Accord-Loop", domain)]
        return AlertMail(from: from, to: job.target, subject: mail.subject, body: text, date: now, messageID: mail.messageID, composed: mail.rendered)
    }

    /// A status as the customer reads it: a resolution's kind in words (`resolved:fix` → "resolved (fixed)").
    static func status(_ value: String) -> String {
        let parts = value.split(separator: ":", maxSplits: 1).map(String.init)
        let status = (parts.first ?? value).replacingOccurrences(of: "-", with: " ")
        switch parts.count > 1 ? parts[1] : "" {
        case "fix": return status + " (fixed)"
        case "workaround": return status + " (with a workaround)"
        default: return status
        }
    }

    /// What the contract promises for the first response: when, in the zone of the case's region
    /// and the language of the template's text (English for a text for every language), written as
    /// that language writes a date — "Tuesday 3 March 2026 10:00 CET", "tirsdag den 3. marts 2026
    /// kl. 10.00 CET", "Dienstag, 3. März 2026 um 10:00 MEZ" — and the target, "2 business hours (Denmark)".
    private func promise(of supportCase: SupportCase, events: [CaseEvent], at now: Date, language: String?, into values: inout [String: String]) async throws {
        let policy = try await catalog.policy(supportCase.policyID, version: supportCase.policyVersion, store: store)
        let clocks = try await CaseService(store: store, catalog: catalog, now: { now }).clocks(of: supportCase, events: events, at: now)
        guard let metric = policy.metrics.first(where: { $0.kind == .initialResponse }),
              let clock = clocks.first(where: { $0.metric == metric.id }), let status = clock.status else { return }
        let region = policy.regions.first { $0.id == supportCase.regionID }
        let zone = region.flatMap { policy.calendars[$0.calendar]?.calendar(forClockStartedAt: status.clockStart).zoneIdentifier } ?? policy.zoneIdentifier
        let formatter = DateFormatter()
        formatter.timeZone = TimeZone(identifier: zone)
        if let language, !language.lowercased().hasPrefix("en") {
            formatter.locale = Locale(identifier: language)
            formatter.setLocalizedDateFormatFromTemplate("EEEEdMMMMyyyyHHmmzzz")
        } else {
            formatter.locale = Locale(identifier: "en_GB")
            formatter.dateFormat = "EEEE d MMMM yyyy HH:mm zzz"
        }
        values["response.due"] = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(status.due)))
        values["response.target"] = (clock.target ?? "") + (region.map { " (\($0.name))" } ?? "")
    }
}
