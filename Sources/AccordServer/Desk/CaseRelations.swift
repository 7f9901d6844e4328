import AccordCore
import AccordStore
import BusinessTime
import Foundation

/// How cases relate: staff link cases that concern the same thing, and merge a duplicate into the
/// case that carries the request on. Both are facts on the timelines of both cases, never a rewrite:
/// a merged case keeps its whole history, is closed as a duplicate (its clocks cancelled, a breach
/// before the merge standing) and takes nothing more; the surviving case's clocks stay its own.
struct CaseRelations {
    let cases: CaseService

    /// The cases `events` link to (linked and not unlinked since), in the order they were linked.
    static func links(in events: [CaseEvent]) -> [UUID] {
        var linked: [UUID] = []
        for event in events {
            guard let id = event.value.flatMap(UUID.init(uuidString:)) else { continue }
            switch event.kind {
            case "linked": if !linked.contains(id) { linked.append(id) }
            case "unlinked": linked.removeAll { $0 == id }
            default: continue
            }
        }
        return linked
    }

    /// The case this one was merged into, if it was.
    static func mergedInto(in events: [CaseEvent]) -> UUID? {
        events.first { $0.kind == "merged-into" }?.value.flatMap(UUID.init(uuidString:))
    }

    /// The cases merged into this one.
    static func merged(in events: [CaseEvent]) -> [UUID] {
        events.filter { $0.kind == "merged" }.compactMap { $0.value.flatMap(UUID.init(uuidString:)) }
    }

    /// Refuses any change to a case merged into another: it is history now. `events` is its
    /// timeline when the caller has read it already.
    func refuseIfMerged(_ supportCase: SupportCase, events: [CaseEvent]? = nil) async throws {
        let timeline = if let events { events } else { try await cases.store.events(of: supportCase.id) }
        guard let survivor = Self.mergedInto(in: timeline) else { return }
        let number = try await cases.store.supportCase(survivor)?.number ?? survivor.uuidString
        throw Problem(.conflict, "case \(supportCase.number) was merged into \(number) and takes nothing more; write there")
    }

    /// Links two cases, each naming the other on its timeline (staff only).
    func link(_ caseID: UUID, to otherID: UUID, by caller: Person) async throws -> SupportCase {
        try await relate(caseID, otherID, kind: "linked", by: caller) { linked, _ in
            guard !linked.contains(otherID) else { throw Problem(.conflict, "the cases are linked already") }
        }
    }

    /// Removes the link between two cases from both timelines.
    func unlink(_ caseID: UUID, from otherID: UUID, by caller: Person) async throws -> SupportCase {
        try await relate(caseID, otherID, kind: "unlinked", by: caller) { linked, _ in
            guard linked.contains(otherID) else { throw Problem(.notFound, "the cases are not linked") }
        }
    }

    private func relate(_ caseID: UUID, _ otherID: UUID, kind: String, by caller: Person,
                        check: ([UUID], [UUID]) throws -> Void) async throws -> SupportCase {
        guard caseID != otherID else { throw Problem(.unprocessableEntity, "a case is not linked to itself", field: "case") }
        var attempt = 1
        while true {
            let store = cases.store
            guard let first = try await store.supportCase(caseID) else { throw StoreError.notFound("case \(caseID)") }
            guard let second = try await store.supportCase(otherID) else {
                // Linking names the other case in the body; unlinking in the path, where a case that
                // does not exist is a link that is not there.
                if kind == "unlinked" { throw Problem(.notFound, "the cases are not linked") }
                throw Problem(.unprocessableEntity, "no case has the id \(otherID)", field: "case")
            }
            let (firstEvents, secondEvents) = (try await store.events(of: caseID), try await store.events(of: otherID))
            try check(Self.links(in: firstEvents), Self.links(in: secondEvents))
            let at = cases.now()
            do {
                return try await store.append([
                    DeskStore.CaseWrite(caseID: caseID, events: [CaseEvent(sequence: 0, at: at, actorID: caller.id, kind: kind, value: otherID.uuidString,
                                                                           body: second.number)],
                                        expectedVersion: first.version, clocks: nil),
                    DeskStore.CaseWrite(caseID: otherID, events: [CaseEvent(sequence: 0, at: at, actorID: caller.id, kind: kind, value: caseID.uuidString,
                                                                            body: first.number)],
                                        expectedVersion: second.version, clocks: nil),
                ])[0]
            } catch StoreError.staleVersion where attempt < 10 {
                attempt += 1
            }
        }
    }

    /// Merges `duplicateID` into `survivorID`: the duplicate is closed as a duplicate with a
    /// `merged-into` entry (its clocks cancelled unless already breached), the survivor records
    /// `merged` with the reason, and the duplicate's requester and CC'd people are CC'd on the
    /// survivor so they follow it. Both cases belong to one customer and one policy; neither is
    /// merged already; the survivor is not resolved or closed. With `ifMatch`, the duplicate must
    /// still be at that version.
    func merge(_ duplicateID: UUID, into survivorID: UUID, reason: String?, by caller: Person, ifMatch: Int?) async throws -> SupportCase {
        guard duplicateID != survivorID else { throw Problem(.unprocessableEntity, "a case is not merged into itself", field: "into") }
        let store = cases.store
        var attempt = 1
        while true {
            guard let duplicate = try await store.supportCase(duplicateID) else { throw StoreError.notFound("case \(duplicateID)") }
            guard let survivor = try await store.supportCase(survivorID) else {
                throw Problem(.unprocessableEntity, "no case has the id \(survivorID)", field: "into")
            }
            let duplicateEvents = try await store.events(of: duplicateID), survivorEvents = try await store.events(of: survivorID)
            if let into = Self.mergedInto(in: duplicateEvents) {
                throw Problem(.conflict, "case \(duplicate.number) was merged already (into \(try await store.supportCase(into)?.number ?? into.uuidString))")
            }
            if Self.mergedInto(in: survivorEvents) != nil {
                throw Problem(.conflict, "case \(survivor.number) was itself merged into another: merge into that one")
            }
            guard duplicate.organizationID == survivor.organizationID, duplicate.policyID == survivor.policyID else {
                throw Problem(.conflict, "cases \(duplicate.number) and \(survivor.number) belong to different customers or policies: link them instead")
            }
            for (supportCase, role) in [(survivor, "survivor"), (duplicate, "duplicate")] {
                let status = CaseStatus(rawValue: supportCase.status) ?? .new
                guard status != .resolved && status != .closed else {
                    throw Problem(.conflict, "the \(role) \(supportCase.number) is \(status.rawValue): \(role == "survivor" ? "reopen it first" : "it needs no merge")")
                }
            }
            if let ifMatch, ifMatch != duplicate.version {
                throw StoreError.staleVersion(expected: ifMatch, actual: duplicate.version)
            }
            let at = cases.now()
            let why = reason.map { ": \($0)" } ?? ""
            let closing = [
                CaseEvent(sequence: 0, at: at, actorID: caller.id, kind: "merged-into", value: survivorID.uuidString, body: "merged into \(survivor.number)\(why)"),
                CaseEvent(sequence: 0, at: at, actorID: caller.id, kind: "status-change", value: "\(CaseStatus.closed.rawValue):\(Resolution.duplicate.rawValue)"),
            ]
            let recording = [CaseEvent(sequence: 0, at: at, actorID: caller.id, kind: "merged", value: duplicateID.uuidString,
                                       body: "\(duplicate.number) merged into this case\(why)")]
            // The people of the duplicate follow the survivor as CC, each once.
            var following: [NewWatcher] = []
            if duplicate.requesterID != survivor.requesterID, let requester = try await store.person(duplicate.requesterID), !requester.erased {
                following.append(NewWatcher(email: requester.email, personID: requester.id, kind: .cc))
            }
            following += try await store.watchers(of: duplicateID).map { NewWatcher(email: $0.email, personID: $0.personID, kind: $0.kind) }
            var present = Set(try await store.watchers(of: survivorID).map { $0.email.lowercased() })
            let closed = CaseChange(status: CaseStatus.closed.rawValue)
            var recorded = CaseChange()
            recorded.watchers = following.filter { present.insert($0.email.lowercased()).inserted }
            let duplicateClocks = try await storedClocks(of: duplicate, events: duplicateEvents + closing, at: at)
            let survivorClocks = try await storedClocks(of: survivor, events: survivorEvents + recording, at: at)
            do {
                return try await store.append([
                    DeskStore.CaseWrite(caseID: duplicateID, events: closing, expectedVersion: duplicate.version, change: closed, clocks: duplicateClocks),
                    DeskStore.CaseWrite(caseID: survivorID, events: recording, expectedVersion: survivor.version, change: recorded, clocks: survivorClocks),
                ])[1]
            } catch StoreError.staleVersion where ifMatch == nil && attempt < 10 {
                attempt += 1
            }
        }
    }

    private func storedClocks(of supportCase: SupportCase, events: [CaseEvent], at instant: Date) async throws -> [StoredClock] {
        let policy = try await cases.catalog.policy(supportCase.policyID, version: supportCase.policyVersion, store: cases.store)
        return try cases.storedClocks(policy, plan: supportCase.planID, region: supportCase.regionID,
                                      timeline: CaseService.timeline(of: supportCase, events: events), at: instant)
    }
}
