import Testing

@testable import AccordMail

/// HTML as the text a person reads.
@Suite struct HTMLTextTests {
    @Test func blocksBreaksListsLinksAndImages() {
        let html = """
            <html><head><title>t</title><style>p { color: red }</style></head><body>
            <p>Hello&nbsp;team,</p><p>the   server
            is <b>down</b>.<br>Since 10:00.</p>
            <ul><li>one</li><li>two</li></ul>
            <p>See <a href="https://status.example/x">the status page</a> or <a href="https://status.example/">https://status.example/</a>,
            mail <a href="mailto:ops@example.test">ops@example.test</a>.</p>
            <img src="cid:logo" alt="Logo"><script>alert(1)</script>
            <table><tr><td>A</td><td>B</td></tr><tr><td>C</td><td>D</td></tr></table>
            <pre>  kept
              as is</pre>
            </body></html>
            """
        #expect(HTMLText.text(html) == """
            Hello team,

            the server is down.
            Since 10:00.

            - one
            - two

            See the status page <https://status.example/x> or https://status.example/, mail ops@example.test.

            [Logo]

            A\tB
            C\tD

              kept
              as is
            """)
    }

    @Test func blockquotesAreQuoted() {
        let html = "<div>Thanks!</div><div class=gmail_quote>On Mon, Ann wrote:<blockquote>The printer<br>is on fire</blockquote></div>"
        #expect(HTMLText.text(html) == "Thanks!\nOn Mon, Ann wrote:\n> The printer\n> is on fire")
    }

    @Test func brokenHTMLStillReads() {
        #expect(HTMLText.text("<p>a < b & c <b>bold <i>both</p> after") == "a < b & c bold both\n\nafter")
        #expect(HTMLText.text("<script>never closed") == "")
        #expect(HTMLText.text("") == "")
        #expect(HTMLText.text("<!-- a comment --> text <!-- unclosed") == "text")
    }
}
