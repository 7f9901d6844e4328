import Foundation
import Synchronization
import Vapor

/// Work that runs in the background of `accord serve` from boot to shutdown — the SLA monitor's
/// passes, the mail recovery pass — started when the server has booted, cancelled and awaited when
/// it stops.
final class BackgroundTask: LifecycleHandler, Sendable {
    private let body: @Sendable () async -> Void
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(_ body: @escaping @Sendable () async -> Void) {
        self.body = body
    }

    func didBootAsync(_ application: Application) async throws {
        let body = self.body
        task.withLock { $0 = Task { await body() } }
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
