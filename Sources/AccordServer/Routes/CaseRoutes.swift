import AccordCore
import AccordMail
import AccordStore
import BusinessTime
import Foundation
import Vapor

/// `/api/v1/cases`: log, read, list, add to the timeline, watchers and attachments.
struct CaseRoutes: RouteCollection {
    let service: @Sendable (Request) -> CaseService
    let files: AttachmentFiles
    let maxAttachmentSize: ByteCount
    /// Uploads under way per person.
    let uploads: UploadSlots

    struct NewWatcherBody: Content {
        var email: String
        /// `cc` (default) or `team`.
        var kind: String?
    }

    func boot(routes: any RoutesBuilder) throws {
        let cases = routes.grouped("cases")
        cases.post(use: create)
        cases.get(use: list)
        cases.get(":id", use: show)
        cases.post(":id", "events", use: addEvent)
        cases.post(":id", "watchers", use: addWatcher)
        cases.post(":id", "escalations", use: escalate)
        cases.put(":id", "assignee", use: assign)
        cases.delete(":id", "assignee", use: unassign)
        cases.post(":id", "links", use: link)
        cases.delete(":id", "links", ":other", use: unlink)
        cases.post(":id", "merge", use: merge)
        routes.get("cases", ":id", "clocks", ":metric", "explanation", use: explain)
        routes.post("take-next", use: takeNext)
        cases.on(.POST, ":id", "attachments", body: .stream, use: attach)
        routes.get("attachments", ":id", use: download)
    }

    func addWatcher(_ request: Request) async throws -> Response {
        let new = try StrictBody.decode(NewWatcherBody.self, from: request, allowed: ["email", "kind"])
        guard let kind = NewWatcher.Kind(rawValue: new.kind ?? "cc") else {
            throw Problem(.unprocessableEntity, "kind must be cc or team", field: "kind")
        }
        let service = service(request)
        let updated = try await service.addWatcher(new.email, kind: kind, to: try caseID(request), by: try request.caller)
        return try await respond(updated, to: try request.caller, service: service, status: .created)
    }

    /// Multipart upload of one file (part `file`), streamed to disk as it arrives (the server holds
    /// a small buffer per upload, never the file), stored by SHA-256 and synced before it is
    /// acknowledged. Each person may have only so many uploads under way at once.
    func attach(_ request: Request) async throws -> Response {
        let service = service(request)
        let caller = try request.caller
        let supportCase = try await service.visibleCase(try caseID(request), for: caller)
        try await CaseRelations(cases: service).refuseIfMerged(supportCase)
        guard request.headers.contentType?.type == "multipart", request.headers.contentType?.subType == "form-data" else {
            throw Problem(.unsupportedMediaType, "send the file as multipart/form-data in a part named 'file'")
        }
        let tooLarge = Problem(.payloadTooLarge, "attachments may be at most \(maxAttachmentSize.value / 1_048_576) MB")
        // Room for the part headers and delimiters around the file itself.
        let maxBody = maxAttachmentSize.value + 64 * 1024
        if let length = request.headers.first(name: .contentLength).flatMap(Int.init), length > maxBody { throw tooLarge }
        guard let boundary = request.headers.contentType?.parameters["boundary"], !boundary.isEmpty else {
            throw Problem(.badRequest, "multipart/form-data needs its boundary parameter", field: "file")
        }
        var reader: MultipartReader
        do { reader = try MultipartReader(boundary: boundary) } catch let malformed as MultipartReader.Malformed {
            throw Problem(.badRequest, malformed.description, field: "file")
        }
        guard let slot = uploads.take(for: caller.id) else {
            throw Throttled(seconds: 5, detail: "you have \(uploads.limit) uploads under way, the most one person may at once; wait for one to finish")
        }
        defer { slot.release() }

        let threads = request.application.threadPool
        var incoming: (file: IncomingFile, name: String?, contentType: String?)?
        var inFile = false
        var pending = ByteBuffer()
        var received = 0
        func writePending() async throws {
            guard let file = incoming?.file, pending.readableBytes > 0 else { return }
            let bytes = pending
            pending = ByteBuffer()
            try await threads.runIfActive { try file.write(bytes) }
            if file.size > maxAttachmentSize.value { throw tooLarge }
        }
        do {
            for try await piece in request.body {
                received += piece.readableBytes
                guard received <= maxBody else { throw tooLarge }
                for event in try reader.read(piece.readableBytesView) {
                    switch event {
                    case .part(let headers):
                        inFile = incoming == nil && headers.name == "file" && headers.filename != nil
                        if inFile { incoming = (try await threads.runIfActive { try IncomingFile(into: files) }, headers.filename, headers.contentType) }
                    case .bytes(let bytes):
                        guard inFile else { continue }
                        pending.writeBytes(bytes)
                        if pending.readableBytes >= 256 * 1024 { try await writePending() }
                    case .partEnd:
                        if inFile { try await writePending() }
                        inFile = false
                    }
                }
            }
            try reader.finish()
        } catch {
            incoming?.file.discard()
            if let malformed = error as? MultipartReader.Malformed { throw Problem(.badRequest, malformed.description, field: "file") }
            throw error
        }
        guard let incoming else {
            throw Problem(.unprocessableEntity, "the upload needs a part named 'file' with a filename", field: "file")
        }
        let name = (incoming.name ?? "").split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty, name.count <= 255 else {
            incoming.file.discard()
            throw Problem(.unprocessableEntity, "the file needs a name of 1 to 255 characters", field: "file")
        }
        guard incoming.file.size > 0 else {
            incoming.file.discard()
            throw Problem(.unprocessableEntity, "the file is empty", field: "file")
        }
        let file = incoming.file
        let sha = try await threads.runIfActive { try file.keep() }
        let attachment = Attachment(
            id: UUID(), caseID: supportCase.id, filename: name, contentType: incoming.contentType ?? "application/octet-stream",
            size: file.size, sha256: sha, uploadedBy: caller.id, uploadedAt: service.now())
        try await service.store.addAttachment(attachment)
        let response = Response(status: .created)
        try response.content.encode(AttachmentInfo(attachment))
        return response
    }

    /// The bytes of an attachment, checked against their SHA-256 before they are sent.
    func download(_ request: Request) async throws -> Response {
        guard let text = request.parameters.get("id"), let id = UUID(uuidString: text),
              let attachment = try await service(request).store.attachment(id) else {
            throw Problem(.notFound, "no attachment has that id")
        }
        // Whether the case exists is the caller's business only if they may see it: the same 404 either way.
        guard (try? await service(request).visibleCase(attachment.caseID, for: try request.caller)) != nil else {
            throw Problem(.notFound, "no attachment has that id")
        }
        if let erased = attachment.erasedAt {
            throw Problem(.gone, "the attachment was erased on \(ISO8601.utc(CaseService.seconds(erased))) with its uploader's personal data")
        }
        let files = self.files
        let data: Data
        do {
            data = try await request.application.threadPool.runIfActive { try files.read(attachment.sha256) }
        } catch let failure as AttachmentFiles.Failure {
            request.logger.error("attachment \(attachment.id): \(failure)")
            throw Problem(.internalServerError, "attachment \(attachment.filename) cannot be served: \(failure)")
        }
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.replaceOrAdd(name: .contentType, value: attachment.contentType)
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(attachment.filename.replacingOccurrences(of: "\"", with: ""))\"")
        response.headers.replaceOrAdd(name: "Repr-Digest", value: "sha-256=:\(Data(attachment.sha256.hexBytes).base64EncodedString()):")
        response.headers.replaceOrAdd(name: .eTag, value: "\"\(attachment.sha256)\"")
        return response
    }

    func create(_ request: Request) async throws -> Response {
        let new = try StrictBody.decode(CaseService.NewCase.self, from: request, allowed: CaseService.NewCase.fields)
        let service = service(request)
        let (logged, tam) = try await service.log(new, by: try request.caller)
        return try await respond(logged.supportCase, to: try request.caller, service: service, status: .created, logged: (logged, tam))
    }

    func show(_ request: Request) async throws -> Response {
        let service = service(request)
        let found = try await service.visibleCase(try caseID(request), for: try request.caller)
        return try await respond(found, to: try request.caller, service: service, status: .ok)
    }

    /// Why a clock of the case falls due when it does: the engine's explanation as data.
    func explain(_ request: Request) async throws -> ClockExplanationView {
        let service = service(request)
        let metric = request.parameters.get("metric") ?? ""
        let (supportCase, explanation) = try await service.explanation(of: metric, onCase: try caseID(request), for: try request.caller, at: service.now())
        guard let explanation else {
            throw Problem(.conflict, "the \(metric) clock of \(supportCase.number) is not counting (not started, without a target, or cancelled): there is no deadline to explain")
        }
        return ClockExplanationView(explanation, caseNumber: supportCase.number)
    }

    func addEvent(_ request: Request) async throws -> Response {
        let new = try StrictBody.decode(CaseService.NewEvent.self, from: request, allowed: CaseService.NewEvent.fields)
        let service = service(request)
        let updated = try await service.add(new, to: try caseID(request), by: try request.caller, ifMatch: try ifMatch(request))
        return try await respond(updated, to: try request.caller, service: service, status: .created)
    }

    func escalate(_ request: Request) async throws -> Response {
        let escalation = try StrictBody.decode(WorkService.Escalation.self, from: request, allowed: WorkService.Escalation.fields)
        let service = service(request)
        let escalated = try await WorkService(cases: service).escalate(try caseID(request), escalation, by: try request.caller)
        return try await respond(escalated, to: try request.caller, service: service, status: .created)
    }

    struct NewAssignee: Content {
        var person: UUID
    }

    /// Assigns or reassigns the case (`{"person": id}`), with `If-Match` if the caller wants to be
    /// sure of what it saw.
    func assign(_ request: Request) async throws -> Response {
        let body = try StrictBody.decode(NewAssignee.self, from: request, allowed: ["person"])
        let service = service(request)
        let assigned = try await WorkService(cases: service).assign(try caseID(request), to: body.person, by: try request.caller, ifMatch: try ifMatch(request))
        return try await respond(assigned, to: try request.caller, service: service, status: .ok)
    }

    /// Takes the case from its assignee: it waits in its team's queue again.
    func unassign(_ request: Request) async throws -> Response {
        let service = service(request)
        let unassigned = try await WorkService(cases: service).assign(try caseID(request), to: nil, by: try request.caller, ifMatch: try ifMatch(request))
        return try await respond(unassigned, to: try request.caller, service: service, status: .ok)
    }

    /// The version `If-Match` names, if the request has one.
    struct NewLink: Content {
        var `case`: UUID
    }

    struct NewMerge: Content {
        /// The case that carries the request on.
        var into: UUID
        var reason: String?
    }

    /// Links two cases that concern the same thing (staff; recorded on both, internal).
    func link(_ request: Request) async throws -> Response {
        let caller = try request.requireStaff(Role.staff)
        let body = try StrictBody.decode(NewLink.self, from: request, allowed: ["case"])
        let service = service(request)
        let linked = try await CaseRelations(cases: service).link(try caseID(request), to: body.case, by: caller)
        return try await respond(linked, to: caller, service: service, status: .created)
    }

    func unlink(_ request: Request) async throws -> Response {
        let caller = try request.requireStaff(Role.staff)
        guard let text = request.parameters.get("other"), let other = UUID(uuidString: text) else { throw Problem(.notFound, "the cases are not linked") }
        let service = service(request)
        let unlinked = try await CaseRelations(cases: service).unlink(try caseID(request), from: other, by: caller)
        return try await respond(unlinked, to: caller, service: service, status: .ok)
    }

    /// Merges this case, a duplicate, into `into`; answers the surviving case.
    func merge(_ request: Request) async throws -> Response {
        let caller = try request.requireStaff(Role.staff)
        let body = try StrictBody.decode(NewMerge.self, from: request, allowed: ["into", "reason"])
        let service = service(request)
        let survivor = try await CaseRelations(cases: service).merge(try caseID(request), into: body.into, reason: try FreeText.optional(body.reason, "reason"),
                                                                     by: caller, ifMatch: try ifMatch(request))
        return try await respond(survivor, to: caller, service: service, status: .ok)
    }

    private func ifMatch(_ request: Request) throws -> Int? {
        guard let header = request.headers.first(name: .ifMatch) else { return nil }
        guard let version = Int(header.trimmingCharacters(in: CharacterSet(charactersIn: "\"W/ "))) else {
            throw Problem(.badRequest, "If-Match must be the ETag of the case, such as \"3\"")
        }
        return version
    }

    struct TakeNext: Content {
        /// A queue id (`POLICY.TEAM`); without it, each of the agent's teams in turn.
        var queue: String?
    }

    /// The next case the calling agent may work, assigned to it; 204 when nothing waits.
    func takeNext(_ request: Request) async throws -> Response {
        let agent = try request.requireStaff(Role.staff)
        let body = request.body.data.map { $0.readableBytes > 0 } == true ? try StrictBody.decode(TakeNext.self, from: request, allowed: ["queue"]) : TakeNext()
        let service = service(request)
        guard let taken = try await WorkService(cases: service).takeNext(by: agent, from: try body.queue.map { try WorkService.QueueID($0) }) else {
            return Response(status: .noContent)
        }
        return try await respond(taken, to: agent, service: service, status: .ok)
    }

    func list(_ request: Request) async throws -> CasePage {
        let service = service(request)
        var query = CaseListQuery(limit: try request.limit(standard: 50, maximum: 200))
        for (name, keyPath) in CaseListQuery.parameters {
            query[keyPath: keyPath] = try? request.query.get(String.self, at: name)
        }
        let page = try await service.list(query, for: try request.caller)
        return CasePage(items: page.items.map { CaseResponse($0.supportCase, clocks: $0.clocks, events: nil) }, nextCursor: page.next)
    }

    private func caseID(_ request: Request) throws -> UUID {
        guard let text = request.parameters.get("id"), let id = UUID(uuidString: text) else {
            throw Problem(.notFound, "no case has that id")
        }
        return id
    }

    /// The case as JSON with its ETag, as `viewer` may see it (`CaseService.view`).
    private func respond(_ supportCase: SupportCase, to viewer: Person, service: CaseService, status: HTTPResponseStatus,
                         logged: (case: LoggedCase, tam: UUID?)? = nil) async throws -> Response {
        let view = try await service.view(of: supportCase, for: viewer, logged: logged)
        let body = CaseResponse(supportCase, clocks: view.clocks, events: view.events, watchers: view.watchers, attachments: view.attachments,
                                tam: view.tam.map { CaseResponse.TAM(kind: $0.kind, person: $0.person) }, olas: view.olas)
        let response = Response(status: status)
        try response.content.encode(body, as: .json)
        response.headers.replaceOrAdd(name: .eTag, value: "\"\(supportCase.version)\"")
        return response
    }
}

extension String {
    /// The bytes of a hexadecimal string.
    fileprivate var hexBytes: [UInt8] {
        var bytes: [UInt8] = []
        var index = startIndex
        while index < endIndex, let next = self.index(index, offsetBy: 2, limitedBy: endIndex) {
            if let byte = UInt8(self[index..<next], radix: 16) { bytes.append(byte) }
            index = next
        }
        return bytes
    }
}
