import Foundation
import Logging
public import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization
public import Vapor

/// The desk's listener on the network. It admits a connection only within the connection limits
/// (429 past the limit for one address, 503 past the limit for all), terminates TLS, times out
/// clients that trickle or stall, and relays each request to the desk's own HTTP server, which
/// listens on a Unix socket in a folder only this user can open.
///
/// Vapor's server has no place for these limits, hence the relay; the desk learns each client's
/// address from the `X-Accord-Client-Address` header the front door sets (see `Request.clientAddress`).
public final class FrontDoor: Server, Sendable {
    /// Where and how the front door listens.
    struct Settings: Sendable {
        var hostname: String
        var port: Int
        var tls: TLSConfiguration?
        var limits: ConnectionLimits
    }

    /// Where an application keeps its front door.
    struct Key: StorageKey {
        typealias Value = FrontDoor
    }

    private struct State {
        var listener: (any Channel)?
        var socketDirectory: URL?
        var connections: [ObjectIdentifier: any Channel] = [:]
        var stopped = false
    }

    private let settings: Settings
    private let inner: HTTPServer
    private let group: any EventLoopGroup
    private let logger: Logger
    private let count: ConnectionCount
    private let state = Mutex(State())
    private let stopped: EventLoopPromise<Void>

    init(settings: Settings, inner: HTTPServer, group: any EventLoopGroup, logger: Logger) {
        self.settings = settings
        self.inner = inner
        self.group = group
        self.logger = logger
        self.count = ConnectionCount(limits: settings.limits)
        self.stopped = group.next().makePromise()
    }

    public var onShutdown: EventLoopFuture<Void> { stopped.futureResult }

    /// The address the front door listens on (its port, when started on port 0).
    public var localAddress: SocketAddress? { state.withLock { $0.listener?.localAddress } }

    /// Connections open now.
    public var openConnections: Int { count.open }

    @available(*, noasync)
    public func start(address: BindAddress?) throws {
        let socketPath = try prepareSocketDirectory()
        try inner.start(address: .unixDomainSocket(path: socketPath))
        try bind(address, socketPath: socketPath).wait()
    }

    public func start(address: BindAddress?) async throws {
        let socketPath = try prepareSocketDirectory()
        try await inner.start(address: .unixDomainSocket(path: socketPath))
        try await bind(address, socketPath: socketPath).get()
    }

    @available(*, noasync)
    public func shutdown() {
        _ = try? closeListenerAndConnections().wait()
        inner.shutdown()
        finish()
    }

    public func shutdown() async {
        _ = try? await closeListenerAndConnections().get()
        await inner.shutdown()
        finish()
    }

    // MARK: Starting

    /// A new folder, readable by this user only, for the desk server's socket.
    private func prepareSocketDirectory() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("accord-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        state.withLock { $0.socketDirectory = directory }
        return directory.appendingPathComponent("desk.sock").path
    }

    private func bind(_ address: BindAddress?, socketPath: String) -> EventLoopFuture<Void> {
        var hostname = settings.hostname, port = settings.port
        switch address {
        case .hostname(let host, let givenPort):
            hostname = host ?? hostname
            port = givenPort ?? port
        case .unixDomainSocket:
            return group.next().makeFailedFuture(FrontDoorError(description: "the desk listens on a TCP port, not on a Unix socket"))
        case nil:
            break
        }
        let tlsContext: NIOSSLContext?
        do { tlsContext = try settings.tls.map { try NIOSSLContext(configuration: $0) } } catch {
            return group.next().makeFailedFuture(error)
        }
        let connector = BackendConnector(socketPath: socketPath)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture { try self.initialize(channel, tlsContext: tlsContext, connector: connector) }
            }
        let scheme = tlsContext == nil ? "http" : "https"
        return bootstrap.bind(host: hostname, port: port).map { [self, hostname, port] listener in
            state.withLock { $0.listener = listener }
            logger.notice("Accord is listening on \(scheme)://\(hostname):\(listener.localAddress?.port ?? port)")
        }
    }

    /// Sets up an accepted connection: admitted, it gets TLS (if on), HTTP and a relay; refused,
    /// only the gate that answers why.
    private func initialize(_ channel: any Channel, tlsContext: NIOSSLContext?, connector: BackendConnector) throws {
        let address = channel.remoteAddress?.ipAddress ?? "unknown"
        let pipeline = channel.pipeline.syncOperations
        if let tlsContext { try pipeline.addHandler(NIOSSLServerHandler(context: tlsContext)) }
        if let refusal = count.admit(address) {
            logger.warning("refused a connection from \(address): \(refusal.detail)")
            try pipeline.addHandler(ConnectionGate(refusal: refusal))
            return
        }
        let id = ObjectIdentifier(channel)
        state.withLock { $0.connections[id] = channel }
        channel.closeFuture.whenComplete { [self] _ in
            count.release(address)
            state.withLock { _ = $0.connections.removeValue(forKey: id) }
        }
        let gate = ConnectionGate()
        try pipeline.addHandler(gate)
        try pipeline.configureHTTPServerPipeline(withPipeliningAssistance: true, withErrorHandling: true)
        try pipeline.addHandler(RequestRelay(limits: settings.limits, clientAddress: address, gate: gate, connector: connector, logger: logger))
    }

    // MARK: Stopping

    /// Stops listening, lets each connection finish the answer it is writing (closing idle ones at
    /// once), and closes whatever is left after the grace period.
    private func closeListenerAndConnections() -> EventLoopFuture<Void> {
        let (listener, connections) = state.withLock { state -> ((any Channel)?, [any Channel]) in
            let taken = (state.listener, Array(state.connections.values))
            state.listener = nil
            return taken
        }
        let loop = group.next()
        guard listener != nil || !connections.isEmpty else { return loop.makeSucceededVoidFuture() }
        let closed = listener?.close() ?? loop.makeSucceededVoidFuture()
        for connection in connections {
            connection.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
        let allClosed = EventLoopFuture.andAllComplete(connections.map(\.closeFuture), on: loop)
        let grace = loop.scheduleTask(in: .seconds(10)) {
            for connection in connections { connection.close(promise: nil) }
        }
        return closed.and(allClosed).map { _ in grace.cancel() }
    }

    private func finish() {
        let directory = state.withLock { state -> URL? in
            guard !state.stopped else { return nil }
            state.stopped = true
            return state.socketDirectory
        }
        guard let directory else { return }
        try? FileManager.default.removeItem(at: directory)
        stopped.succeed(())
    }
}

/// Why the front door cannot start.
struct FrontDoorError: Error, CustomStringConvertible {
    let description: String
}

extension Request {
    /// The address of the client that sent this request, as the front door saw it.
    var clientAddress: String {
        headers.first(name: RequestRelay.clientAddressHeader) ?? remoteAddress?.ipAddress ?? "unknown"
    }
}
