import FluentKit
import FluentSQL
public import Foundation

extension DeskStore {
    /// Stores a message's raw bytes before anything else is done with it, leased to this caller
    /// for `lease` seconds to process. The same bytes stored before give that message back, with
    /// `isNew` false — a delivery retried after a lost answer is one message. With group commit,
    /// messages arriving together are stored in one transaction (one sync to disk); each caller
    /// returns only once its message is committed.
    public func receiveMail(
        raw: Data, recipient: String?, sender: String?, subject: String?, messageID: String?, at instant: Date, lease: TimeInterval
    ) async throws -> (mail: InboundMail, isNew: Bool) {
        let received = ReceivedMail(id: UUID.timeOrdered(at: instant), digest: Self.sha256(raw), raw: raw, recipient: recipient, sender: sender,
                                    subject: subject, messageID: messageID, at: instant, lease: lease)
        let inserted: InboundMail?
        if let mails = batches?.mails {
            inserted = try await mails.submit(received) { try await self.insertMails($0) }
        } else {
            inserted = try await insertMails([received])[0]
        }
        if let inserted { return (inserted, true) }
        guard let mail = try await inboundMail(digest: received.digest) else { throw StoreError.notFound("inbound mail \(received.digest)") }
        return (mail, false)
    }

    /// Stores `mails` in one transaction; for each, the stored message, or nil when the same bytes
    /// were stored before.
    private func insertMails(_ mails: [ReceivedMail]) async throws -> [InboundMail?] {
        try await write { db in
            let sql = try db.sql
            var inserted: [InboundMail?] = []
            for mail in mails {
                let now = mail.at.timeIntervalSince1970
                inserted.append(try await sql.raw("""
                    INSERT INTO inbound_mails (id, digest, raw, size, recipient, sender, subject, message_id, received, status, attempts, lease)
                    VALUES (\(bind: mail.id), \(bind: mail.digest), \(bind: mail.raw), \(bind: Int64(mail.raw.count)), \(bind: mail.recipient.map { String($0.prefix(320)) }),
                            \(bind: mail.sender.map { String($0.prefix(320)) }), \(bind: mail.subject.map { String($0.prefix(1000)) }),
                            \(bind: mail.messageID.map { String($0.prefix(998)) }), \(bind: now), 'pending', 0, \(bind: now + mail.lease))
                    ON CONFLICT (digest) DO NOTHING RETURNING \(unsafeRaw: Self.mailColumns)
                    """).first().map(Self.mail))
            }
            return inserted
        }
    }

    public func inboundMail(_ id: UUID) async throws -> InboundMail? {
        try await database.sql.raw("SELECT \(unsafeRaw: Self.mailColumns) FROM inbound_mails WHERE id = \(bind: id)").first().map(Self.mail)
    }

    func inboundMail(digest: String) async throws -> InboundMail? {
        try await database.sql.raw("SELECT \(unsafeRaw: Self.mailColumns) FROM inbound_mails WHERE digest = \(bind: digest)").first().map(Self.mail)
    }

    /// A message's raw bytes, as delivered (nil once dropped).
    public func inboundRaw(_ id: UUID) async throws -> Data? {
        guard let row = try await database.sql.raw("SELECT raw, status FROM inbound_mails WHERE id = \(bind: id)").first() else { return nil }
        guard try row.decode(column: "status", as: String.self) != InboundMail.Status.dropped.rawValue else { return nil }
        return try row.decode(column: "raw", as: Data.self)
    }

    /// Records what became of a message and ends its lease.
    /// With `notice`, the mail to the message's sender is written in the same transaction: it goes
    /// out once, however often a server dies before or after.
    public func finishMail(_ id: UUID, status: InboundMail.Status, outcome: String, caseID: UUID?, reason: String?, at instant: Date,
                           notice: SenderNotice? = nil) async throws {
        try await write { db in
            let sql = try db.sql
            try await sql.raw("""
                UPDATE inbound_mails SET status = \(bind: status.rawValue), outcome = \(bind: outcome), case_id = \(bind: caseID),
                    reason = \(bind: reason.map { String($0.prefix(2000)) }), finished = \(bind: instant.timeIntervalSince1970), lease = NULL,
                    attempts = attempts + 1
                WHERE id = \(bind: id)
                """).run()
            if let notice { try await Self.writeSenderNotice(notice, at: instant, on: sql) }
        }
    }

    /// Marks a message processed inside the transaction that made its case or added its reply, and
    /// records its files on the case there.
    static func markMail(_ mail: InboundMailOutcome, caseID: UUID, at instant: Date, on db: any Database) async throws {
        try await db.sql.raw(processed(mail.mailID, outcome: mail.outcome, caseID: caseID, at: instant)).run()
        try await insert(mail.attachments(on: caseID, at: instant), on: db)
    }

    /// The statement marking message `id` processed as (a reply on) case `caseID`, ending its lease.
    static func processed(_ id: UUID, outcome: String, caseID: UUID, at instant: Date) -> SQLQueryString {
        """
        UPDATE inbound_mails SET status = 'processed', outcome = \(bind: outcome), case_id = \(bind: caseID),
            finished = \(bind: instant.timeIntervalSince1970), lease = NULL, attempts = attempts + 1
        WHERE id = \(bind: id)
        """
    }

    /// Claims the oldest pending message whose lease ran out (its server died processing it, or
    /// an administrator asked for a retry), for `lease` seconds. Of several servers asking at once,
    /// one gets it.
    public func claimPendingMail(at instant: Date, lease: TimeInterval) async throws -> InboundMail? {
        let now = instant.timeIntervalSince1970
        let candidates = try await database.sql.raw("""
            SELECT id FROM inbound_mails WHERE status = 'pending' AND (lease IS NULL OR lease < \(bind: now)) ORDER BY received LIMIT 5
            """).all().map { try $0.decode(column: "id", as: UUID.self) }
        for id in candidates {
            if let mail = try await claimMail(id, at: instant, lease: lease) { return mail }
        }
        return nil
    }

    /// Claims one pending message whose lease ran out, for `lease` seconds; nil when it is not
    /// pending or another server holds it.
    public func claimMail(_ id: UUID, at instant: Date, lease: TimeInterval) async throws -> InboundMail? {
        let now = instant.timeIntervalSince1970
        let claimed = try await write { db in
            try await db.sql.raw("""
                UPDATE inbound_mails SET lease = \(bind: now + lease)
                WHERE id = \(bind: id) AND status = 'pending' AND (lease IS NULL OR lease < \(bind: now)) RETURNING id
                """).first() != nil
        }
        return claimed ? try await inboundMail(id) : nil
    }

    /// The case a message threads into by the identifiers it answers: one received into a case.
    public func caseOfMail(messageIDs: [String]) async throws -> UUID? {
        let ids = Array(messageIDs.suffix(50))
        guard !ids.isEmpty else { return nil }
        return try await database.sql.raw("""
            SELECT case_id FROM inbound_mails WHERE message_id IN (\(binds: ids)) AND case_id IS NOT NULL ORDER BY received DESC LIMIT 1
            """).first()?.decode(column: "case_id", as: UUID.self)
    }

    /// Quarantined messages, oldest first.
    public func quarantinedMails(limit: Int) async throws -> [InboundMail] {
        try await database.sql.raw("""
            SELECT \(unsafeRaw: Self.mailColumns) FROM inbound_mails WHERE status = 'quarantined' ORDER BY received LIMIT \(bind: limit)
            """).all().map(Self.mail)
    }

    /// Puts a quarantined message back to be processed (after a fix). False when it is not quarantined.
    public func retryMail(_ id: UUID) async throws -> Bool {
        try await write { db in
            try await db.sql.raw("""
                UPDATE inbound_mails SET status = 'pending', lease = NULL WHERE id = \(bind: id) AND status = 'quarantined' RETURNING id
                """).first() != nil
        }
    }

    /// Drops a quarantined message for good: its raw bytes are deleted, the row and the reason stay.
    public func dropMail(_ id: UUID, reason: String, at instant: Date) async throws -> Bool {
        try await write { db in
            try await db.sql.raw("""
                UPDATE inbound_mails SET status = 'dropped', raw = \(bind: Data()), reason = \(bind: String(reason.prefix(2000))),
                    finished = \(bind: instant.timeIntervalSince1970)
                WHERE id = \(bind: id) AND status = 'quarantined' RETURNING id
                """).first() != nil
        }
    }

    /// The case numbered `number` (`PLM-2026-000123`).
    public func caseID(number: String) async throws -> UUID? {
        try await database.sql.raw("SELECT id FROM cases WHERE number = \(bind: number)").first()?.decode(column: "id", as: UUID.self)
    }

    /// The customers having people (not erased) with an address at `domain`.
    public func organizations(withPeopleAtDomain domain: String) async throws -> [UUID] {
        // Compared on the part after the last '@', so no pattern characters of the domain matter.
        let people = try await database.sql.raw("""
            SELECT DISTINCT organization_id, email FROM people WHERE organization_id IS NOT NULL AND erased_at IS NULL
            AND email LIKE \(bind: "%@" + domain.lowercased().filter { $0 != "%" && $0 != "_" && $0 != "\\" })
            """).all()
        var found: [UUID] = []
        for row in people {
            let email = try row.decode(column: "email", as: String.self)
            guard email.split(separator: "@").last.map(String.init) == domain.lowercased() else { continue }
            let id = try row.decode(column: "organization_id", as: UUID.self)
            if !found.contains(id) { found.append(id) }
        }
        return found
    }

    /// The Message-ID of the latest message received into a case (what the desk's mail answers).
    public func latestMessageID(ofCase caseID: UUID) async throws -> String? {
        try await database.sql.raw("""
            SELECT message_id FROM inbound_mails WHERE case_id = \(bind: caseID) AND message_id IS NOT NULL ORDER BY received DESC LIMIT 1
            """).first()?.decode(column: "message_id", as: String.self)
    }

    /// The support address a case came through, if it came by mail to one.
    public func caseMailbox(_ caseID: UUID) async throws -> String? {
        try await database.sql.raw("SELECT mailbox FROM cases WHERE id = \(bind: caseID)").first()?.decode(column: "mailbox", as: String?.self)
    }

    /// The desk's secret called `name`: 32 random bytes made by the first server that asks, the
    /// same for every server of the desk after.
    public func deskSecret(_ name: String) async throws -> [UInt8] {
        if let row = try await database.sql.raw("SELECT secret FROM desk_secrets WHERE name = \(bind: name)").first() {
            return [UInt8](try row.decode(column: "secret", as: Data.self))
        }
        var generator = SystemRandomNumberGenerator()
        let fresh = Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
        try await write { db in
            try await db.sql.raw("INSERT INTO desk_secrets (name, secret) VALUES (\(bind: name), \(bind: fresh)) ON CONFLICT (name) DO NOTHING").run()
        }
        guard let row = try await database.sql.raw("SELECT secret FROM desk_secrets WHERE name = \(bind: name)").first() else {
            throw StoreError.notFound("desk secret \(name)")
        }
        return [UInt8](try row.decode(column: "secret", as: Data.self))
    }

    // MARK: Mail gateways' tokens

    /// Issues a token for a mail gateway (`accord mailgate`): it delivers mail and does nothing
    /// else. Only its SHA-256 is stored; the secret is shown once.
    public func issueMailGatewayToken(label: String, at instant: Date) async throws -> (secret: String, id: UUID) {
        let secret = Self.newSecret(prefix: "acm_")
        let id = UUID.timeOrdered(at: instant)
        try await write { db in
            try await db.sql.raw("""
                INSERT INTO mail_gateway_tokens (id, label, secret_hash, created) VALUES (\(bind: id), \(bind: label), \(bind: Self.hash(secret)), \(bind: instant.timeIntervalSince1970))
                """).run()
        }
        return (secret, id)
    }

    /// The label of the gateway a secret belongs to (kept a moment, as token holders are: a
    /// gateway delivers a message a process).
    public func mailGateway(forToken secret: String) async throws -> String? {
        let hash = Self.hash(secret)
        return try await cached(\.gateways, hash) {
            try await database.sql.raw("SELECT label FROM mail_gateway_tokens WHERE secret_hash = \(bind: hash)").first()?
                .decode(column: "label", as: String.self)
        }
    }

    public func mailGatewayTokens() async throws -> [TokenInfo] {
        try await database.sql.raw("SELECT id, label, created FROM mail_gateway_tokens ORDER BY created").all().map {
            TokenInfo(id: try $0.decode(column: "id", as: UUID.self), label: try $0.decode(column: "label", as: String.self),
                      createdAt: Date(timeIntervalSince1970: try $0.decode(column: "created", as: Double.self)))
        }
    }

    public func revokeMailGatewayToken(_ id: UUID) async throws -> Bool {
        try await writeUncaching { db in
            try await db.sql.raw("DELETE FROM mail_gateway_tokens WHERE id = \(bind: id) RETURNING id").first() != nil
        }
    }

    static let mailColumns = "id, digest, size, recipient, sender, subject, message_id, received, status, outcome, case_id, reason, attempts"

    static func mail(_ row: any SQLRow) throws -> InboundMail {
        InboundMail(
            id: try row.decode(column: "id", as: UUID.self), digest: try row.decode(column: "digest", as: String.self),
            size: try row.decode(column: "size", as: Int64.self), recipient: try row.decode(column: "recipient", as: String?.self),
            sender: try row.decode(column: "sender", as: String?.self), subject: try row.decode(column: "subject", as: String?.self),
            messageID: try row.decode(column: "message_id", as: String?.self),
            received: Date(timeIntervalSince1970: try row.decode(column: "received", as: Double.self)),
            status: InboundMail.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .quarantined,
            outcome: try row.decode(column: "outcome", as: String?.self), caseID: try row.decode(column: "case_id", as: UUID?.self),
            reason: try row.decode(column: "reason", as: String?.self), attempts: try row.decode(column: "attempts", as: Int.self))
    }
}

extension DeskStore {
    /// The messages that made or joined a case, oldest first (at most `limit`; facts, not bytes).
    public func inboundMails(ofCase caseID: UUID, limit: Int = 200) async throws -> [InboundMail] {
        try await database.sql.raw("""
            SELECT \(unsafeRaw: Self.mailColumns) FROM inbound_mails WHERE case_id = \(bind: caseID) ORDER BY received, id LIMIT \(bind: limit)
            """).all().map(Self.mail)
    }
}
