import AccordMailGate
import ArgumentParser
import AsyncHTTPClient
import NIOCore

/// `accord mailgate`: a mail server's delivery agent, the same as the standalone `accord-mailgate`
/// (both run `MailGate`: its options, its exit status — 0 when the desk stored the message, 75 for
/// anything else — and its plain-http exchange), and over https as well, through AsyncHTTPClient.
struct MailgateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mailgate",
        abstract: "Deliver one message from standard input to the desk (for a mail server's pipe transport).",
        discussion: GateOptions.help(command: "accord mailgate"))

    /// The mail server's arguments, read by `MailGate` (help included), so that every failure, a bad
    /// option as well, is a temporary one.
    @ArgumentParser.Argument(parsing: .captureForPassthrough)
    var arguments: [String] = []

    /// `accord` hands `mailgate` here before parsing anything.
    static func deliver(arguments: [String]) async -> Int32 {
        await MailGate.run(arguments: arguments, command: "accord mailgate", secure: https)
    }

    func run() async throws {
        let status = await Self.deliver(arguments: arguments)
        if status != 0 { throw ExitCode(status) }
    }

    /// An https exchange: one connection attempt of at most 10 s (a desk that is down is said at
    /// once, and the mail server retries from its queue), the whole within the exchange's timeout.
    static let https: DeskExchange.Transport = { exchange throws(GateFailure) in
        do {
            return try await send(exchange)
        } catch {
            throw GateFailure("the desk at \(exchange.url.hostField) did not answer: \(error)")
        }
    }

    private static func send(_ exchange: DeskExchange) async throws -> DeskReply {
        var request = HTTPClientRequest(url: "https://\(exchange.url.hostField)\(exchange.path)")
        request.method = .POST
        for field in exchange.fields { request.headers.add(name: field.name, value: field.value) }
        request.body = .bytes(ByteBuffer(bytes: exchange.body))
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(Int64(min(exchange.timeout, 10)))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            let response = try await client.execute(request, timeout: .seconds(Int64(exchange.timeout)))
            let body = try await response.body.collect(upTo: 1 << 20)
            try await client.shutdown()
            return DeskReply(status: Int(response.status.code), body: Array(buffer: body))
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}
