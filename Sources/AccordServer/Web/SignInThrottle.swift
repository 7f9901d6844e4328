import AccordStore
import Crypto
import Foundation
import Vapor

/// Failed sign-ins are limited per client address (the same bucket as unknown API tokens, so that
/// an address guessing either gains nothing) and per account, on every server of the desk
/// together: an account past its limit is refused, from any address, until its bucket refills.
struct SignInThrottle: Sendable {
    let addresses: AuthenticationThrottle
    let accountFailures: Int
    let accountWindow: TimeInterval

    /// Refuses the attempt before any password is checked when the address or the account is blocked.
    func check(email: String, on request: Request, store: DeskStore, at instant: Date) async throws {
        if let seconds = addresses.retryAfter(request.clientAddress, at: instant) {
            throw Throttled(seconds: seconds, detail: "too many failed sign-ins from your address: try again in \(Self.words(seconds))")
        }
        guard accountFailures > 0 else { return }
        let left = try await store.authenticationFailuresLeft(for: Self.key(email), limit: accountFailures, window: accountWindow, at: instant)
        if left < 1 {
            let seconds = max(1, Int(((1 - left) * accountWindow / Double(accountFailures)).rounded(.up)))
            throw Throttled(seconds: seconds, detail: "too many failed sign-ins for this account: try again in \(Self.words(seconds)), or set a new password through an invitation")
        }
    }

    /// Counts a failed attempt against the address and the account.
    func fail(email: String, on request: Request, store: DeskStore, at instant: Date) async throws {
        let address = request.clientAddress
        if try await addresses.recordFailure(from: address, store: store, at: instant) {
            request.logger.warning("sign-in throttled: \(address) failed more than \(addresses.limit) times in a minute")
        }
        if accountFailures > 0 {
            let left = try await store.takeAuthenticationFailure(from: Self.key(email), limit: accountFailures, window: accountWindow, at: instant)
            if left < 1 { request.logger.warning("sign-in throttled: an account had \(accountFailures) failed sign-ins") }
        }
    }

    /// The account's bucket key: a hash, so the table holds no email addresses.
    static func key(_ email: String) -> String {
        "account:" + SHA256.hash(data: Data(email.lowercased().utf8)).prefix(20).map { String(format: "%02x", $0) }.joined()
    }

    static func words(_ seconds: Int) -> String {
        seconds < 120 ? "\(seconds) seconds" : "\((seconds + 59) / 60) minutes"
    }
}
