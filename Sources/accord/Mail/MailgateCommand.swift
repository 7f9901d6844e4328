import AccordMail
import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat

/// `accord mailgate`: a mail server's delivery agent. It reads one message on standard input and
/// hands its bytes to the desk. Its exit status is the contract with the mail server: 0 only when
/// the desk stored the message (or set it aside in its quarantine); 75 (EX_TEMPFAIL) for anything
/// else — the desk unreachable or slow, a 5xx, a bad token, a bad option, a crash caught at the
/// top — so the mail server keeps the message and tries again. Never another code: Postfix bounces
/// mail back to its sender on every other one.
struct MailgateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mailgate",
        abstract: "Deliver one message from standard input to the desk (for a mail server's pipe transport).",
        discussion: """
            Exit status: 0 when the desk stored the message; 75 (try again later) otherwise. \
            Postfix master.cf: accord unix - n n - - pipe flags=Rq user=accord argv=/usr/local/bin/accord mailgate \
            --url https://desk.example --token-file /etc/accord/mailgate.token --recipient ${original_recipient}
            """)

    /// EX_TEMPFAIL of sysexits.h.
    static let temporaryFailure: Int32 = 75

    @ArgumentParser.Option(help: "The desk's URL (or ACCORD_URL).")
    var url: String?

    @ArgumentParser.Option(help: "A file holding a mail-gateway token (or ACCORD_MAILGATE_TOKEN); make one with 'accord mail gateway-token create'.")
    var tokenFile: String?

    @ArgumentParser.Option(help: "The envelope recipient the mail server delivered to (Postfix: ${original_recipient}).")
    var recipient: String?

    /// For a mail server that cannot pass the envelope recipient as an argument but writes it into
    /// the message (Postfix's pipe flags D and O, fetchmail): the topmost such field, the one it
    /// added last. The desk itself never reads these fields: a sender can write them too.
    @ArgumentParser.Option(help: ArgumentHelp("Without --recipient, read the envelope recipient from the topmost Delivered-To or X-Original-To field, which your own mail server must add.",
                                              valueName: "field"))
    var recipientHeader: RecipientHeader?

    enum RecipientHeader: String, ExpressibleByArgument, CaseIterable {
        case deliveredTo = "Delivered-To"
        case originalTo = "X-Original-To"
    }

    @ArgumentParser.Option(help: ArgumentHelp("Seconds to wait for the desk (1 to 3600).", valueName: "seconds"))
    var timeout = 60

    /// Runs with the mail server's arguments and returns the exit status: every failure, option
    /// errors included, is a temporary failure (75); help is 0.
    static func deliver(arguments: [String]) async -> Int32 {
        do {
            var command = try parseAsRoot(arguments)
            guard let gate = command as? MailgateCommand else {
                try await command.run()
                return 0
            }
            try await gate.deliverStandardInput()
            return 0
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                return 0
            }
            FileHandle.standardError.write(Data("accord mailgate: \(fullMessage(for: error)) — the mail server will try again (exit 75)\n".utf8))
            return temporaryFailure
        }
    }

    /// `accord` hands `mailgate` to `deliver(arguments:)` before parsing; this runs only when the
    /// command is reached another way, with the same contract.
    func run() async throws {
        do { try await deliverStandardInput() } catch {
            FileHandle.standardError.write(Data("accord mailgate: \(error) — the mail server will try again (exit 75)\n".utf8))
            throw ExitCode(Self.temporaryFailure)
        }
    }

    func deliverStandardInput() async throws {
        guard (1...3600).contains(timeout) else { throw CommandFailure("--timeout must be 1 to 3600 seconds, not \(timeout)") }
        let base = url ?? ProcessInfo.processInfo.environment["ACCORD_URL"] ?? "http://127.0.0.1:8080"
        guard let parsed = URL(string: base), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host?.isEmpty == false else {
            throw CommandFailure("--url must be the desk's http(s) URL; got '\(base)'")
        }
        let token: String
        if let tokenFile {
            guard let text = try? String(contentsOfFile: tokenFile, encoding: .utf8), !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw CommandFailure("--token-file '\(tokenFile)' cannot be read or is empty")
            }
            token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        } else if let text = ProcessInfo.processInfo.environment["ACCORD_MAILGATE_TOKEN"], !text.isEmpty {
            token = text
        } else {
            throw CommandFailure("give a mail-gateway token: --token-file FILE, or ACCORD_MAILGATE_TOKEN")
        }
        let message = FileHandle.standardInput.readDataToEndOfFile()
        guard !message.isEmpty else { throw CommandFailure("standard input held no message") }

        var request = HTTPClientRequest(url: (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/api/v1/mail/inbound")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "message/rfc822")
        request.headers.add(name: "User-Agent", value: "accord-mailgate/1")
        // The header section, read once for the recipient (when asked) and the acceptance time.
        let headers = MessageHeaders(parsing: [UInt8](message.prefix(256 * 1024)))
        if let recipient = Self.recipient(given: recipient, from: recipientHeader, in: headers) {
            request.headers.add(name: "Accord-Envelope-Recipient", value: recipient)
        }
        if let accepted = Self.acceptedAt(headers) { request.headers.add(name: "Accord-Accepted-At", value: accepted) }
        request.body = .bytes(ByteBuffer(data: message))
        // A desk that is down is said at once (the mail server then keeps the message and tries
        // later): one connection attempt of at most 10 s, not attempts repeated until --timeout.
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(Int64(min(timeout, 10)))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let response: HTTPClientResponse
        let body: Data
        do {
            response = try await client.execute(request, timeout: .seconds(Int64(timeout)))
            body = Data(buffer: try await response.body.collect(upTo: 1024 * 1024))
            try? await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw CommandFailure("the desk at \(base) did not answer: \(error)")
        }
        guard response.status.code == 202 else {
            let detail = ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any])?["detail"] as? String ?? response.status.reasonPhrase
            throw CommandFailure("the desk answered \(response.status.code): \(detail)")
        }
        print(String(decoding: body, as: UTF8.self))
    }

    /// The envelope recipient: as given, else the address in the topmost `field` of the message.
    static func recipient(given: String?, from field: RecipientHeader?, in headers: MessageHeaders) -> String? {
        if let given, !given.isEmpty { return given }
        guard let field else { return nil }
        return headers.value(field.rawValue).flatMap { MailAddress.list($0).first?.address }
    }

    /// When the desk's mail server accepted the message: the date of the topmost `Received` field,
    /// which that server wrote, as RFC 3339 (nil when there is none to read).
    static func acceptedAt(_ headers: MessageHeaders) -> String? {
        guard let received = headers.value("Received"), let semicolon = received.lastIndex(of: ";"),
              let date = MailDate(parsing: String(received[received.index(after: semicolon)...])) else { return nil }
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(date.seconds)))
    }
}
