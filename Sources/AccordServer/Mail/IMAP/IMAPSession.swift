import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// One signed-in IMAP connection (RFC 9051, and RFC 3501's IMAP4rev1 that most servers speak):
/// tagged commands and their responses, the mailbox's messages searched, fetched whole
/// (`BODY.PEEK[]`, so fetching marks nothing), marked, moved or deleted by UID, and IDLE (RFC 2177).
/// Lives inside `IMAPSession.run`, which opens, signs in and closes it.
final class IMAPSession {
    private var responses: NIOAsyncChannelInboundStream<IMAPResponse>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private let mailbox: IMAPMailbox
    private var counter = 0
    private(set) var capabilities: Set<String> = []

    /// Why the server refused, or the conversation broke.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// What the desk knows of a message before fetching it.
    struct Listing: Sendable, Equatable {
        let uid: Int
        let size: Int
        let internalDate: Date?
    }

    private init(responses: NIOAsyncChannelInboundStream<IMAPResponse>.AsyncIterator, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, mailbox: IMAPMailbox) {
        self.responses = responses
        self.outbound = outbound
        self.mailbox = mailbox
    }

    /// Connects to `mailbox`'s server (TLS checked against the system's authorities and the
    /// mailbox's own, and the host's name), signs in, selects the folder and runs `body`; logs out
    /// and closes after it, however it ends. A silent server is given up after `readTimeout`.
    static func run<T: Sendable>(_ mailbox: IMAPMailbox, maxMessage: Int, readTimeout: TimeAmount = .minutes(5),
                                 _ body: (IMAPSession) async throws -> T) async throws -> T {
        let tls: NIOSSLContext? = mailbox.tls ? try ClientTLS.context(trusting: mailbox.trustedCertificates, for: "IMAP server") : nil
        let hostname = ClientTLS.serverHostname(mailbox.host)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(30))
            .connect(host: mailbox.host, port: mailbox.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    if let tls { try sync.addHandler(NIOSSLClientHandler(context: tls, serverHostname: hostname)) }
                    try sync.addHandler(IdleStateHandler(readTimeout: readTimeout))
                    try sync.addHandler(CloseWhenSilent())
                    try sync.addHandler(ByteToMessageHandler(IMAPResponseDecoder(maxLiteral: maxMessage + 64 * 1024)))
                    return try NIOAsyncChannel<IMAPResponse, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            let session = IMAPSession(responses: inbound.makeAsyncIterator(), outbound: outbound, mailbox: mailbox)
            let greeting = try await session.next(after: "connecting")
            guard greeting.text.hasPrefix("* OK") || greeting.text.hasPrefix("* PREAUTH") else {
                throw Failure(description: "\(mailbox) greeted with: \(greeting.text.prefix(200))")
            }
            try await session.signIn()
            try await session.command("SELECT \(try Self.quoted(mailbox.folder))")
            let result = try await body(session)
            _ = try? await session.command("LOGOUT")
            return result
        }
    }

    private func signIn() async throws {
        capabilities = try await capability()
        switch mailbox.credential {
        case .password(let password):
            if capabilities.contains("AUTH=PLAIN") && capabilities.contains("SASL-IR") {
                let token = Data(([0] + Array(mailbox.user.utf8) + [0] + Array(password.utf8))).base64EncodedString()
                try await command("AUTHENTICATE PLAIN \(token)", shown: "AUTHENTICATE PLAIN as \(mailbox.user)")
            } else {
                guard !capabilities.contains("LOGINDISABLED") else {
                    throw Failure(description: "\(mailbox) refuses LOGIN and offers no AUTHENTICATE PLAIN with SASL-IR")
                }
                try await command("LOGIN \(try Self.quoted(mailbox.user)) \(try Self.quoted(password))", shown: "LOGIN as \(mailbox.user)")
            }
        case .oauthTokenFile(let path):
            try requireXOAUTH2()
            guard let data = FileManager.default.contents(atPath: path) else { throw Failure(description: "\(mailbox): cannot read the token file \(path)") }
            let token = OperatorPassword.firstLine(of: data)
            guard IMAPMailbox.isUsableToken(token) else { throw Failure(description: "\(mailbox): the token file \(path) holds no access token on its first line") }
            try await xoauth2(token)
        case .oauthRefresh(let refresh):
            try requireXOAUTH2()
            let token: String
            do {
                token = try await OAuthAccessTokens.shared.token(for: refresh)
            } catch {
                throw Failure(description: "\(mailbox): \(error)")
            }
            do {
                try await xoauth2(token)
            } catch {
                // Revoked before its time: the next sign-in asks for a new one.
                await OAuthAccessTokens.shared.forget(refresh)
                throw error
            }
        }
        capabilities = try await capability()
    }

    private func requireXOAUTH2() throws {
        guard capabilities.contains("AUTH=XOAUTH2") else {
            throw Failure(description: "\(mailbox) offers no AUTHENTICATE XOAUTH2 (it offers \(capabilities.filter { $0.hasPrefix("AUTH=") }.sorted().joined(separator: " ")))")
        }
    }

    /// SASL XOAUTH2 as Google and Microsoft define it: the user, then the bearer token.
    private func xoauth2(_ token: String) async throws {
        let response = Data("user=\(mailbox.user)\u{01}auth=Bearer \(token)\u{01}\u{01}".utf8).base64EncodedString()
        try await authenticate("XOAUTH2", response, shown: "AUTHENTICATE XOAUTH2 as \(mailbox.user)")
    }

    /// `AUTHENTICATE` with an initial response (RFC 4959) when the server takes one, else after its
    /// first challenge. A challenge after the response is the server's error (XOAUTH2 sends it as
    /// JSON): answered empty, as the mechanism asks, and the refusal reported with it.
    private func authenticate(_ mechanism: String, _ response: String, shown: String) async throws {
        counter += 1
        let tag = "A\(counter)"
        let initial = capabilities.contains("SASL-IR")
        try await send("\(tag) AUTHENTICATE \(mechanism)\(initial ? " " + response : "")\r\n", step: shown)
        var sent = initial
        var challenge = ""
        while true {
            let reply = try await next(after: shown)
            if reply.tag == tag {
                let status = reply.text.dropFirst(tag.count + 1)
                guard status.hasPrefix("OK") else {
                    throw Failure(description: "\(mailbox): \(shown) refused: \(status.prefix(300))\(challenge.isEmpty ? "" : " (\(challenge.prefix(300)))")")
                }
                return
            }
            guard reply.text.hasPrefix("+") else { continue }
            if sent {
                challenge = Data(base64Encoded: String(reply.text.dropFirst(2))).map { String(decoding: $0, as: UTF8.self) } ?? ""
                try await send("\r\n", step: shown)
            } else {
                try await send(response + "\r\n", step: shown)
                sent = true
            }
        }
    }

    private func capability() async throws -> Set<String> {
        let lines = try await command("CAPABILITY")
        let words = lines.filter { $0.text.hasPrefix("* CAPABILITY ") }.flatMap { $0.text.dropFirst("* CAPABILITY ".count).split(separator: " ") }
        return Set(words.map { $0.uppercased() })
    }

    /// The UIDs of the folder's messages the desk should fetch: unseen ones, or all when what it
    /// stores leaves the folder (moved or deleted).
    func candidates() async throws -> [Int] {
        let lines = try await command(mailbox.after == .seen ? "UID SEARCH UNSEEN" : "UID SEARCH ALL")
        return lines.filter { $0.text.hasPrefix("* SEARCH") }.flatMap { $0.text.dropFirst("* SEARCH".count).split(separator: " ").compactMap { Int($0) } }.sorted()
    }

    /// Size and arrival of each of `uids`.
    func listings(_ uids: [Int]) async throws -> [Listing] {
        guard !uids.isEmpty else { return [] }
        let lines = try await command("UID FETCH \(uids.map(String.init).joined(separator: ",")) (UID RFC822.SIZE INTERNALDATE)")
        return lines.compactMap { line in
            guard line.text.hasPrefix("* "), line.text.contains(" FETCH ("), let uid = Self.number(after: "UID ", in: line.text) else { return nil }
            return Listing(uid: uid, size: Self.number(after: "RFC822.SIZE ", in: line.text) ?? 0,
                           internalDate: Self.quoted(after: "INTERNALDATE ", in: line.text).flatMap(Self.internalDate))
        }.sorted { $0.uid < $1.uid }
    }

    /// The message `uid` as the server keeps it, its bytes unchanged; nil when it is gone.
    func message(_ uid: Int) async throws -> [UInt8]? {
        let lines = try await command("UID FETCH \(uid) (UID BODY.PEEK[])")
        return lines.first { $0.text.contains(" FETCH (") && Self.number(after: "UID ", in: $0.text) == uid && !$0.literals.isEmpty }?.literals.first
    }

    /// Does with `uid` what the mailbox says once the desk has stored it.
    func finish(_ uid: Int) async throws {
        switch mailbox.after {
        case .seen:
            try await command("UID STORE \(uid) +FLAGS.SILENT (\\Seen)")
        case .move(let folder):
            if capabilities.contains("MOVE") {
                try await command("UID MOVE \(uid) \(try Self.quoted(folder))")
            } else {
                try await command("UID COPY \(uid) \(try Self.quoted(folder))")
                try await delete(uid)
            }
        case .delete:
            try await delete(uid)
        }
    }

    private func delete(_ uid: Int) async throws {
        guard capabilities.contains("UIDPLUS") else {
            throw Failure(description: "\(mailbox) has no UIDPLUS, so a message cannot be removed alone: use after=seen")
        }
        try await command("UID STORE \(uid) +FLAGS.SILENT (\\Deleted)")
        try await command("UID EXPUNGE \(uid)")
    }

    /// Creates the folder messages are moved to, if it is missing.
    func prepare() async throws {
        guard case .move(let folder) = mailbox.after else { return }
        let listed = try await command("LIST \"\" \(try Self.quoted(folder))")
        if !listed.contains(where: { $0.text.hasPrefix("* LIST") }) {
            try await command("CREATE \(try Self.quoted(folder))")
        }
    }

    /// Waits in IDLE for new mail, at most `window`: true when the server told of some.
    func idle(_ window: Duration) async throws -> Bool {
        counter += 1
        let tag = "A\(counter)"
        try await send("\(tag) IDLE\r\n", step: "IDLE")
        let ready = try await next(after: "IDLE")
        guard ready.text.hasPrefix("+") else { throw Failure(description: "\(mailbox) refused IDLE: \(ready.text.prefix(200))") }
        let outbound = self.outbound
        let timer = Task {
            try await Task.sleep(for: window)
            try await outbound.write(ByteBuffer(string: "DONE\r\n"))
        }
        defer { timer.cancel() }
        var arrived = false
        while true {
            let response = try await next(after: "IDLE")
            if response.tag == tag {
                guard response.text.dropFirst(tag.count + 1).hasPrefix("OK") else { throw Failure(description: "IDLE ended with: \(response.text.prefix(200))") }
                return arrived
            }
            if response.text.hasPrefix("* "), response.text.hasSuffix(" EXISTS") || response.text.hasSuffix(" RECENT"), !arrived {
                arrived = true
                timer.cancel()
                try await outbound.write(ByteBuffer(string: "DONE\r\n"))
            }
        }
    }

    /// Sends a command and returns its untagged responses; a NO or BAD throws with the server's
    /// words (`shown` stands for the command in them, so a password never reaches a log).
    @discardableResult
    func command(_ text: String, shown: String? = nil) async throws -> [IMAPResponse] {
        counter += 1
        let tag = "A\(counter)"
        let name = shown ?? String(text.prefix(80))
        try await send("\(tag) \(text)\r\n", step: name)
        var untagged: [IMAPResponse] = []
        while true {
            let response = try await next(after: name)
            guard response.tag == tag else {
                untagged.append(response)
                continue
            }
            let status = response.text.dropFirst(tag.count + 1)
            guard status.hasPrefix("OK") else { throw Failure(description: "\(mailbox): \(name) refused: \(status.prefix(300))") }
            return untagged
        }
    }

    /// Writes `line`; when the connection closed under it, the reading side says why (a failed TLS
    /// handshake, the server's goodbye).
    private func send(_ line: String, step: String) async throws {
        do {
            try await outbound.write(ByteBuffer(string: line))
        } catch {
            _ = try await next(after: step)
            throw error
        }
    }

    private func next(after step: String) async throws -> IMAPResponse {
        do {
            guard let response = try await responses.next() else {
                throw Failure(description: "\(mailbox) closed the connection (or fell silent) after \(step)")
            }
            return response
        } catch let error as NIOSSLError {
            throw Failure(description: "TLS with \(mailbox) failed after \(step): \(error)")
        }
    }

    /// `text` as an IMAP quoted string; refused when it cannot be one (a line break, non-ASCII).
    static func quoted(_ text: String) throws -> String {
        guard text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
            throw Failure(description: "'\(text.prefix(40))…' cannot be sent as an IMAP string: only printable ASCII is (a password may hold more with AUTHENTICATE PLAIN)")
        }
        return "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    static func number(after key: String, in text: String) -> Int? {
        guard let range = text.range(of: key) else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isASCII && $0.isNumber })
    }

    static func quoted(after key: String, in text: String) -> String? {
        guard let range = text.range(of: key + "\""), let end = text[range.upperBound...].firstIndex(of: "\"") else { return nil }
        return String(text[range.upperBound..<end])
    }

    /// An INTERNALDATE, `" 6-Dec-2026 10:00:00 +0100"`.
    static func internalDate(_ text: String) -> Date? {
        let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: " ")
        guard parts.count == 3 else { return nil }
        let day = parts[0].split(separator: "-"), time = parts[1].split(separator: ":"), zone = parts[2]
        guard day.count == 3, time.count == 3, zone.count == 5, let sign = zone.first, sign == "+" || sign == "-",
              let d = Int(day[0]), let month = months.firstIndex(of: day[1].lowercased()), let y = Int(day[2]),
              let h = Int(time[0]), let m = Int(time[1]), let s = Int(time[2]),
              let zh = Int(zone.dropFirst().prefix(2)), let zm = Int(zone.suffix(2)),
              (1...31).contains(d), (1970...9999).contains(y), (0...23).contains(h), (0...59).contains(m), (0...60).contains(s) else { return nil }
        var components = DateComponents(calendar: Calendar(identifier: .gregorian), timeZone: TimeZone(secondsFromGMT: 0),
                                        year: y, month: month + 1, day: d, hour: h, minute: m, second: s)
        components.nanosecond = 0
        guard let utc = components.date else { return nil }
        let offset = (zh * 3600 + zm * 60) * (sign == "-" ? -1 : 1)
        return utc.addingTimeInterval(TimeInterval(-offset))
    }
}

/// Closes a connection whose server has said nothing for the read timeout.
private final class CloseWhenSilent: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}
