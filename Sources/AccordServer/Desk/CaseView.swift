import AccordCore
import AccordStore
import Foundation

/// A case as one viewer may see it, at one instant: its clocks, the timeline without what is
/// internal for a customer (notes, routing, hand-overs, files sent with a note), watchers, attachments, the TAM and — for
/// staff only — the internal targets. The API's case JSON and the web's case pages are both made
/// from it, so what one shows the other shows.
struct CaseView: Sendable {
    let supportCase: SupportCase
    let clocks: [CaseClocks.Clock]
    let events: [CaseEvent]
    let watchers: [CaseWatcher]
    let attachments: [Attachment]
    let tam: (kind: String, person: UUID?)?
    /// Internal targets (OLAs): nil for customers.
    let olas: [OperationalClocks.Clock]?
    let at: Date
}

extension CaseService {
    /// The case as `viewer` may see it now. A case just logged brings its first event and
    /// watchers, so nothing is read again.
    func view(of supportCase: SupportCase, for viewer: Person, logged: (case: LoggedCase, tam: UUID?)? = nil) async throws -> CaseView {
        let work = WorkService(cases: self)
        let id = supportCase.id
        let events: [CaseEvent], watchers: [CaseWatcher], attachments: [Attachment], tam: (kind: String, person: UUID?)?
        if let logged {
            // Just written: the timeline and watchers are what was stored, the TAM was read with the customer.
            (events, watchers, attachments) = (logged.case.events, logged.case.watchers, [])
            tam = try await work.tamKind(of: supportCase).map { ($0, logged.tam) }
        } else {
            // The reads are independent: asked together, the answer waits for the slowest, not for their sum.
            async let readEvents = store.events(of: id), readWatchers = store.watchers(of: id), readAttachments = store.attachments(of: id)
            async let readTAM = work.tam(of: supportCase)
            (events, watchers, attachments, tam) = try await (readEvents, readWatchers, readAttachments, readTAM)
        }
        let instant = now()
        let staff = viewer.role.isStaff
        return CaseView(supportCase: supportCase, clocks: try await clocks(of: supportCase, events: events, at: instant),
                        events: staff ? events : events.filter { !Self.internalKinds.contains($0.kind) },
                        watchers: watchers, attachments: staff ? attachments : attachments.filter { !$0.isInternal }, tam: tam,
                        olas: staff ? try await work.olas(of: supportCase, events: events, at: instant) : nil, at: instant)
    }
}
