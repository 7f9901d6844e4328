import AccordStore
import Foundation

/// Fetches one IMAP mailbox into the desk, in the background of `accord serve`: each message
/// stored through the same intake as the mail gateway's (so a message fetched twice is one
/// message), and only then marked, moved or deleted; a message the desk could not store stays as
/// it was. Of several servers on one database, the one holding the mailbox's lease fetches it.
struct MailFetcher: Sendable {
    let mailbox: IMAPMailbox
    let intake: MailIntake
    /// This server, as the lease names it.
    let holder: UUID
    /// How long a connection waits in IDLE before it looks again anyway.
    var idleWindow: Duration = .seconds(240)
    /// How long a server waits between connections (without IDLE, or after a failure).
    var pollInterval: Duration = .seconds(60)
    /// At most this many messages a pass.
    var batch = 500
    let now: @Sendable () -> Date

    /// What a pass did.
    struct Report: Sendable, Equatable {
        var stored = 0
        /// Messages over the desk's largest size, left in the mailbox (and logged).
        var left = 0
    }

    /// Fetches what waits in the folder now, through one connection.
    func pass() async throws -> Report {
        try await IMAPSession.run(mailbox, maxMessage: intake.settings.hardLimit) { session in
            try await session.prepare()
            return try await fetch(session)
        }
    }

    private func fetch(_ session: IMAPSession) async throws -> Report {
        var report = Report()
        let uids = try await session.candidates()
        for listing in try await session.listings(Array(uids.prefix(batch))) {
            guard listing.size <= intake.settings.hardLimit else {
                report.left += 1
                intake.logger.warning("\(mailbox): message UID \(listing.uid) is \(listing.size) bytes, over the \(intake.settings.hardLimit) the desk stores: left in the mailbox")
                continue
            }
            guard let bytes = try await session.message(listing.uid) else { continue }
            // Stored (and committed) first; only then does the message leave the folder or get its mark.
            _ = try await intake.receive(Data(bytes), recipient: mailbox.recipient, acceptedAt: listing.internalDate)
            try await session.finish(listing.uid)
            report.stored += 1
        }
        return report
    }

    private var leaseLength: TimeInterval { Double(idleWindow.components.seconds) + 120 }

    /// Until cancelled: while this server holds the mailbox's lease, fetch, then wait in IDLE for
    /// more (or come back after `pollInterval` when the server has no IDLE).
    func run() async {
        let key = mailbox.description
        var failures = 0
        while !Task.isCancelled {
            do {
                if try await intake.service.store.claimFetchLease(key, holder: holder, until: now().addingTimeInterval(leaseLength), at: now()) {
                    try await IMAPSession.run(mailbox, maxMessage: intake.settings.hardLimit) { session in
                        try await session.prepare()
                        while !Task.isCancelled {
                            let report = try await fetch(session)
                            if report.stored > 0 { intake.logger.info("\(mailbox): \(report.stored) messages taken in") }
                            guard try await intake.service.store.claimFetchLease(key, holder: holder, until: now().addingTimeInterval(leaseLength), at: now()),
                                  session.capabilities.contains("IDLE") else { return }
                            _ = try await session.idle(idleWindow)
                        }
                    }
                }
                failures = 0
            } catch {
                failures += 1
                intake.logger.warning("\(mailbox): fetching failed (\(failures) in a row): \(error)")
            }
            // After failures, wait longer each time (up to 16 times the interval).
            try? await Task.sleep(for: pollInterval * (1 << min(failures, 4)))
        }
        try? await intake.service.store.releaseFetchLease(key, holder: holder)
    }
}
