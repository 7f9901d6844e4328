import Testing

@testable import AccordMail

/// Mail no person wrote, told apart by its headers and, for bounces, its report.
@Suite struct AutomaticMailTests {
    func classify(_ text: String) -> AutomaticMail? { AutomaticMail.classify(MailMessage(parsing: Array(text.utf8))) }

    @Test(arguments: [
        ("Auto-Submitted: auto-replied\n", "Auto-Submitted: auto-replied"), ("Precedence: bulk\n", "Precedence: bulk"),
        ("X-Autoreply: yes\n", "X-Autoreply"), ("X-Auto-Response-Suppress: All\n", "X-Auto-Response-Suppress"),
        ("List-Id: <ops.lists.example>\n", "List-Id"), ("Return-Path: <>\n", "Return-Path: <>"),
    ]) func autoReplies(_ header: String, _ reason: String) {
        #expect(classify("From: ann@acme.test\n\(header)Subject: Out of office\n\nAway.") == .autoReply(reason: reason))
    }

    @Test func peopleAreNotMachines() {
        #expect(classify("From: Ann <ann@acme.test>\nAuto-Submitted: no\nX-Auto-Response-Suppress: DR, RN\nSubject: x\n\nHi") == nil)
        #expect(classify("From: MAILER-DAEMON@mx.test\nSubject: x\n\nfailed") == .autoReply(reason: "sender mailer-daemon@mx.test"))
    }

    @Test func aBounceNamesTheFailedRecipients() {
        let report = """
            From: MAILER-DAEMON@mx.acme.test
            Content-Type: multipart/report; report-type=delivery-status; boundary=r

            --r

            Delivery failed.
            --r
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mx.acme.test

            Final-Recipient: rfc822; Gone@Acme.test
            Action: failed
            Status: 5.1.1

            Final-Recipient: rfc822; slow@acme.test
            Action: delayed
            --r--
            """
        #expect(classify(report) == .bounce(failed: ["gone@acme.test"]))
    }

    /// The returned message's Message-ID, whether the report encloses the message (Exchange, Gmail)
    /// or only its headers (Postfix's default); none when it encloses neither.
    @Test func aBounceNamesTheMessageItReturns() {
        func returned(_ enclosure: String) -> [String] {
            let report = """
                From: MAILER-DAEMON@mx.acme.test
                Content-Type: multipart/report; report-type=delivery-status; boundary=r

                --r

                Delivery failed.
                --r
                Content-Type: message/delivery-status

                Final-Recipient: rfc822; gone@acme.test
                Action: failed
                \(enclosure)--r--
                """
            return AutomaticMail.returnedMessageIDs(MailMessage(parsing: Array(report.utf8)))
        }
        #expect(returned("--r\nContent-Type: message/rfc822\n\nFrom: desk@x.test\nMessage-ID: <accord.1@x.test>\n\nHello\n") == ["accord.1@x.test"])
        #expect(returned("--r\nContent-Type: text/rfc822-headers\n\nFrom: desk@x.test\nMessage-ID:\n <accord.2@x.test>\n") == ["accord.2@x.test"])
        #expect(returned("") == [])
    }
}
