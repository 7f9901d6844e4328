import Foundation

/// What the front door allows one connection and all of them together: how many may be open, and
/// how long a client may take over each part of a request before it is cut off.
///
/// Every connection costs the server three file descriptors (the client's socket and the two ends of
/// its link to the desk inside the process), so `maxConnections` must fit the process's limit on open
/// files (`ulimit -n`); `accord serve` raises that limit to the system's maximum and checks.
public struct ConnectionLimits: Sendable, Equatable {
    /// Connections open at once, from everyone; one more is answered 503 and closed.
    public var maxConnections = 4096
    /// Connections open at once from one client address; one more is answered 429 and closed.
    public var maxConnectionsPerAddress = 100
    /// How long a connection may wait without starting a request: after it opens, and between one
    /// answer and the next request. It is then closed without an answer (nothing was asked).
    /// Also how long a client may take to read any part of an answer.
    public var idleTimeout: Duration = .seconds(10)
    /// From a request's first byte to the end of its head (request line and headers): a client that
    /// trickles its head is answered 408 and closed.
    public var headTimeout: Duration = .seconds(10)
    /// The longest pause inside a request's body: a stalled upload is answered 408 and closed.
    public var bodyTimeout: Duration = .seconds(30)
    /// Requests served on one kept-alive connection; the last is answered with `Connection: close`.
    public var maxRequestsPerConnection = 1000

    public init() {}

    /// File descriptors one connection holds.
    public static let descriptorsPerConnection = 3
}
