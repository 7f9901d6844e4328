import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Sends through an SMTP relay (RFC 5321: EHLO, MAIL FROM, RCPT TO, DATA), securing the
/// connection as the relay says — STARTTLS (RFC 3207) or TLS from the first byte (RFC 8314), the
/// certificate checked against the system's authorities (and the relay's own, if configured) and
/// the relay's name — and signing in with AUTH PLAIN or LOGIN (RFC 4954) only over TLS.
/// A failure throws with what the relay said; the outbox retries the message with backoff.
struct SMTPTransport: MailTransport {
    let relay: SMTPRelay
    /// The name this server gives itself in EHLO.
    let heloName: String
    var timeout: TimeAmount = .seconds(30)

    /// Sends `message`, giving up when the whole conversation takes longer than `timeout`.
    func send(_ message: AlertMail) async throws {
        let tls = try relay.security == .none ? nil : ClientTLS.context(trusting: relay.trustedCertificates, for: "SMTP relay")
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await converse(message, tls: tls) }
            group.addTask {
                try await Task.sleep(for: .nanoseconds(timeout.nanoseconds))
                throw MailError(description: "the SMTP relay \(relay.host):\(relay.port) did not finish within \(timeout.nanoseconds / 1_000_000_000) s")
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    private func converse(_ message: AlertMail, tls: NIOSSLContext?) async throws {
        let implicitTLS = relay.security == .tls ? tls : nil
        let hostname = ClientTLS.serverHostname(relay.host)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(timeout)
            .connect(host: relay.host, port: relay.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let implicitTLS {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: implicitTLS, serverHostname: hostname))
                    }
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineDecoder()))
                    return try NIOAsyncChannel<String, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let relay = self.relay
        try await channel.executeThenClose { inbound, outbound in
            var lines = inbound.makeAsyncIterator()
            /// The relay's reply to `step` (its lines' texts), which must have one of `codes`.
            func reply(expecting codes: Set<Int>, after step: String) async throws -> [String] {
                var texts: [String] = []
                // Multi-line replies continue with "NNN-"; the last line is "NNN ".
                while true {
                    let line: String?
                    do {
                        line = try await lines.next()
                    } catch let error as NIOSSLError {
                        throw MailError(description: "TLS with the SMTP relay \(relay.host):\(relay.port) failed after \(step): \(error)")
                    }
                    guard let line else { throw MailError(description: "the SMTP relay closed the connection after \(step)") }
                    let code = Int(line.prefix(3)) ?? 0
                    texts.append(String(line.dropFirst(4)))
                    if line.count > 3, line[line.index(line.startIndex, offsetBy: 3)] == "-" { continue }
                    guard codes.contains(code) else { throw MailError(description: "SMTP \(step) refused: \(line)") }
                    return texts
                }
            }
            @discardableResult
            func command(_ text: String, expecting codes: Set<Int>, step: String? = nil) async throws -> [String] {
                let step = step ?? text.split(separator: ":").first.map(String.init) ?? text
                do {
                    try await outbound.write(ByteBuffer(string: text + "\r\n"))
                } catch {
                    // The connection closed under the write: the reading side knows why (a failed TLS handshake).
                    _ = try await reply(expecting: codes, after: step)
                    throw error
                }
                return try await reply(expecting: codes, after: step)
            }
            /// EHLO's extensions, upper-cased keywords with their parameters ("AUTH PLAIN LOGIN").
            func hello() async throws -> [String] {
                Array(try await command("EHLO \(heloName)", expecting: [250]).dropFirst()).map { $0.uppercased() }
            }

            _ = try await reply(expecting: [220], after: "connecting")
            var extensions = try await hello()
            if relay.security == .starttls, let tls {
                guard extensions.contains("STARTTLS") else {
                    throw MailError(description: "the SMTP relay \(relay.host):\(relay.port) does not offer STARTTLS, which its security setting requires; nothing was sent in clear")
                }
                try await command("STARTTLS", expecting: [220])
                try await channel.channel.pipeline.addHandler(NIOSSLClientHandler(context: tls, serverHostname: hostname), position: .first).get()
                extensions = try await hello()
            }
            if let credentials = relay.credentials {
                guard relay.security != .none else { throw MailError(description: "a password is never sent to an SMTP relay without TLS") }
                let offered = Set(extensions.first { $0.hasPrefix("AUTH ") || $0.hasPrefix("AUTH=") }?.dropFirst(5).split(separator: " ").map(String.init) ?? [])
                if offered.contains("PLAIN") {
                    let token = Data(([0] + Array(credentials.user.utf8) + [0] + Array(credentials.password.utf8))).base64EncodedString()
                    try await command("AUTH PLAIN \(token)", expecting: [235], step: "AUTH PLAIN as \(credentials.user)")
                } else if offered.contains("LOGIN") {
                    try await command("AUTH LOGIN", expecting: [334], step: "AUTH LOGIN")
                    try await command(Data(credentials.user.utf8).base64EncodedString(), expecting: [334], step: "AUTH LOGIN's user \(credentials.user)")
                    try await command(Data(credentials.password.utf8).base64EncodedString(), expecting: [235], step: "AUTH LOGIN as \(credentials.user)")
                } else {
                    throw MailError(description: "the SMTP relay \(relay.host):\(relay.port) offers no sign-in Accord speaks (PLAIN, LOGIN): \(offered.isEmpty ? "none" : offered.sorted().joined(separator: ", "))")
                }
            }
            try await command("MAIL FROM:<\(AlertMail.address(message.from))>", expecting: [250])
            try await command("RCPT TO:<\(AlertMail.address(message.to))>", expecting: [250, 251])
            try await command("DATA", expecting: [354])
            // Transparency (RFC 5321 4.5.2): a line starting with a dot gets another.
            var data = message.rfc5322.split(separator: "\r\n", omittingEmptySubsequences: false)
                .map { $0.hasPrefix(".") ? "." + $0 : String($0) }.joined(separator: "\r\n")
            if !data.hasSuffix("\r\n") { data += "\r\n" }
            try await outbound.write(ByteBuffer(string: data))
            try await command(".", expecting: [250], step: "the message's end")
            try await command("QUIT", expecting: [221])
        }
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
