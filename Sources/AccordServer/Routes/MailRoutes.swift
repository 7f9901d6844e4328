import AccordMail
import AccordStore
import BusinessTime
import Foundation
import NIOPosix
import Vapor

/// Mail into the desk: `POST /api/v1/mail/inbound` for a mail gateway (`accord mailgate`, with a
/// mail-gateway token that can do nothing else), and for administrators the quarantine —
/// `GET /api/v1/mail/quarantine`, a message's facts and raw bytes at `/api/v1/mail/messages/{id}`
/// and `…/raw`, `POST /api/v1/mail/quarantine/{id}/retry` and `…/drop`, and the addresses bounces
/// said fail at `GET /api/v1/mail/failing-addresses`.
struct MailRoutes {
    let intake: @Sendable (Request) -> MailIntake
    let settings: MailSettings
    let throttle: AuthenticationThrottle
    let now: @Sendable () -> Date

    /// The envelope recipient, as the gateway was told it by the mail server.
    static let recipientHeader = "Accord-Envelope-Recipient"
    /// When the desk's mail server accepted the message (RFC 3339), as the gateway read it from
    /// the server's own `Received` field.
    static let acceptedHeader = "Accord-Accepted-At"

    struct MailView: Content {
        let id: UUID
        let digest: String
        let size: Int64
        let recipient: String?
        let sender: String?
        let subject: String?
        let messageID: String?
        let received: String
        let status: String
        let outcome: String?
        let caseID: UUID?
        let reason: String?
        let attempts: Int

        init(_ mail: InboundMail) {
            id = mail.id
            digest = mail.digest
            size = mail.size
            recipient = mail.recipient
            sender = mail.sender
            subject = mail.subject
            messageID = mail.messageID
            received = ISO8601.utc(CaseService.seconds(mail.received))
            status = mail.status.rawValue
            outcome = mail.outcome
            caseID = mail.caseID
            reason = mail.reason
            attempts = mail.attempts
        }
    }

    struct QuarantineView: Content {
        let messages: [MailView]
    }

    struct FailingView: Content {
        struct Address: Content {
            let address: String
            let since: String
            let lastBounce: String
            let bounces: Int
            let message: UUID?
            let caseID: UUID?
            let reason: String?
        }

        let addresses: [Address]
    }

    struct DropBody: Content {
        var reason: String
    }

    /// The gateway's route, outside the API's person tokens.
    func registerInbound(on app: Application) {
        app.on(.POST, "api", "v1", "mail", "inbound", body: .collect(maxSize: ByteCount(value: settings.hardLimit)), use: inbound)
    }

    /// The administrators' routes, inside the API.
    func registerQuarantine(on api: any RoutesBuilder) {
        let mail = api.grouped("mail")
        mail.get("quarantine", use: quarantine)
        mail.get("messages", ":id", use: message)
        mail.get("messages", ":id", "raw", use: raw)
        mail.post("quarantine", ":id", "retry", use: retry)
        mail.post("quarantine", ":id", "drop", use: drop)
        mail.get("failing-addresses", use: failing)
    }

    func inbound(_ request: Request) async throws -> Response {
        try await authenticateGateway(request)
        guard let type = request.headers.contentType, type.type == "message", type.subType == "rfc822" else {
            throw Problem(.unsupportedMediaType, "send the message as it came, with Content-Type: message/rfc822", field: "Content-Type")
        }
        guard let body = request.body.data, body.readableBytes > 0 else {
            throw Problem(.badRequest, "the body is empty: send one RFC 5322 message")
        }
        let raw = Data(buffer: body)
        // The envelope recipient only as the gateway was told it — never the message's own
        // Delivered-To or X-Original-To: a sender can write those and so pick the region, team and
        // calendar of their case (`accord mailgate --recipient-header` reads them where the
        // operator's mail server is known to add them).
        let given = request.headers.first(name: Self.recipientHeader)?.trimmingCharacters(in: .whitespaces) ?? ""
        if !given.isEmpty, !CaseService.isEmail(given) {
            throw Problem(.unprocessableEntity, "'\(given.prefix(100))' is not an email address", field: Self.recipientHeader)
        }
        let recipient = given.isEmpty ? nil : given
        var accepted: Date?
        if let text = request.headers.first(name: Self.acceptedHeader)?.trimmingCharacters(in: .whitespaces) {
            // RFC 3339, or the RFC 5322 date of the topmost Received field as the gateway found it.
            guard let date = ISO8601DateFormatter().date(from: text)
                    ?? MailDate(parsing: text).map({ Date(timeIntervalSince1970: TimeInterval($0.seconds)) }) else {
                throw Problem(.unprocessableEntity, "'\(text.prefix(60))' is neither an RFC 3339 time such as 2026-03-03T10:00:00Z nor an RFC 5322 date such as Tue, 3 Mar 2026 10:00:00 +0100",
                              field: Self.acceptedHeader)
            }
            accepted = date
        }
        let outcome = try await intake(request).receive(raw, recipient: recipient, acceptedAt: accepted)
        let response = Response(status: .accepted)
        try response.content.encode(outcome, as: .json)
        return response
    }

    /// A gateway token, throttled per address as every token is.
    private func authenticateGateway(_ request: Request) async throws {
        let address = request.clientAddress
        if let seconds = throttle.retryAfter(address, at: now()) { throw Throttled(seconds: seconds) }
        guard let bearer = request.headers.bearerAuthorization else {
            throw Abort(.unauthorized, reason: "send a mail-gateway token: Authorization: Bearer <token> (create one with 'accord mail gateway-token create')")
        }
        let store = intake(request).service.store
        guard try await store.mailGateway(forToken: bearer.token) != nil else {
            _ = try await throttle.recordFailure(from: address, store: store, at: now())
            throw Abort(.unauthorized, reason: "the token is not a mail gateway's")
        }
    }

    func quarantine(_ request: Request) async throws -> QuarantineView {
        _ = try request.requireStaff([.admin])
        let limit = try request.limit(standard: 100, maximum: 1000)
        return QuarantineView(messages: try await intake(request).service.store.quarantinedMails(limit: limit).map(MailView.init))
    }

    /// Addresses a bounce said mail to them fails, most recent first; an address leaves the list
    /// when mail comes from it again.
    func failing(_ request: Request) async throws -> FailingView {
        _ = try request.requireStaff([.admin])
        let limit = try request.limit(standard: 100, maximum: 1000)
        return FailingView(addresses: try await intake(request).service.store.failingAddresses(limit: limit).map { failing in
            FailingView.Address(address: failing.address, since: ISO8601.utc(CaseService.seconds(failing.since)),
                                lastBounce: ISO8601.utc(CaseService.seconds(failing.lastBounce)), bounces: failing.bounces,
                                message: failing.mailID, caseID: failing.caseID, reason: failing.reason)
        })
    }

    func message(_ request: Request) async throws -> MailView {
        _ = try request.requireStaff([.admin])
        return MailView(try await stored(request))
    }

    func raw(_ request: Request) async throws -> Response {
        _ = try request.requireStaff([.admin])
        let mail = try await stored(request)
        guard let raw = try await intake(request).service.store.inboundRaw(mail.id) else {
            throw Problem(.gone, "the message was dropped: its bytes are deleted (\(mail.reason ?? "no reason given"))")
        }
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "message", subType: "rfc822")
        headers.contentDisposition = .init(.attachment, filename: "\(mail.id).eml")
        return Response(status: .ok, headers: headers, body: .init(data: raw))
    }

    func retry(_ request: Request) async throws -> Response {
        _ = try request.requireStaff([.admin])
        let mail = try await stored(request)
        let intake = intake(request)
        guard try await intake.service.store.retryMail(mail.id) else {
            throw Problem(.conflict, "the message is \(mail.status.rawValue), not quarantined: only a quarantined message is retried")
        }
        guard let claimed = try await intake.service.store.claimMail(mail.id, at: now(), lease: settings.processingLease),
              let raw = try await intake.service.store.inboundRaw(claimed.id) else {
            throw Problem(.conflict, "the message is being processed by another server")
        }
        let outcome = await intake.process(claimed, raw: raw)
        let response = Response(status: .ok)
        try response.content.encode(outcome, as: .json)
        return response
    }

    func drop(_ request: Request) async throws -> HTTPStatus {
        _ = try request.requireStaff([.admin])
        let body = try request.content.decode(DropBody.self)
        let reason = body.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= 2000 else {
            throw Problem(.unprocessableEntity, "say why the message is dropped (1 to 2000 characters)", field: "reason")
        }
        let mail = try await stored(request)
        guard try await intake(request).service.store.dropMail(mail.id, reason: reason, at: now()) else {
            throw Problem(.conflict, "the message is \(mail.status.rawValue), not quarantined: only a quarantined message is dropped")
        }
        return .noContent
    }

    private func stored(_ request: Request) async throws -> InboundMail {
        guard let id = request.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let mail = try await intake(request).service.store.inboundMail(id) else {
            throw Problem(.notFound, "no message has that id")
        }
        return mail
    }
}
