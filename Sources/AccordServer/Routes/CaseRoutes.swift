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
        guard let slot = uploads.take(for: caller.id) else {
            throw Throttled(seconds: 5, detail: "you have \(uploads.limit) uploads under way, the most one person may at once; wait for one to finish")
        }
        defer { slot.release() }
        let upload = try await FormUpload.read(request, into: files, limits: .init(maxFileSize: Int(maxAttachmentSize.value), maxFiles: 1, maxFieldBytes: 16 * 1024),
                                               fileFields: ["file"])
        guard !upload.files.isEmpty else {
            throw Problem(.unprocessableEntity, "the upload needs a part named 'file' with a filename", field: "file")
        }
        let isInternal: Bool
        switch upload["internal"] {
        case nil, "false": isInternal = false
        case "true":
            guard caller.role.isStaff else {
                upload.discard()
                throw Problem(.forbidden, "only the provider's staff keep files internal", field: "internal")
            }
            isInternal = true
        default:
            upload.discard()
            throw Problem(.unprocessableEntity, "internal must be true or false", field: "internal")
        }
        let attachment = try await upload.attach(to: supportCase, by: caller, isInternal: isInternal, service: service,
                                                 threads: request.application.threadPool)[0]
        let response = Response(status: .created)
        try response.content.encode(AttachmentInfo(attachment))
        return response
    }

    /// The bytes of an attachment, checked against their SHA-256 before they are sent.
    func download(_ request: Request) async throws -> Response {
        guard let id = request.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw Problem(.notFound, "no attachment has that id") }
        return try await AttachmentDownload(service: service(request), files: files).response(for: id, to: try request.caller, on: request)
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
