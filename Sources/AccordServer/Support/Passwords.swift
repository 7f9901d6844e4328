import NIOPosix
public import Vapor

/// The desk's rule for passwords and their bcrypt hashing: one place for the web's invitation
/// page, a person changing their own password and `accord user set-password`.
public struct Passwords: Sendable {
    /// bcrypt's work factor: each step doubles the time a guess costs (12 by default; tests use less).
    public let cost: Int

    public init(cost: Int = 12) {
        self.cost = cost
    }

    /// Fewest characters a password may have.
    public static let minimumLength = 12
    /// bcrypt reads no more than 72 bytes; a longer password is refused rather than cut silently.
    public static let maximumBytes = 72

    /// Why `password` cannot be a password for `email`, or nil when it can.
    public static func problem(with password: String, email: String) -> String? {
        if password.count < minimumLength {
            return "must be at least \(minimumLength) characters long (it has \(password.count))"
        }
        if password.utf8.count > maximumBytes {
            return "must be at most \(maximumBytes) bytes in UTF-8 (it has \(password.utf8.count)); bcrypt would ignore the rest"
        }
        if Set(password).count < 4 {
            return "must use at least 4 different characters"
        }
        if password.lowercased() == email.lowercased() || password.lowercased() == email.lowercased().split(separator: "@").first.map(String.init) {
            return "must not be your email address or its name part"
        }
        if password.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "must not contain control characters"
        }
        return nil
    }

    /// The bcrypt hash of `password` (a format that names its own cost, so older hashes still verify).
    public func hash(_ password: String) throws -> String {
        try Bcrypt.hash(password, cost: cost)
    }

    /// Hashes on the application's thread pool: bcrypt is slow on purpose, and must not hold an event loop.
    func hash(_ password: String, on request: Request) async throws -> String {
        let cost = self.cost
        return try await request.application.threadPool.runIfActive { try Bcrypt.hash(password, cost: cost) }
    }

    /// Whether `password` matches `hash`, on the thread pool. Without a hash (an unknown email, or
    /// a person who has not set one) a stand-in is checked, so that the answer takes as long
    /// either way and the time does not tell which emails exist.
    func verify(_ password: String, against hash: String?, on request: Request) async throws -> Bool {
        let standIn = self.standIn
        return try await request.application.threadPool.runIfActive {
            guard let hash else {
                _ = try? Bcrypt.verify(password, created: standIn)
                return false
            }
            return (try? Bcrypt.verify(password, created: hash)) ?? false
        }
    }

    /// A hash of nothing anyone can type, at this cost, for `verify`'s stand-in.
    private var standIn: String {
        "$2b$\(cost < 10 ? "0" : "")\(cost)$" + String(repeating: "A", count: 53)
    }
}
