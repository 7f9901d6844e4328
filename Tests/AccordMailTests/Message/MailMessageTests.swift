import Foundation
import Testing

@testable import AccordMail

/// A message's MIME tree: each kind of multipart, enclosed messages, damage, and hostile sizes.
@Suite struct MailMessageTests {
    func message(_ lines: [String], end: String = "\n") -> MailMessage {
        MailMessage(parsing: Array(lines.joined(separator: end).utf8))
    }

    @Test(arguments: ["\n", "\r\n"]) func nestedAlternativeInsideMixedWithAnAttachment(_ end: String) {
        let parsed = message([
            "Subject: nested", "Content-Type: multipart/mixed; boundary=outer", "", "preamble",
            "--outer", "Content-Type: multipart/alternative; boundary=\"inner\"", "",
            "--inner", "Content-Type: text/plain; charset=iso-8859-1", "Content-Transfer-Encoding: quoted-printable", "", "Caf=E9", "",
            "--inner", "Content-Type: text/html", "", "<p>Café</p>",
            "--inner--",
            "--outer", "Content-Type: application/pdf; name=\"x.pdf\"", "Content-Disposition: attachment; filename=\"report.pdf\"",
            "Content-Transfer-Encoding: base64", "", "JVBERi0=",
            "--outer--", "epilogue", "",
        ], end: end)
        let leaves = parsed.root.leaves
        #expect(leaves.map(\.contentType.name) == ["text/plain", "text/html", "application/pdf"])
        #expect(leaves[0].text?.text == "Café" + end, "the blank line before the delimiter is the part's")
        #expect(leaves[1].text?.text == "<p>Café</p>")
        #expect(leaves[2].filename == "report.pdf" && leaves[2].content == Array("%PDF-".utf8))
        #expect(parsed.headers.text("Subject") == "nested")
        guard case .parts(let outer) = parsed.root.body, case .parts(let inner) = outer[0].body else {
            Issue.record("multipart/mixed holding multipart/alternative")
            return
        }
        #expect(outer.count == 2 && inner.count == 2)
    }

    @Test func aMissingClosingBoundaryEndsTheLastPartAtTheEnd() {
        let parsed = message(["Content-Type: multipart/mixed; boundary=b", "", "--b", "", "one", "--b", "", "two, cut off"])
        #expect(parsed.root.leaves.map { $0.text?.text } == ["one", "two, cut off"])
    }

    @Test func aBoundaryThatNeverComesLeavesTheBodyAsText() {
        let parsed = message(["Content-Type: multipart/mixed; boundary=never", "", "Just text.", ""])
        #expect(parsed.root.leaves.count == 1)
        #expect(parsed.root.leaves[0].text?.text == "Just text.\n")
        let noBoundary = message(["Content-Type: multipart/alternative", "", "Blah", ""])
        #expect(noBoundary.root.leaves[0].text?.text == "Blah\n")
    }

    @Test func aDelimiterNeedsItsWholeLine() {
        let parsed = message(["Content-Type: multipart/mixed; boundary=b", "", "--b", "", "--bx is text", "--b trailing words are text too", "--b--"])
        #expect(parsed.root.leaves.map { $0.text?.text } == ["--bx is text\n--b trailing words are text too"])
    }

    @Test func aDigestsPartsAreMessages() {
        let parsed = message([
            "Content-Type: multipart/digest; boundary=d", "", "--d", "", "Subject: first", "", "one", "--d",
            "Content-Type: text/plain", "", "not a message", "--d--",
        ])
        guard case .parts(let parts) = parsed.root.body, case .message(let first) = parts[0].body else {
            Issue.record("a digest's part is a message")
            return
        }
        #expect(parts[0].contentType.name == "message/rfc822")
        #expect(first.headers.text("Subject") == "first" && first.text?.text == "one")
        #expect(parts[1].contentType.name == "text/plain")
    }

    @Test func anEnclosedMessageEvenWhenEncoded() {
        let inner = "Subject: inner\nContent-Type: text/plain\n\nforwarded text\n"
        let parsed = message([
            "Content-Type: multipart/mixed; boundary=m", "", "--m", "", "see below", "--m", "Content-Type: message/rfc822",
            "Content-Transfer-Encoding: base64", "", Data(inner.utf8).base64EncodedString(), "--m--",
        ])
        guard case .parts(let parts) = parsed.root.body, case .message(let enclosed) = parts[1].body else {
            Issue.record("an enclosed message")
            return
        }
        #expect(enclosed.headers.text("Subject") == "inner")
        #expect(parsed.root.leaves.map { $0.text?.text } == ["see below", "forwarded text\n"])
    }

    @Test func aPartWithoutHeadersOrTheEmptyLine() {
        let parsed = message(["Content-Type: multipart/mixed; boundary=b", "", "--b", "Just text at once", "--b", "Content-Type: text/html", "<p>no empty line</p>", "--b--"])
        #expect(parsed.root.leaves.map { $0.text?.text } == ["Just text at once", "<p>no empty line</p>"])
        #expect(parsed.root.leaves.map(\.contentType.name) == ["text/plain", "text/html"])
    }

    @Test func aMalformedTypeIsReadAsText() {
        #expect(message(["Content-Type: garbage", "", "x"]).root.contentType.name == "text/plain")
        #expect(message(["Content-Type: a/b/c", "", "x"]).root.contentType.name == "text/plain")
        #expect(message(["", "x"]).root.contentType.name == "text/plain")
    }

    /// A mail bomb of 10,000 parts: the first 1,000 read, the rest left in the raw message, and said.
    @Test func aMailBombOfTenThousandPartsIsReadToTheLimit() {
        var lines = ["Content-Type: multipart/mixed; boundary=x", ""]
        for index in 0..<10_000 { lines += ["--x", "", "part \(index)"] }
        lines.append("--x--")
        let parsed = message(lines)
        #expect(parsed.limitsReached)
        #expect(parsed.root.leaves.count == MailMessage.Limits.standard.parts - 1)
        #expect(parsed.root.leaves.first?.text?.text == "part 0")
    }

    /// Nesting 10,000 deep neither overflows the stack nor reads past the depth limit.
    @Test func aNestingBombStopsAtTheDepthLimit() {
        var text = ""
        for level in 0..<10_000 { text += "Content-Type: multipart/mixed; boundary=l\(level)\n\n--l\(level)\n" }
        text += "\ndeep\n"
        let parsed = MailMessage(parsing: Array(text.utf8))
        #expect(parsed.limitsReached)
        #expect(parsed.root.leaves.count == 1)
        var depth = 0
        var part = parsed.root
        while case .parts(let parts) = part.body, let first = parts.first {
            depth += 1
            part = first
        }
        #expect(depth == MailMessage.Limits.standard.depth - 1)
    }

    @Test func eightBitHeadersAndAnUnknownCharsetAreKept() {
        let bytes = Array("Subject: Gr".utf8) + [0xC3, 0xBC] + Array("\u{DF}e\nContent-Type: text/plain; charset=x-unheard-of\n\nHallo ".utf8) + [0xE4]
        let parsed = MailMessage(parsing: bytes)
        #expect(parsed.headers.text("Subject") == "Grüße")
        let text = parsed.root.text
        #expect(text?.known == false && text?.text == "Hallo ä", "read as Windows-1252, marked unknown")
    }
}
