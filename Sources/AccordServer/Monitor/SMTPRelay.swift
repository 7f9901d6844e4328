import Foundation

/// An SMTP relay the desk's mail leaves through: where it is, how the connection is secured, and
/// the account the desk signs in with — what a provider's relay (Microsoft 365, Google, a
/// company's own Postfix on port 587) requires.
public struct SMTPRelay: Sendable, Equatable, CustomStringConvertible {
    /// How the connection is secured.
    public enum Security: String, Sendable, CaseIterable {
        /// Plain SMTP: a relay on the host or the local network.
        case none
        /// Plain connection upgraded with STARTTLS (RFC 3207) before anything else is said; a
        /// relay that does not offer it is refused, never used in clear.
        case starttls
        /// TLS from the first byte ("implicit TLS", RFC 8314; port 465).
        case tls
    }

    /// The account the desk signs in with (AUTH PLAIN or LOGIN, only over TLS).
    public struct Credentials: Sendable, Equatable, CustomStringConvertible {
        public var user: String
        public var password: String

        public init(user: String, password: String) {
            self.user = user
            self.password = password
        }

        /// The user only: a password never reaches a log.
        public var description: String { "\(user) (password hidden)" }
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var credentials: Credentials?
    /// A PEM file of certificate authorities trusted for this relay besides the system's (a
    /// company's private CA).
    public var trustedCertificates: String?

    public init(host: String, port: Int, security: Security = .none, credentials: Credentials? = nil, trustedCertificates: String? = nil) {
        self.host = host
        self.port = port
        self.security = security
        self.credentials = credentials
        self.trustedCertificates = trustedCertificates
    }

    /// Throws what makes the relay's TLS unusable (an unreadable authorities file), before the
    /// first mail finds out.
    public func check() throws {
        if security != .none { _ = try ClientTLS.context(trusting: trustedCertificates, for: "SMTP relay") }
    }

    public var description: String {
        var text = "\(host):\(port)"
        switch security {
        case .none: break
        case .starttls: text += " with STARTTLS"
        case .tls: text += " over TLS"
        }
        if let credentials { text += " as \(credentials.user)" }
        return text
    }
}
