import Foundation
import Synchronization
import Vapor

/// Runs the SLA monitor in the background of `accord serve` from boot to shutdown.
final class SLAMonitorService: LifecycleHandler, Sendable {
    private let monitor: SLAMonitor
    private let now: @Sendable () -> Date
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(monitor: SLAMonitor, now: @escaping @Sendable () -> Date) {
        self.monitor = monitor
        self.now = now
    }

    func didBootAsync(_ application: Application) async throws {
        let monitor = self.monitor, now = self.now
        task.withLock { $0 = Task { await monitor.run(now: now) } }
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
