public import Foundation

/// A person signed in through a browser: who, the form token their pages carry, and until when
/// the session lasts without a request (`idleUntil`) and at most (`expires`).
public struct WebSession: Sendable, Equatable {
    public let id: UUID
    public let person: Person
    /// Sent with every form the session posts (CSRF); not a credential by itself.
    public let csrfToken: String
    public let created: Date
    public let expires: Date
}

/// How long a browser session lasts: `idle` without a request, `absolute` at most from sign-in.
public struct SessionLimits: Sendable, Equatable {
    public var idle: TimeInterval
    public var absolute: TimeInterval

    public init(idle: TimeInterval = 2 * 3600, absolute: TimeInterval = 12 * 3600) {
        self.idle = idle
        self.absolute = absolute
    }

    /// A session seen within this long is not written again to record the request (one write a
    /// minute per session at most, whatever the pages poll).
    static let touchGranularity: TimeInterval = 60
}
