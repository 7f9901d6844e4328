import AccordCore
import AccordStore
import BusinessTime
import Crypto
import Foundation
import Vapor

/// What the case page's forms do: reply or note, change status, preview and change the priority,
/// record what the contract's clocks turn on, take or give back, escalate — each `CaseService` or
/// `WorkService`, as the API; a refusal comes back on the case page in the service's words.
struct CaseActions: RouteCollection {
    let service: @Sendable (Request) -> CaseService
    let pages: CasePages
    /// Files sent with a message (`WebUploads`).
    let uploads: WebUploads

    func boot(routes: any RoutesBuilder) throws {
        routes.on(.POST, "cases", ":id", "messages", body: .stream, use: addMessage)
        routes.get("attachments", ":id", use: download)
        routes.post("cases", ":id", "watchers", use: addWatcher)
        routes.post("cases", ":id", "status", use: changeStatus)
        routes.post("cases", ":id", "priority", use: changePriority)
        routes.post("cases", ":id", "record", use: record)
        routes.post("cases", ":id", "assignment", use: assign)
        routes.post("cases", ":id", "escalation", use: escalate)
    }

    struct PriorityForm: Content {
        var priority: String?
        var version: Int?
        /// `preview` shows how the clocks would move; `save` makes the change.
        var action: String?
    }

    /// A priority change: previewed first (each clock's due before and after), then saved against
    /// the version the preview showed.
    func changePriority(_ request: Request) async throws -> Response {
        let form = try request.content.decode(PriorityForm.self)
        let priority = form.priority.flatMap { $0.isEmpty ? nil : $0 }
        if form.action == "save" {
            return try await changing(request, version: form.version) { service, person, id in
                _ = try await service.add(.init(kind: "priority-change", value: priority), to: id, by: person, ifMatch: form.version)
            }
        }
        let person = try request.webSession.person
        let id = try CasePages.caseID(request)
        let service = service(request)
        let preview: CaseService.PriorityPreview
        do {
            preview = try await service.previewPriority(priority, of: id, by: person)
        } catch let problem as Problem where problem.status < 500 && problem.status != 404 {
            return try await pages.again(request, id: id, problem: problem.detail)
        }
        let (supportCase, policy) = (preview.supportCase, preview.policy)
        let format = WebFormat(request)
        let zone = CaseSheetMaker.contractZone(of: supportCase, policy: policy, at: CaseService.seconds(service.now()))
        func describe(_ clock: CaseClocks.Clock?) -> String {
            guard let clock else { return "—" }
            let state = CaseSheet.state(clock.state).text
            guard let status = clock.status else { return "\(state)\(clock.target.map { ", \($0)" } ?? "")" }
            let due = format.time(Date(timeIntervalSince1970: TimeInterval(status.due)), contractZone: zone)
            return "\(clock.target ?? "no target"): \(state.lowercased()), due \(due.viewer)\(due.contract.map { " (\($0))" } ?? "")"
        }
        let rows = preview.after.map { clock in
            CasePages.PriorityPreview.Row(clock: policy.metric(clock.metric)?.name ?? clock.metric,
                                          before: describe(preview.before.first { $0.metric == clock.metric }), after: describe(clock))
        }
        let shown = CasePages.PriorityPreview(priority: priority ?? "", name: priority.flatMap { policy.priority($0)?.name } ?? "none",
                                              version: supportCase.version, rows: rows)
        return try await pages.page(request, id: id, problem: nil, preview: shown, status: .ok)
    }

    /// A public reply or internal note (staff), or the customer's message: the service decides who
    /// may write what. Files sent with it become the case's attachments — internal ones, seen by
    /// staff only, when they go with an internal note.
    func addMessage(_ request: Request) async throws -> Response {
        let session = try request.webSession
        let (values, upload) = try await uploads.read(request, session: session)
        let body = (values["body"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let threads = request.application.threadPool
        // The same words (and files) sent again from the same page — a double click, a reload —
        // are one message: the key is the case, the version the page showed, and what was sent.
        let id = try CasePages.caseID(request)
        // (Keys are at most 64 characters: the key is the SHA-256 of all that, in hex.)
        let sent = (["message", id.uuidString, values["version"] ?? "", body] + (upload?.files.map(\.filename) ?? [])).joined(separator: "\u{0}")
        let key = SHA256.hash(data: Data(sent.utf8)).map { String(format: "%02x", $0) }.joined()
        return try await FormOnce(store: service(request).store, now: service(request).now).perform(key, session: session, on: request,
                                                                                                  repeated: { upload?.discard() }, underWay: {
            try await pages.again(request, id: id, problem: "This message is already being sent; it appears on the timeline in a moment.", status: .conflict)
        }) {
            do {
                let response = try await changing(request, anchor: "#timeline") { service, person, id in
                    guard !body.isEmpty else { throw Problem(.unprocessableEntity, "Write the message before sending it.", field: "body") }
                    let kind = person.role.isStaff ? (values["kind"] == "internal-note" ? "internal-note" : "public-reply") : "customer-message"
                    guard let upload, !upload.files.isEmpty else {
                        _ = try await service.add(.init(kind: kind, body: body), to: id, by: person, ifMatch: nil)
                        return
                    }
                    let names = try upload.check()
                    let supportCase = try await service.visibleCase(id, for: person)
                    try await CaseRelations(cases: service).refuseIfMerged(supportCase)
                    let message = try await service.add(.init(kind: kind, body: body + "\n\nAttached: " + names.joined(separator: ", ")), to: id, by: person, ifMatch: nil)
                    // Files sent with an internal note are internal too: staff only.
                    _ = try await upload.attach(to: message, by: person, isInternal: kind == "internal-note", service: service, threads: threads)
                }
                // `changing` answers a refusal with the case page again, a success by going there.
                guard response.status == .seeOther, let location = response.headers.first(name: .location) else {
                    upload?.discard()
                    return (response, nil)
                }
                return (response, location)
            } catch {
                upload?.discard()
                throw error
            }
        }
    }

    /// Copies someone on the case (CC) or adds a case-team contact (`CaseService.addWatcher`, as the API).
    func addWatcher(_ request: Request) async throws -> Response {
        let values = try request.content.decode([String: String].self)
        let email = (values["email"] ?? "").trimmingCharacters(in: .whitespaces)
        return try await changing(request) { service, person, id in
            guard let kind = NewWatcher.Kind(rawValue: values["kind"] ?? "cc") else {
                throw Problem(.unprocessableEntity, "kind must be cc or team", field: "kind")
            }
            _ = try await service.addWatcher(email, kind: kind, to: id, by: person)
        }
    }

    /// An attachment of a case the viewer may see (`AttachmentDownload`, as the API).
    func download(_ request: Request) async throws -> Response {
        let person = try request.webSession.person
        guard let id = request.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw Problem(.notFound, "no attachment has that id") }
        return try await AttachmentDownload(service: service(request), files: uploads.files).response(for: id, to: person, on: request)
    }

    struct StatusForm: Content {
        var value: String?
        var resolution: String?
        var version: Int?
    }

    /// A status change, made against the version the page showed (the API's If-Match): a case
    /// changed by someone else meanwhile is not overwritten — the page says who changed it.
    func changeStatus(_ request: Request) async throws -> Response {
        let form = try request.content.decode(StatusForm.self)
        return try await changing(request, version: form.version) { service, person, id in
            guard let value = form.value, !value.isEmpty else { throw Problem(.unprocessableEntity, "Choose the new status.", field: "value") }
            let resolution = form.resolution?.isEmpty == false ? form.resolution : nil
            _ = try await service.add(.init(kind: "status-change", value: value, resolution: resolution), to: id, by: person, ifMatch: form.version)
        }
    }

    struct RecordForm: Content {
        var kind: String?
        var value: String?
        var body: String?
    }

    /// Records what the contract's clocks turn on: a confirmed defect, an available patch, a late
    /// notice with its reason and estimate, an out-of-scope classification — `CaseService.add`, as the API.
    func record(_ request: Request) async throws -> Response {
        let form = try request.content.decode(RecordForm.self)
        let value = form.value.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0.trimmingCharacters(in: .whitespaces) }
        let body = form.body.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        return try await changing(request) { service, person, id in
            let kinds = ["defect-confirmed", "patch-available", "rectification-late", "out-of-scope"]
            guard let kind = form.kind, kinds.contains(kind) else { throw Problem(.unprocessableEntity, "Choose what to record.", field: "kind") }
            _ = try await service.add(.init(kind: kind, value: value, body: body), to: id, by: person, ifMatch: nil)
        }
    }

    struct AssignForm: Content {
        /// `me` to take the case, `none` to give it back.
        var assignee: String?
        var version: Int?
    }

    func assign(_ request: Request) async throws -> Response {
        let form = try request.content.decode(AssignForm.self)
        return try await changing(request, version: form.version) { service, person, id in
            let assignee: UUID? = form.assignee == "me" ? person.id : nil
            _ = try await WorkService(cases: service).assign(id, to: assignee, by: person, ifMatch: form.version)
        }
    }

    struct EscalationForm: Content {
        var tier: Int?
        var reason: String?
    }

    func escalate(_ request: Request) async throws -> Response {
        let form = try request.content.decode(EscalationForm.self)
        return try await changing(request) { service, person, id in
            guard let tier = form.tier else { throw Problem(.unprocessableEntity, "Choose the tier to escalate to.", field: "tier") }
            _ = try await WorkService(cases: service).escalate(id, .init(tier: tier, reason: form.reason ?? ""), by: person)
        }
    }

    /// Makes `change` to the case the path names and goes back to its page. A refusal is shown on
    /// the page above its forms (422), in the service's words; a change made meanwhile by someone
    /// else (`version` no longer the case's) says who made it, and nothing is overwritten.
    private func changing(_ request: Request, version: Int? = nil, anchor: String = "",
                          _ change: (CaseService, Person, UUID) async throws -> Void) async throws -> Response {
        let person = try request.webSession.person
        let id = try CasePages.caseID(request)
        let service = service(request)
        do {
            try await change(service, person, id)
        } catch StoreError.staleVersion {
            return try await pages.again(request, id: id, problem: try await changedMeanwhile(id, service: service, since: version ?? 0, format: WebFormat(request)))
        } catch let problem as Problem where problem.status < 500 && problem.status != 404 {
            // The API's status for the same refusal: 403 for what the person may not do, 409 for
            // what the case's state forbids, 422 for what was typed.
            return try await pages.again(request, id: id, problem: problem.detail, status: HTTPResponseStatus(statusCode: problem.status))
        }
        return request.redirect(to: CasePages.base(for: person) + "/" + id.uuidString + anchor, redirectType: .normal)
    }

    /// "Changed by … at …": the latest event after the version the page showed.
    private func changedMeanwhile(_ id: UUID, service: CaseService, since version: Int, format: WebFormat) async throws -> String {
        let events = try await service.store.events(of: id)
        guard let last = events.last else { return "The case changed since you opened it. Reload it and try again." }
        var who = "someone"
        if let actor = last.actorID, let person = try await service.store.person(actor) { who = person.name }
        return "The case was changed by \(who) at \(format.time(last.at, contractZone: nil).viewer) (\(CaseSheetMaker.heading(last))) since you opened it. Nothing was saved: reload the case, check, and try again."
    }
}
