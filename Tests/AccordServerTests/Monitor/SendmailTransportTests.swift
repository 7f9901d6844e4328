@testable import AccordServer
import Foundation
import Testing

/// A sendmail command that fails the delivery fails it — with its words and status — and never
/// the server, even when it stops reading the message half-way (swift-subprocess 1.0.2 trapped on
/// the pipe it then left open).
@Suite struct SendmailTransportTests {
    @Test func aCommandThatStopsReadingFailsTheDeliveryNotTheServer() async throws {
        let (directory, script, _) = try AlertDeliveryTests.sendmail("echo 'sendmail: queue file write error' >&2\nexit 75")
        defer { try? FileManager.default.removeItem(at: directory) }
        // Far more than a pipe holds, so the writer meets the closed end.
        let body = String(repeating: "A line of a long message that nobody reads.\n", count: 20_000)
        let mail = AlertMail(from: "Desk <desk@provider.test>", to: "lead@provider.test", subject: "Long", body: body, date: Date(), messageID: "long@accord.test")
        for _ in 0..<3 {
            do {
                try await SendmailTransport(path: script.path).send(mail)
                Issue.record("a failing sendmail was taken for a delivery")
            } catch {
                #expect("\(error)".contains("ended with exited(75): sendmail: queue file write error"), "\(error)")
            }
        }
    }
}
