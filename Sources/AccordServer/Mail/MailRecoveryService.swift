import AccordStore
import Foundation
import Synchronization
import Vapor

/// Takes up, in the background of `accord serve`, mail that was stored but never processed — its
/// server died between storing and processing, or an administrator asked for a retry — once its
/// lease has run out. Of several servers, the one that claims a message processes it.
final class MailRecoveryService: LifecycleHandler, Sendable {
    private let intake: MailIntake
    private let interval: Duration
    private let now: @Sendable () -> Date
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(intake: MailIntake, interval: Duration, now: @escaping @Sendable () -> Date) {
        self.intake = intake
        self.interval = interval
        self.now = now
    }

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

    func didBootAsync(_ application: Application) async throws {
        let intake = self.intake, interval = self.interval, now = self.now
        task.withLock {
            $0 = Task {
                while !Task.isCancelled {
                    do {
                        _ = try await Self.pass(intake, at: now())
                    } catch {
                        intake.logger.warning("mail recovery pass failed: \(error)")
                    }
                    try? await Task.sleep(for: interval)
                }
            }
        }
    }

    func shutdownAsync(_ application: Application) async {
        let running = task.withLock { task in
            defer { task = nil }
            return task
        }
        running?.cancel()
        await running?.value
    }
}
