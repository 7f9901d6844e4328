import Testing

@testable import AccordMail

/// docs/email.md's worked example of reading a message, as written there.
@Suite struct DocsExampleTests {
    @Test func aPLMCustomersAnswer() {
        let text = """
            From: Ola Nordmann <ola@fjord.demo>
            To: support@plmgroup.no
            Subject: =?utf-8?q?Re=3A_Tegning_=C3=A5pner_ikke?=
            Content-Type: multipart/alternative; boundary=b

            --b
            Content-Type: text/plain; charset=utf-8

            Still broken.

            On Tue, 3 Mar 2026 at 10:00, PLM Support <support@plmgroup.no> wrote:
            > Please reinstall.
            --b
            Content-Type: text/html; charset=utf-8

            <p onclick="x()">Still broken.</p><img src="https://tracker.example/p.gif">
            --b--
            """
        let message = MailMessage(parsing: Array(text.utf8))
        #expect(message.headers.text("Subject") == "Re: Tegning åpner ikke")
        #expect(SubjectLine.stripped(message.headers.text("Subject")!) == "Tegning åpner ikke")
        #expect(message.root.leaves.map(\.contentType.name) == ["text/plain", "text/html"])
        let content = MessageContent(message)
        #expect(content.reply.written == "Still broken.")
        #expect(content.html?.html == "<p>Still broken.</p><img data-remote-src=\"https://tracker.example/p.gif\">")
        #expect(content.html?.remoteImages == 1)
    }
}
