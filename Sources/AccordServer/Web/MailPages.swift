import AccordMail
import AccordStore
import BusinessTime
import Foundation
import Vapor

/// A case's mail as it came, for staff on the console: each message that made or joined the case
/// (`/console/cases/:id/mail/:mail`) with its header fields, the HTML as the sender wrote it —
/// sanitised, inline images shown, images from the web not loaded — or its text, its files, and the
/// original as delivered (`…/original`, `message/rfc822`). Only staff who may see the case; the
/// message must be that case's.
struct MailPages: RouteCollection {
    let service: @Sendable (Request) -> CaseService
    let pages: PageRenderer

    /// An inline image larger than this is not put into the page (its file is on the case).
    static let maxInlineImage = 2 * 1024 * 1024

    func boot(routes: any RoutesBuilder) throws {
        routes.get("console", "cases", ":id", "mail", ":mail", use: message)
        routes.get("console", "cases", ":id", "mail", ":mail", "original", use: original)
    }

    struct MessageContent: Encodable, Sendable {
        let caseURL: String
        let caseNumber: String
        let originalURL: String
        let fields: [Field]
        /// The sanitised HTML, safe to put into the page as it is.
        let html: String?
        let text: String
        let remoteImages: Int
        let files: [String]
        let outcome: String
        let received: WebFormat.Time
    }

    struct Field: Encodable, Sendable {
        let name: String
        let value: String
    }

    func message(_ request: Request) async throws -> Response {
        let (supportCase, mail, raw) = try await stored(request)
        let parsed = MailMessage(parsing: [UInt8](raw))
        let content = AccordMail.MessageContent(parsed)
        // Inline images (`cid:`) shown from the message itself, as data: addresses the page's policy allows.
        var images: [String: String] = [:]
        for file in content.attachments {
            if let id = file.contentID, file.contentType.hasPrefix("image/"), file.bytes.count <= Self.maxInlineImage {
                images[id] = "data:\(file.contentType);base64,\(Data(file.bytes).base64EncodedString())"
            }
        }
        let sanitized = content.htmlSource.map { HTMLSanitizer.sanitize($0, image: { images[$0] }) }
        let fields = ["From", "To", "Cc", "Date", "Subject"].compactMap { name in parsed.headers.text(name).map { Field(name: name, value: $0) } }
        let base = "/console/cases/\(supportCase.id.uuidString)"
        let page = MessageContent(
            caseURL: base, caseNumber: supportCase.number, originalURL: "\(base)/mail/\(mail.id.uuidString)/original", fields: fields,
            html: sanitized?.html, text: content.text, remoteImages: sanitized?.remoteImages ?? 0,
            files: content.attachments.filter { !$0.inline }.map(\.filename), outcome: mail.outcome ?? mail.status.rawValue,
            received: WebFormat(request).time(mail.received, contractZone: nil))
        return try await pages.render("mail", title: "\(supportCase.number): \(mail.subject ?? "a message by mail")", content: page, on: request,
                                      section: "/console/cases")
    }

    func original(_ request: Request) async throws -> Response {
        let (supportCase, mail, raw) = try await stored(request)
        let response = Response(status: .ok, body: .init(data: raw))
        response.headers.contentType = HTTPMediaType(type: "message", subType: "rfc822")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(supportCase.number)-\(mail.id.uuidString.prefix(8)).eml\"")
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        return response
    }

    /// The case, the message and its bytes — for staff who may see the case, when the message is its.
    private func stored(_ request: Request) async throws -> (SupportCase, InboundMail, Data) {
        let person = try request.webSession.person
        guard person.role.isStaff else { throw Problem(.notFound, "no such page") }
        let service = service(request)
        let supportCase = try await service.visibleCase(try CasePages.caseID(request), for: person)
        guard let text = request.parameters.get("mail"), let id = UUID(uuidString: text),
              let mail = try await service.store.inboundMail(id), mail.caseID == supportCase.id,
              let raw = try await service.store.inboundRaw(id) else {
            throw Problem(.notFound, "case \(supportCase.number) has no such message")
        }
        return (supportCase, mail, raw)
    }
}
