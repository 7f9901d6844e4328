public import AccordStore
public import Foundation

/// How the web desk signs people in: session limits, cookie security, password hashing,
/// invitations, and how many failed sign-ins an account may have.
public struct WebSettings: Sendable {
    /// Idle and absolute limits of a browser session.
    public var sessionLimits = SessionLimits()
    /// bcrypt's work factor for new passwords.
    public var passwords = Passwords()
    /// How long an invitation link works.
    public var invitationLifetime: TimeInterval = 72 * 3600
    /// Failed sign-ins one account may have in `accountWindow` before it is refused for a while,
    /// whatever address they come from (each address is limited as well, as for API tokens).
    public var accountFailures = 10
    public var accountWindow: TimeInterval = 15 * 60
    /// The address people reach the desk at (`https://support.example.com`), to write whole
    /// invitation links; without it the API gives the link's path only.
    public var publicURL: String?

    public init() {}
}
