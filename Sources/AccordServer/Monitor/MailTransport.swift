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
            arguments: ["-t", "-i", "-f", SMTPTransport.address(message.from)],
            input: .data(Data(message.rfc5322.replacingOccurrences(of: "\r\n", with: "\n").utf8)),
            output: .discarded,
            error: .data(limit: 1 << 20)
        )
        guard result.terminationStatus.isSuccess else {
            throw MailError(description: "\(path) ended with \(result.terminationStatus): \(String(decoding: result.standardError, as: UTF8.self).prefix(300))")
        }
    }
}

/// Sends through an SMTP relay (RFC 5321: EHLO, MAIL FROM, RCPT TO, DATA), without TLS or
/// authentication — a relay on the host or the local network, as a desk's mail usually leaves.
struct SMTPTransport: MailTransport {
    let host: String
    let port: Int
    /// The name this server gives itself in EHLO.
    let heloName: String
    var timeout: TimeAmount = .seconds(30)

    /// Sends `message`, giving up when the whole conversation takes longer than `timeout`.
    func send(_ message: AlertMail) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await converse(message) }
            group.addTask {
                try await Task.sleep(for: .nanoseconds(timeout.nanoseconds))
                throw MailError(description: "the SMTP server \(host):\(port) did not finish within \(timeout.nanoseconds / 1_000_000_000) s")
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    private func converse(_ message: AlertMail) async throws {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(timeout)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineDecoder()))
                    return try NIOAsyncChannel<String, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        try await channel.executeThenClose { inbound, outbound in
            var lines = inbound.makeAsyncIterator()
            func reply(expecting codes: Set<Int>, after step: String) async throws {
                // Multi-line replies continue with "NNN-"; the last line is "NNN ".
                while true {
                    guard let line = try await lines.next() else { throw MailError(description: "the SMTP server closed the connection after \(step)") }
                    let code = Int(line.prefix(3)) ?? 0
                    if line.count > 3, line[line.index(line.startIndex, offsetBy: 3)] == "-" { continue }
                    guard codes.contains(code) else { throw MailError(description: "SMTP \(step) refused: \(line)") }
                    return
                }
            }
            func command(_ text: String, expecting codes: Set<Int>) async throws {
                try await outbound.write(ByteBuffer(string: text + "\r\n"))
                try await reply(expecting: codes, after: text.split(separator: ":").first.map(String.init) ?? text)
            }
            try await reply(expecting: [220], after: "connecting")
            try await command("EHLO \(heloName)", expecting: [250])
            try await command("MAIL FROM:<\(Self.address(message.from))>", expecting: [250])
            try await command("RCPT TO:<\(Self.address(message.to))>", expecting: [250, 251])
            try await command("DATA", expecting: [354])
            // Transparency (RFC 5321 4.5.2): a line starting with a dot gets another.
            let data = message.rfc5322.split(separator: "\r\n", omittingEmptySubsequences: false)
                .map { $0.hasPrefix(".") ? "." + $0 : String($0) }.joined(separator: "\r\n")
            try await outbound.write(ByteBuffer(string: data))
            try await command(".", expecting: [250])
            try await command("QUIT", expecting: [221])
        }
    }

    /// The bare address of `Name <address>` or `address`.
    static func address(_ text: String) -> String {
        guard let open = text.lastIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close else { return text }
        return String(text[text.index(after: open)..<close])
    }

    private struct LineDecoder: ByteToMessageDecoder {
        typealias InboundOut = String

        mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
            guard let end = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else { return .needMoreData }
            var bytes = buffer.readBytes(length: end - buffer.readerIndex + 1) ?? []
            while let last = bytes.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") { bytes.removeLast() }
            context.fireChannelRead(wrapInboundOut(String(decoding: bytes, as: UTF8.self)))
            return .continue
        }
    }
}
