public import NIOCore

/// Runs Swift tasks on one SwiftNIO event loop. The dedicated SQLite writer's intake work prefers
/// this executor, so each statement's continuation resumes on the writer's own quiet thread instead
/// of queueing behind the request traffic of the shared executors.
public final class EventLoopTaskExecutor: TaskExecutor, Sendable {
    private let eventLoop: any EventLoop

    public init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
