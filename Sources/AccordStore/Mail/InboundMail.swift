public import Foundation

/// A message taken in by mail, as the desk keeps it: what it said of itself, and what became of it.
public struct InboundMail: Sendable, Equatable, Codable {
    /// Where a message stands.
    public enum Status: String, Sendable, Codable {
        /// Stored, not yet processed (or its processing died with its server).
        case pending
        /// Done: a case, a reply, a note, a refusal answered by mail, or a duplicate.
        case processed
        /// Set aside for an administrator: it could not be processed; kept raw, retried on request.
        case quarantined
        /// Dropped by an administrator from the quarantine (the raw bytes are deleted).
        case dropped
    }

    public let id: UUID
    /// SHA-256 of the raw bytes, in hex: the same bytes delivered twice are one message.
    public let digest: String
    public let size: Int64
    /// The envelope recipient the mail server delivered to.
    public let recipient: String?
    public let sender: String?
    public let subject: String?
    public let messageID: String?
    /// When the desk's mail server handed the message over: a case's clocks start here.
    public let received: Date
    public let status: Status
    /// `case-created`, `reply-added`, `duplicate`, `auto-reply-recorded`, `bounce-recorded`,
    /// `refused`, `quarantined`.
    public let outcome: String?
    public let caseID: UUID?
    /// Why it was quarantined, refused or dropped.
    public let reason: String?
    public let attempts: Int
}
