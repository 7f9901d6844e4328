/// Why a delivery did not happen, in words for the mail server's log. Every one is a temporary
/// failure to the mail server (exit 75): it keeps the message and tries again.
public struct GateFailure: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
