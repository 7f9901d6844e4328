import Foundation
import NIOCore
import NIOPosix
import Subprocess
#if canImport(System)
import System
#else
import SystemPackage
#endif

/// Where staff alert mails go: the system's `sendmail` command or an SMTP relay.
protocol MailTransport: Sendable {
    func send(_ message: AlertMail) async throws
}

struct MailError: Error, CustomStringConvertible {
    let description: String
}

/// Hands each mail to a `sendmail`-compatible command (`sendmail -t -i` reads the recipients from
/// the headers), as Postfix, Exim and msmtp provide.
struct SendmailTransport: MailTransport {
    let path: String

    func send(_ message: AlertMail) async throws {
        // Through swift-subprocess: Foundation's Process can crash a server with many open
        // descriptors while launching (it over-reads /proc/self/fd; swift-corelibs-foundation #5472).
        // The message comes from a file, not a pipe: swift-subprocess 1.0.2 traps when a command
        // stops reading a piped input early, and a file cannot fill up or break.
        let file = try Self.messageFile(Data(message.rfc5322.replacingOccurrences(of: "\r\n", with: "\n").utf8))
        let result = try await Subprocess.run(
            .path(FilePath(path)),
            arguments: ["-t", "-i", "-f", AlertMail.address(message.from)],
            input: .fileDescriptor(file, closeAfterSpawningProcess: true),
            output: .discarded,
            error: .data(limit: 1 << 20)
        )
        guard result.terminationStatus.isSuccess else {
            throw MailError(description: "\(path) ended with \(result.terminationStatus): \(String(decoding: result.standardError, as: UTF8.self).prefix(300))")
        }
    }

    /// `data` in a file only this user reads, opened for reading and already unlinked (the
    /// descriptor keeps it until the command has read it).
    static func messageFile(_ data: Data) throws -> SystemPackage.FileDescriptor {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("accord-mail-\(UUID().uuidString)").path
        guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw MailError(description: "cannot write the message for \(path) to \(FileManager.default.temporaryDirectory.path)")
        }
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try SystemPackage.FileDescriptor.open(FilePath(path), .readOnly)
    }
}
