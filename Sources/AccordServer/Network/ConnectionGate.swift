import Foundation
import NIOCore
import NIOHTTP1

/// The first handler a client's bytes meet (after TLS): it tells the relay when a request begins
/// to arrive, and answers in raw bytes where no HTTP exchange is in progress — a refused connection,
/// a request that took too long — then closes the connection after giving the client a moment to
/// read the answer.
final class ConnectionGate: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Sent on when bytes arrive: the relay starts a request's head clock on the first of them.
    struct BytesArrived {}

    /// How long a refused or timed-out connection stays open, reading and dropping what the client
    /// still sends, so that the answer is read before the connection closes.
    static let lingering: TimeAmount = .seconds(1)

    private var refusal: ConnectionCount.Refusal?
    private var answered = false
    private var context: ChannelHandlerContext?

    /// A gate for an admitted connection, or one that answers `refusal` and closes.
    init(refusal: ConnectionCount.Refusal? = nil) {
        self.refusal = refusal
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { refuseIfNeeded(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        context.fireChannelActive()
        refuseIfNeeded(context: context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !answered else { return }
        context.fireUserInboundEventTriggered(BytesArrived())
        context.fireChannelRead(data)
    }

    private func refuseIfNeeded(context: ChannelHandlerContext) {
        guard let refusal, !answered else { return }
        self.refusal = nil
        answer(status: refusal.status, detail: refusal.detail, retryAfter: 1)
    }

    /// Writes a complete problem+json answer and closes the connection after it; later reads are
    /// dropped. Only for when no other answer is being written.
    func answer(status: HTTPResponseStatus, detail: String, retryAfter: Int? = nil) {
        guard let context, !answered else { return }
        answered = true
        context.writeAndFlush(wrapOutboundOut(Self.response(status: status, detail: detail, retryAfter: retryAfter, allocator: context.channel.allocator)),
                              promise: nil)
        let bound = context.loopBound
        context.eventLoop.assumeIsolated().scheduleTask(in: Self.lingering) {
            bound.value.close(promise: nil)
        }
    }

    /// An HTTP/1.1 answer that closes the connection, its body the desk's `Problem`.
    static func response(status: HTTPResponseStatus, detail: String, retryAfter: Int?, allocator: ByteBufferAllocator) -> ByteBuffer {
        let body = (try? JSONEncoder().encode(Problem(status, detail))) ?? Data()
        var head = "HTTP/1.1 \(status.code) \(status.reasonPhrase)\r\nContent-Type: application/problem+json\r\nContent-Length: \(body.count)\r\nConnection: close\r\n"
        if let retryAfter { head += "Retry-After: \(retryAfter)\r\n" }
        head += "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\r\n"
        var buffer = allocator.buffer(capacity: head.utf8.count + body.count)
        buffer.writeString(head)
        buffer.writeBytes(body)
        return buffer
    }
}
