/// One request to the desk and its answer, whatever carries it (a plain socket here; TLS in the
/// `accord` executable).
public struct DeskExchange: Sendable {
    public let url: DeskURL
    /// The request's path, from the root.
    public let path: String
    /// Header fields besides Host, Content-Length and Connection.
    public let fields: [(name: String, value: String)]
    public let body: [UInt8]
    /// Seconds for the whole exchange.
    public let timeout: Int

    /// How an https request travels (the `accord` executable passes one; http goes by `PlainHTTP`).
    public typealias Transport = @Sendable (DeskExchange) async throws(GateFailure) -> DeskReply
}

/// What the desk answered.
public struct DeskReply: Sendable, Equatable {
    public let status: Int
    public let body: [UInt8]

    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }
}
