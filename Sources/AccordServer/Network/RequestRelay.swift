import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// Relays one client connection's requests, one at a time, to the desk's own HTTP server inside
/// the process, and its answers back — holding the client to the connection limits' clocks on the
/// way: time to start a request, to send its head, between pieces of its body, and to read answers.
///
/// Runs on the client channel's event loop, as does the link to the desk it opens on the first
/// request; each side stops reading while the other cannot take more, so memory stays bounded.
final class RequestRelay: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// The header through which the desk learns the client's address (any sent by a client is replaced).
    static let clientAddressHeader = "X-Accord-Client-Address"

    private enum Phase {
        /// No request under way: the idle clock runs.
        case waiting
        /// A request's first bytes arrived: the head clock runs.
        case readingHead
        /// The head was read: the body clock runs between pieces of the body.
        case readingBody
        /// The whole request went to the desk; its answer is awaited.
        case awaitingAnswer
    }

    private let limits: ConnectionLimits
    private let clientAddress: String
    private let gate: ConnectionGate
    private let connector: BackendConnector
    private let logger: Logger

    private var context: ChannelHandlerContext?
    private var phase = Phase.waiting
    private var clock: Scheduled<Void>?
    private var readStall: Scheduled<Void>?
    private var backend: (any Channel)?
    private var connecting = false
    private var waitingToSend: [HTTPClientRequestPart] = []
    private var requests = 0
    private var closeAfterAnswer = false
    private var answerStarted = false
    private var backendWritable = true
    /// The desk answered before the request's body was all in (a refusal): the rest of the body is
    /// read and dropped, so that the client reads the answer, and the connection closes after it.
    private var discarding = false
    /// The request's method takes no body (TRACE): what the client sends with it is dropped, and the
    /// desk answers the method (405) as for any other.
    private var droppingBody = false
    /// The client asked for `100 Continue` before sending its body: it waits for an answer.
    private var expectsContinue = false
    /// An answer the desk gave before the request was all in, held until it is (or the lingering
    /// time ends): a client that reads only once it has sent everything then reads it, instead of
    /// failing to send to a closed connection.
    private var early: (parts: [HTTPServerResponsePart], bytes: Int)?
    /// Most bytes of an early answer held back; a larger one goes out as it comes.
    static let maxEarlyAnswer = 64 * 1024

    /// How long a connection answered before its request was all in keeps reading (and dropping)
    /// the rest, so that the client, still sending, reads the answer instead of a reset.
    static let lingering: TimeAmount = .seconds(5)

    init(limits: ConnectionLimits, clientAddress: String, gate: ConnectionGate, connector: BackendConnector, logger: Logger) {
        self.limits = limits
        self.clientAddress = clientAddress
        self.gate = gate
        self.connector = connector
        self.logger = logger
    }

    // MARK: The client's side

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { startIdleClock() }
    }

    func channelActive(context: ChannelHandlerContext) {
        startIdleClock()
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        stopClock()
        readStall?.cancel()
        readStall = nil
        backend?.close(promise: nil)
        backend = nil
        self.context = nil
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ConnectionGate.BytesArrived {
            if phase == .waiting {
                phase = .readingHead
                start(limits.headTimeout) { relay in
                    relay.giveUp("the request's head (its request line and headers) did not arrive within \(Self.seconds(relay.limits.headTimeout)) seconds")
                }
            }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if discarding {
            if case .end = part { releaseEarlyAnswerAndClose() }
            return
        }
        switch part {
        case .head(let head):
            requests += 1
            answerStarted = false
            phase = .readingBody
            expectsContinue = head.headers[canonicalForm: "expect"].contains { $0.lowercased() == "100-continue" }
            var headers = head.headers
            headers.remove(name: Self.clientAddressHeader)
            headers.add(name: Self.clientAddressHeader, value: clientAddress)
            droppingBody = head.method == .TRACE
            if droppingBody {
                headers.remove(name: "content-length")
                headers.remove(name: "transfer-encoding")
            }
            if !head.isKeepAlive || requests >= limits.maxRequestsPerConnection {
                closeAfterAnswer = true
                headers.replaceOrAdd(name: "connection", value: "close")
            }
            startBodyClock()
            send(.head(HTTPRequestHead(version: head.version, method: head.method, uri: head.uri, headers: headers)), flush: false)
        case .body(let bytes):
            if phase == .readingBody, backendWritable { startBodyClock() }
            if !droppingBody { send(.body(.byteBuffer(bytes)), flush: true) }
        case .end(let trailers):
            if phase == .readingBody {
                stopClock()
                phase = .awaitingAnswer
            }
            send(.end(trailers), flush: true)
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        let writable = context.channel.isWritable
        backend?.setOption(ChannelOptions.autoRead, value: writable).whenFailure { _ in }
        readStall?.cancel()
        readStall = nil
        if !writable {
            // The client is not reading its answer: give it the idle timeout to start again.
            readStall = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(limits.idleTimeout)) { [self] in
                logger.info("closing a connection from \(clientAddress): it read nothing of its answer for \(Self.seconds(limits.idleTimeout)) seconds")
                self.context?.close(promise: nil)
            }
        }
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("closing a connection from \(clientAddress): \(error)")
        context.close(promise: nil)
    }

    // MARK: The desk's side

    /// A part of the desk's answer.
    func backendRead(_ part: HTTPClientResponsePart) {
        guard let context else { return }
        switch part {
        case .head(let head):
            var headers = head.headers
            if head.status.code >= 200 {
                answerStarted = true
                if !head.isKeepAlive { closeAfterAnswer = true }
                // An answer before the request is all in ends the connection: the client is told so.
                if phase == .readingBody {
                    headers.replaceOrAdd(name: "connection", value: "close")
                    if !expectsContinue { early = ([], 0) }
                }
            }
            answer(.head(HTTPResponseHead(version: head.version, status: head.status, headers: headers)), size: 0)
        case .body(let bytes):
            answer(.body(.byteBuffer(bytes)), size: bytes.readableBytes)
        case .end(let trailers):
            answerStarted = false
            stopClock()
            if phase == .readingBody {
                // Answered before the whole request arrived (a refusal of its head): read and drop
                // the rest of the body for a while, then answer (if held) and close.
                discarding = true
                backend?.close(promise: nil)
                context.channel.setOption(ChannelOptions.autoRead, value: true).whenFailure { _ in }
                answer(.end(trailers), size: 0)
                if early == nil { context.flush() }
                context.eventLoop.assumeIsolated().scheduleTask(in: Self.lingering) { [self] in releaseEarlyAnswerAndClose() }
                return
            }
            phase = .waiting
            // Decided before the write: writing the end lets the next pipelined request in at once.
            let closing = closeAfterAnswer
            if !closing { startIdleClock() }
            let written = context.writeAndFlush(wrapOutboundOut(.end(trailers)))
            if closing {
                let bound = context.loopBound
                written.assumeIsolated().whenComplete { _ in bound.value.close(promise: nil) }
            }
        }
    }

    func backendReadComplete() {
        if early == nil { context?.flush() }
    }

    /// Writes a part of the answer to the client, or holds it with an early answer.
    private func answer(_ part: HTTPServerResponsePart, size: Int) {
        guard let context else { return }
        if var held = early {
            held.parts.append(part)
            held.bytes += size
            early = held
            if held.bytes > Self.maxEarlyAnswer {
                early = nil
                for part in held.parts { context.write(wrapOutboundOut(part), promise: nil) }
                context.flush()
            }
            return
        }
        context.write(wrapOutboundOut(part), promise: nil)
    }

    /// Sends the early answer held back (if any) and closes the connection once it is written.
    private func releaseEarlyAnswerAndClose() {
        guard let context else { return }
        let held = early?.parts ?? []
        early = nil
        guard let last = held.last else {
            context.close(promise: nil)
            return
        }
        for part in held.dropLast() { context.write(wrapOutboundOut(part), promise: nil) }
        let bound = context.loopBound
        context.writeAndFlush(wrapOutboundOut(last)).assumeIsolated().whenComplete { _ in bound.value.close(promise: nil) }
    }

    /// The link to the desk can take more (or not): read from the client accordingly.
    func backendWritabilityChanged(_ writable: Bool) {
        backendWritable = writable
        guard let context else { return }
        context.channel.setOption(ChannelOptions.autoRead, value: writable).whenFailure { _ in }
        // A client held back by the desk is not stalling: its body clock waits too.
        if phase == .readingBody, !discarding {
            if writable { startBodyClock() } else { stopClock() }
        }
    }

    /// The desk closed the link: a request still without an answer gets 502.
    func backendClosed() {
        backend = nil
        guard let context, !discarding else { return }
        switch phase {
        case .waiting:
            return
        case .readingHead, .readingBody, .awaitingAnswer:
            if answerStarted {
                context.close(promise: nil)
            } else {
                stopClock()
                gate.answer(status: .badGateway, detail: "the desk closed the request before answering it; try again")
            }
        }
    }

    // MARK: Sending to the desk

    private func send(_ part: HTTPClientRequestPart, flush: Bool) {
        if let backend {
            if flush { backend.writeAndFlush(part, promise: nil) } else { backend.write(part, promise: nil) }
            return
        }
        waitingToSend.append(part)
        guard !connecting, let context else { return }
        connecting = true
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        connector.connect(on: context.eventLoop, relay: self).assumeIsolated().whenComplete { result in
            let relay = bound.value
            relay.connecting = false
            switch result {
            case .success(let channel):
                guard relay.context != nil else {
                    channel.close(promise: nil)
                    return
                }
                relay.backend = channel
                for part in relay.waitingToSend { channel.write(part, promise: nil) }
                relay.waitingToSend = []
                channel.flush()
            case .failure(let error):
                relay.logger.error("the front door cannot reach the desk's server: \(error)")
                relay.waitingToSend = []
                relay.stopClock()
                relay.gate.answer(status: .badGateway, detail: "the desk could not take the request; try again")
            }
        }
    }

    // MARK: Clocks

    private func startIdleClock() {
        start(limits.idleTimeout) { relay in
            // Nothing was asked: the connection closes without an answer.
            relay.context?.close(promise: nil)
        }
    }

    private func startBodyClock() {
        start(limits.bodyTimeout) { relay in
            relay.giveUp("the request's body paused for more than \(Self.seconds(relay.limits.bodyTimeout)) seconds")
        }
    }

    private func start(_ duration: Duration, then action: @escaping (RequestRelay) -> Void) {
        stopClock()
        guard let context else { return }
        clock = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(duration)) { [self] in
            clock = nil
            action(self)
        }
    }

    private func stopClock() {
        clock?.cancel()
        clock = nil
    }

    /// A request took too long: 408 when nothing of an answer was written yet, else just close.
    private func giveUp(_ detail: String) {
        logger.info("request timeout from \(clientAddress): \(detail)")
        if answerStarted {
            context?.close(promise: nil)
        } else {
            gate.answer(status: .requestTimeout, detail: detail)
        }
        backend?.close(promise: nil)
    }

    static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return attoseconds == 0 ? String(seconds) : String(Double(seconds) + Double(attoseconds) / 1e18)
    }
}

/// Opens a link from a client's relay to the desk's own HTTP server on its Unix socket.
struct BackendConnector: Sendable {
    let socketPath: String

    func connect(on eventLoop: any EventLoop, relay: RequestRelay) -> EventLoopFuture<any Channel> {
        let bound = NIOLoopBound(relay, eventLoop: eventLoop)
        return ClientBootstrap(group: eventLoop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(BackendHandler(relay: bound.value))
                }
            }
            .connect(unixDomainSocketPath: socketPath)
    }
}

/// The desk's side of a relay: hands the desk's answers and flow control to the relay.
final class BackendHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private let relay: RequestRelay

    init(relay: RequestRelay) {
        self.relay = relay
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        relay.backendRead(unwrapInboundIn(data))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        relay.backendReadComplete()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        relay.backendWritabilityChanged(context.channel.isWritable)
    }

    func channelInactive(context: ChannelHandlerContext) {
        relay.backendClosed()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
