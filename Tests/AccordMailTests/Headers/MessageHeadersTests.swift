import Testing

@testable import AccordMail

/// A message's header section: fields in order, folded lines joined, LF or CRLF, the body's start.
@Suite struct MessageHeadersTests {
    @Test(arguments: ["\r\n", "\n"]) func fieldsFoldedLinesAndTheBody(_ end: String) {
        let text = ["From nobody Mon Jan 1 00:00:00 2026", "From: Ann <ann@acme.test>", "Subject: =?utf-8?q?Caf=C3=A9?=", "\tis open",
                    "X-Empty:", "Received: from a", " by b", "", "Body line", ""].joined(separator: end)
        let headers = MessageHeaders(parsing: Array(text.utf8))
        #expect(headers.fields.map(\.name) == ["From", "Subject", "X-Empty", "Received"])
        #expect(headers.value("from") == "Ann <ann@acme.test>")
        #expect(headers.value("SUBJECT") == "=?utf-8?q?Caf=C3=A9?=\tis open", "unfolded: the break removed, the tab kept")
        #expect(headers.text("Subject") == "Café\tis open")
        #expect(headers.value("X-Empty") == "")
        #expect(headers.values("received") == ["from a by b"])
        #expect(Array(text.utf8)[headers.bodyOffset...].starts(with: Array("Body line".utf8)))
        #expect(headers.damaged.isEmpty)
    }

    @Test func aLineThatIsNoFieldStartsTheBodyAndEightBitIsUTF8() {
        let bytes = Array(" stray continuation\nSubject: caf".utf8) + [0xC3, 0xA9] + Array("\nnot a header line\nTo: b@c.test\n\nx".utf8)
        let headers = MessageHeaders(parsing: bytes)
        #expect(headers.value("subject") == "café")
        #expect(headers.value("to") == nil, "after the body started")
        #expect(Array(bytes[headers.bodyOffset...]).starts(with: Array("not a header line\n".utf8)))
        #expect(headers.damaged == [" stray continuation"])
    }

    @Test func aMessageWithoutABody() {
        let headers = MessageHeaders(parsing: Array("Subject: x".utf8))
        #expect(headers.value("Subject") == "x" && headers.bodyOffset == 10)
    }

    /// docs/email.md's worked example, as written there.
    @Test func theDocsExample() {
        let message = Array("Subject: =?UTF-8?B?5pel5g==?= =?UTF-8?B?nKw=?= 障害\r\n\r\nbody".utf8)
        let headers = MessageHeaders(parsing: message)
        #expect(headers.text("Subject") == "日本 障害")
        #expect(Array(message[headers.bodyOffset...]) == Array("body".utf8))
        #expect(Charsets.decode([0x93, 0x48, 0x69, 0x94], charset: "iso-8859-1").text == "\u{201C}Hi\u{201D}")
    }
}
