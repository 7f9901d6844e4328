import AccordStore
import Vapor

/// A form that creates something is safe to post twice (a double click, a reload, a retry after a
/// timeout): it carries a one-time key (`once`, made when the form is drawn), claimed in the
/// database — so on every server of the desk — before the work is done. The first post does the
/// work and records where it led; a repeat is sent there too; a repeat while the first is still
/// under way is told so. A refused post releases its key, so the corrected form can be sent.
struct FormOnce: Sendable {
    let store: DeskStore
    let now: @Sendable () -> Date

    enum Outcome {
        /// Not claimed before: do the work.
        case first
        /// Done before: where it led.
        case done(String)
        /// Being done by another request now.
        case underWay
    }

    /// Does `work` once for the key: a repeat is sent where the first post led, a repeat while the
    /// first is under way gets `underWay`'s answer. `work` answers with where it led (the key is
    /// then completed) or nil for a refusal (the key is given back, as when it throws).
    /// `repeated` runs first when the post is a repeat (to drop the files it brought).
    func perform(_ once: String?, session: WebSession, on request: Request, repeated: () -> Void = {}, underWay: () async throws -> Response,
                 _ work: () async throws -> (Response, location: String?)) async throws -> Response {
        switch try await claim(once, session: session) {
        case .first: break
        case .done(let location):
            repeated()
            return request.redirect(to: location, redirectType: .normal)
        case .underWay:
            repeated()
            return try await underWay()
        }
        do {
            let (response, location) = try await work()
            if let location {
                try await complete(once, session: session, at: location)
            } else {
                await release(once, session: session)
            }
            return response
        } catch {
            await release(once, session: session)
            throw error
        }
    }

    /// Claims `once` for `session` (nil or empty: a form without a key, always `first`).
    private func claim(_ once: String?, session: WebSession) async throws -> Outcome {
        guard let once, !once.isEmpty else { return .first }
        switch try await store.claimFormSubmission(session: session.id, once: once, at: now()) {
        case .first: return .first
        case .done(let location): return .done(location)
        case .underWay: return .underWay
        }
    }

    /// Records that the post led to `location`.
    private func complete(_ once: String?, session: WebSession, at location: String) async throws {
        guard let once, !once.isEmpty else { return }
        try await store.completeFormSubmission(session: session.id, once: once, result: location)
    }

    /// Gives the key back after a refusal.
    private func release(_ once: String?, session: WebSession) async {
        guard let once, !once.isEmpty else { return }
        try? await store.releaseFormSubmission(session: session.id, once: once)
    }
}
