public import Foundation
public import Subprocess
#if canImport(System)
import System
#else
import SystemPackage
#endif

/// A program the tests run to its end — a reference in Python, openssl, the `accord` command, a
/// mail server's tools — through swift-subprocess, never Foundation's `Process`: on Linux its
/// launch over-reads `/proc/self/fd` entries and, with the hundreds of descriptors a test process
/// holds, now and then crashes the whole run (swift-corelibs-foundation #5472, seen in CI).
public enum ChildProcess {
    /// How a program ended and what it printed.
    public struct Outcome: Sendable {
        /// The exit code, or 128 + the signal that ended it (as a shell reports it).
        public let status: Int32
        public let output: Data
        public let errors: String

        /// Standard output as UTF-8 text.
        public var text: String { String(decoding: output, as: UTF8.self) }
    }

    /// A program that ran past its time limit (and was killed).
    public struct TimedOut: Error, CustomStringConvertible {
        public let command: String
        public let limit: Duration
        public var description: String { "\(command) did not finish within \(limit) and was killed" }
    }

    /// Runs `executable` with `arguments` to its end. `environment`, when given, is the whole
    /// environment (else this process's is inherited); `input` is written to its standard input.
    /// A program still running after `timeLimit` is killed and `TimedOut` thrown: a client that
    /// waits for a server that never answers fails its test rather than holding the run for good.
    public static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String]? = nil,
        input: Data? = nil,
        workingDirectory: String? = nil,
        timeLimit: Duration = .seconds(300)
    ) async throws -> Outcome {
        let limit = 256 << 20
        // The input comes from a file, not a pipe: swift-subprocess 1.0.2 traps when a child stops
        // reading a piped input early (a program that exits on a bad option: "FileDescriptor … was
        // not closed"), and a file cannot fill up or break.
        let file = try inputFile(input ?? Data())
        return try await withThrowingTaskGroup(of: Outcome?.self) { group in
            group.addTask {
                // Cancelled, swift-subprocess kills the child and reaps it.
                let result = try await Subprocess.run(
                    .path(FilePath(executable)),
                    arguments: Arguments(arguments),
                    environment: ChildProcess.environment(environment),
                    workingDirectory: workingDirectory.map { FilePath($0) },
                    input: .fileDescriptor(file, closeAfterSpawningProcess: true),
                    output: .data(limit: limit),
                    error: .string(limit: limit)
                )
                return Outcome(status: status(result.terminationStatus), output: result.standardOutput, errors: result.standardError)
            }
            group.addTask {
                try await Task.sleep(for: timeLimit)
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            guard let first else { throw TimedOut(command: ([executable] + arguments).joined(separator: " ").prefix(200).description, limit: timeLimit) }
            return first
        }
    }

    /// Runs `command` through `/usr/bin/env` (found on the PATH), as a shell would.
    public static func run(command: String, timeLimit: Duration = .seconds(300), _ arguments: [String], environment: [String: String]? = nil,
                           input: Data? = nil) async throws -> Outcome {
        try await run("/usr/bin/env", [command] + arguments, environment: environment, input: input, timeLimit: timeLimit)
    }

    /// `data` in a file of its own, opened for reading and already unlinked (the descriptor keeps it).
    static func inputFile(_ data: Data) throws -> FileDescriptor {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("accord-input-\(UUID().uuidString)").path
        guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try FileDescriptor.open(FilePath(path), .readOnly)
    }

    /// `values` as swift-subprocess's environment: the whole environment, or this process's when nil.
    public static func environment(_ values: [String: String]?) -> Subprocess.Environment {
        guard let values else { return .inherit }
        return .custom(Dictionary(uniqueKeysWithValues: values.map { (Subprocess.Environment.Key(stringLiteral: $0.key), $0.value) }))
    }

    /// The exit code, or 128 + the signal, as a shell reports it.
    public static func status(_ termination: TerminationStatus) -> Int32 {
        switch termination {
        case .exited(let code): return code
        case .signaled(let signal): return 128 + signal
        }
    }
}
