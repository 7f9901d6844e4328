public import Foundation
import Subprocess
#if canImport(System)
import System
#else
import SystemPackage
#endif

/// A program the tests start and leave running — an `accord serve`, an SMTP server — until they
/// signal it or wait for its end. Started through swift-subprocess (see `ChildProcess` for why not
/// Foundation's `Process`); its standard output and error go to a file, or nowhere. A test that
/// throws before stopping it does not leave it behind: when the last reference goes, the child is
/// killed (SIGKILL) and reaped.
public final class BackgroundProcess: Sendable {
    /// The child's process ID, for messages and for tools that take one.
    public let pid: Int32
    private let commands: AsyncStream<Command>.Continuation
    private let ending: Task<Int32, any Error>

    private enum Command: Sendable {
        case signal(Int32)
        case stop(Int32, grace: Duration)
        case release
    }

    private init(pid: Int32, commands: AsyncStream<Command>.Continuation, ending: Task<Int32, any Error>) {
        self.pid = pid
        self.commands = commands
        self.ending = ending
    }

    deinit {
        // Nothing once `wait()` finished the stream; else the child must not outlive the test.
        commands.yield(.signal(SIGKILL))
        commands.yield(.release)
        commands.finish()
    }

    /// Starts `executable`; `environment`, when given, is its whole environment; what it prints
    /// (standard output and error together) is appended to the file at `log`, if given.
    public static func start(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String]? = nil,
        log: String? = nil,
        workingDirectory: String? = nil
    ) async throws -> BackgroundProcess {
        let sink = try FileDescriptor.open(FilePath(log ?? "/dev/null"), .writeOnly, options: [.create, .append], permissions: [.ownerReadWrite, .groupRead, .otherRead])
        let (commands, commandsContinuation) = AsyncStream.makeStream(of: Command.self)
        let (started, startedContinuation) = AsyncStream.makeStream(of: Int32.self)
        let ending = Task<Int32, any Error> {
            defer { startedContinuation.finish() }
            let result = try await Subprocess.run(
                .path(FilePath(executable)),
                arguments: Arguments(arguments),
                environment: ChildProcess.environment(environment),
                workingDirectory: workingDirectory.map { FilePath($0) },
                input: .none,
                output: .fileDescriptor(sink, closeAfterSpawningProcess: true),
                error: .combinedWithOutput
            ) { execution in
                startedContinuation.yield(execution.processIdentifier.value)
                for await command in commands {
                    switch command {
                    case .signal(let signal): try? execution.send(signal: Signal(rawValue: signal))
                    case .stop(let signal, let grace):
                        // Returns once the child is gone: SIGKILL when `grace` passes first.
                        await execution.teardown(using: [.send(signal: Signal(rawValue: signal), allowedDurationToNextStep: grace)])
                        return
                    case .release: return
                    }
                }
            }
            return ChildProcess.status(result.terminationStatus)
        }
        var iterator = started.makeAsyncIterator()
        guard let pid = await iterator.next() else {
            // It never started: the task holds why.
            _ = try await ending.value
            throw CocoaError(.executableLoad, userInfo: [NSFilePathErrorKey: executable])
        }
        return BackgroundProcess(pid: pid, commands: commandsContinuation, ending: ending)
    }

    /// Sends `signal` (SIGTERM, SIGKILL, …) to the child, if it is still there.
    public func send(_ signal: Int32) {
        commands.yield(.signal(signal))
    }

    /// Waits for the child's end: its exit code, or 128 + the signal that ended it.
    @discardableResult
    public func wait() async throws -> Int32 {
        commands.yield(.release)
        commands.finish()
        return try await ending.value
    }

    /// Sends `signal` and waits for the end; a child still there after `grace` is killed (SIGKILL),
    /// so a program that ignores its signal fails the test instead of holding it for good.
    @discardableResult
    public func stop(_ signal: Int32 = SIGTERM, grace: Duration = .seconds(60)) async throws -> Int32 {
        commands.yield(.stop(signal, grace: grace))
        commands.finish()
        return try await ending.value
    }
}
