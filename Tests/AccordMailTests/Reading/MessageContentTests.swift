import Foundation
import Testing

@testable import AccordMail

/// What a message says, as the desk stores it: which version is the text, the HTML kept safe, the files.
@Suite struct MessageContentTests {
    func content(_ lines: [String]) -> MessageContent {
        MessageContent(MailMessage(parsing: Array(lines.joined(separator: "\r\n").utf8)), image: { "/inline/\($0)" })
    }

    @Test func plainTextIsPreferredAndTheHTMLKeptWithItsInlineImages() {
        let parsed = content([
            "Content-Type: multipart/alternative; boundary=a", "", "--a", "Content-Type: text/plain; charset=utf-8", "", "Plain version", "",
            "--a", "Content-Type: multipart/related; boundary=r", "", "--r", "Content-Type: text/html", "",
            "<p>HTML <img src=\"cid:logo@acme\"><img src=\"https://tracker.test/p.gif\"></p>", "--r", "Content-Type: image/png",
            "Content-ID: <logo@acme>", "Content-Transfer-Encoding: base64", "", "iVBORw0KGgo=", "--r--", "--a--",
        ])
        #expect(parsed.text == "Plain version\n" && !parsed.textFromHTML)
        #expect(parsed.html?.html == "<p>HTML <img src=\"/inline/logo@acme\"><img data-remote-src=\"https://tracker.test/p.gif\"></p>")
        #expect(parsed.html?.remoteImages == 1)
        #expect(parsed.attachments.map(\.filename) == ["attachment-1.png"] && parsed.attachments[0].inline)
        #expect(parsed.attachments[0].bytes == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    }

    @Test func htmlOnlyMailBecomesText() {
        let bytes = Array("Content-Type: text/html; charset=iso-8859-1\r\n\r\n<p>Caf".utf8) + [0xE9] + Array(" is <b>closed</b></p>".utf8)
        let parsed = MessageContent(MailMessage(parsing: bytes))
        #expect(parsed.text == "Café is closed" && parsed.textFromHTML)
        #expect(parsed.html?.html == "<p>Café is <b>closed</b></p>")
    }

    @Test func filesWithDecodedNamesAndAForwardedMessage() {
        let parsed = content([
            "Content-Type: multipart/mixed; boundary=m", "", "--m", "", "See attached.", "--m",
            "Content-Type: application/pdf", "Content-Disposition: attachment; filename=\"=?UTF-8?Q?St=C3=B6rung?=.pdf\"",
            "Content-Transfer-Encoding: base64", "", "JVBERi0=", "--m",
            "Content-Type: text/plain; name=\"log.txt\"", "Content-Disposition: attachment", "", "line 1", "--m",
            "Content-Type: message/rfc822", "", "Subject: Fwd: the outage", "", "forwarded", "--m--",
        ])
        #expect(parsed.text == "See attached.")
        #expect(parsed.attachments.map(\.filename) == ["Störung.pdf", "log.txt", "Fwd_ the outage.eml"])
        #expect(parsed.attachments.map(\.contentType) == ["application/pdf", "text/plain", "message/rfc822"])
        #expect(parsed.attachments[1].bytes == Array("line 1".utf8) && !parsed.attachments[1].inline)
        #expect(String(decoding: parsed.attachments[2].bytes, as: UTF8.self) == "Subject: Fwd: the outage\r\n\r\nforwarded")
    }

    @Test func inlineTextPartsOfAMixedMessageAreJoined() {
        let parsed = content(["Content-Type: multipart/mixed; boundary=m", "", "--m", "", "First.", "--m", "Content-Disposition: inline", "", "Second.", "--m--"])
        #expect(parsed.text == "First.\n\nSecond." && parsed.attachments.isEmpty)
    }

    @Test func aDeliveryReportReadsItsHumanPart() {
        let parsed = content([
            "Content-Type: multipart/report; report-type=delivery-status; boundary=r", "", "--r", "", "Delivery failed.", "--r",
            "Content-Type: message/delivery-status", "", "Final-Recipient: rfc822; x@y.test", "", "Action: failed", "--r--",
        ])
        #expect(parsed.text == "Delivery failed.")
        #expect(parsed.attachments.map(\.contentType) == ["message/delivery-status"])
    }

    @Test func anUnknownCharsetIsSaid() {
        let parsed = content(["Content-Type: text/plain; charset=x-mystery", "", "text"])
        #expect(parsed.unknownCharset && parsed.text == "text")
    }
}
