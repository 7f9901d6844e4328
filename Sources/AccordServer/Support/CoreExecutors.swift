public import AccordStore
import NIOCore
import NIOPosix
#if canImport(Glibc)
import Glibc
#endif

/// Task executors on threads of their own, one a core, at a lower priority than the rest of the
/// process: for long CPU work to spread over the cores in the time the process's serial work (a
/// SQLite writer) leaves them.
///
/// `accord` makes NIO's shared event-loop group Swift's global executor, and NIO keeps a new task on
/// the thread that made it (`EventLoopGroup.any()` is sticky): a task group's children alone all
/// run on one thread. And work that holds a shared thread for milliseconds at a time delays every
/// short job queued behind it there — such as the first step of each database transaction, which
/// SQLiteNIO starts as a task of its own. A child given `executors[n]` as its preference runs on
/// thread `n` of this group instead, and the operating system shares the cores between them,
/// preferring the process's other threads (nice 10 on Linux, where the nice value is a thread's).
public struct CoreExecutors: Sendable {
    /// Made once, kept for the life of the process (as NIO's own shared group is).
    private static let group: MultiThreadedEventLoopGroup = {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        #if os(Linux)
        for loop in group.makeIterator() { loop.execute { _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10) } }
        #endif
        return group
    }()
    private static let executors = group.makeIterator().map { EventLoopTaskExecutor($0) }

    public init() {}

    /// How many threads, one a core.
    public var count: Int { Self.executors.count }

    /// The executor for part `index` of some work, round the threads.
    public subscript(index: Int) -> EventLoopTaskExecutor { Self.executors[index % Self.executors.count] }
}
