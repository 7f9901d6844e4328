/// How the desk takes mail in.
public struct MailSettings: Sendable {
    /// Largest message kept whole and processed; a larger one is kept raw in the quarantine (up to
    /// `hardLimit`) and its sender told.
    public var maxMessageSize = 25 * 1024 * 1024
    /// Largest message body the inbound endpoint reads at all (answered 413 past it, which the
    /// gateway turns into a temporary failure: set the mail server's own size limit below it).
    public var hardLimit = 64 * 1024 * 1024
    /// The name the desk's own mail server writes in its `Authentication-Results` field (its
    /// `authserv-id`); nil: no sender counts as confirmed, so no mail goes to a priority queue.
    public var authservID: String?
    /// The desk's own addresses besides the policies' region mailboxes (never copied on a case).
    public var deskAddresses: [String] = []
    /// How long one server may take to process a message before another takes it up.
    public var processingLease: Double = 300

    public init() {}
}
