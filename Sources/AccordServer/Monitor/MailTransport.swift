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
        let result = try await Subprocess.run(
            .path(FilePath(path)),
            arguments: ["-t", "-i", "-f", AlertMail.address(message.from)],
            input: .data(Data(message.rfc5322.replacingOccurrences(of: "\r\n", with: "\n").utf8)),
            output: .discarded,
            error: .data(limit: 1 << 20)
        )
        guard result.terminationStatus.isSuccess else {
            throw MailError(description: "\(path) ended with \(result.terminationStatus): \(String(decoding: result.standardError, as: UTF8.self).prefix(300))")
        }
    }
}
