import AccordStore
import Foundation

/// Takes up, in the background of `accord serve`, mail that was stored but never processed — its
/// server died between storing and processing, or an administrator asked for a retry — once its
/// lease has run out. Of several servers, the one that claims a message processes it.
enum MailRecovery {
    /// Processes every pending message whose lease ran out; returns how many.
    static func pass(_ intake: MailIntake, at instant: Date) async throws -> Int {
        var count = 0
        while let mail = try await intake.service.store.claimPendingMail(at: instant, lease: intake.settings.processingLease) {
            guard let raw = try await intake.service.store.inboundRaw(mail.id) else { break }
            _ = await intake.process(mail, raw: raw)
            count += 1
        }
        return count
    }

    /// Passes every `interval` until cancelled.
    static func run(_ intake: MailIntake, every interval: Duration, now: @escaping @Sendable () -> Date) async {
        while !Task.isCancelled {
            do {
                _ = try await pass(intake, at: now())
            } catch {
                intake.logger.warning("mail recovery pass failed: \(error)")
            }
            try? await Task.sleep(for: interval)
        }
    }
}
