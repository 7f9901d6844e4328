import Testing

@testable import AccordMail

/// A message's HTML shown inside the desk: nothing the sender wrote runs or reaches out.
@Suite struct HTMLSanitizerTests {
    func clean(_ html: String) -> String {
        HTMLSanitizer.sanitize(html, image: { $0 == "logo@x" ? "/attachments/7" : nil }).html
    }

    @Test func scriptsHandlersStylesFramesAndFormsGo() {
        let vectors = [
            "<script>alert(1)</script>", "<SCRIPT SRC=//evil.test/x.js></SCRIPT>", "<img src=x onerror=alert(1)>",
            "<a href=\"javascript:alert(1)\">x</a>", "<a href=\" JaVaScRiPt:alert(1)\">x</a>", "<iframe src=//evil.test></iframe>",
            "<svg onload=alert(1)><script>alert(1)</script></svg>", "<style>@import 'http://evil.test/x.css';</style>",
            "<div style=\"background:url(http://evil.test/beacon)\">x</div>", "<form action=//evil.test><input name=p></form>",
            "<object data=x.swf></object><embed src=x.swf>", "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
            "<img src=\"data:image/svg+xml;base64,PHN2Zz4=\">", "<body onload=alert(1)>", "<meta http-equiv=refresh content=\"0;url=//evil.test\">",
            "<base href=//evil.test/>", "<link rel=stylesheet href=//evil.test/x.css>", "<p title=\"\\\"><script>alert(1)</script>\">x</p>",
            "<scr<script>ipt>alert(1)</script>", "<!--<script>alert(1)--><script>alert(2)</script>",
        ]
        for vector in vectors {
            let output = clean(vector).lowercased()
            for danger in ["<script", "onerror", "onload", "javascript:", "<iframe", "<svg", "<style", "style=", "<form", "<input", "<object",
                           "<embed", "data:", "<meta", "<base", "<link", "evil.test"] {
                #expect(!output.contains(danger), "\(vector) → \(output)")
            }
        }
    }

    @Test func linksAndImagesThatStay() {
        #expect(clean("<a href=\"https://x.test/a?b=1&amp;c=2\" onclick=\"x()\">go</a>")
            == "<a href=\"https://x.test/a?b=1&amp;c=2\" target=\"_blank\" rel=\"noopener noreferrer nofollow\">go</a>")
        #expect(clean("<img src=\"cid:logo@x\" alt=\"Logo\">") == "<img alt=\"Logo\" src=\"/attachments/7\">")
        #expect(clean("<img src=\"cid:unknown\">") == "", "an image the message does not hold")
        let remote = HTMLSanitizer.sanitize("<img src=\"https://tracker.test/p.gif\" width=1>", image: { _ in nil })
        #expect(remote.html == "<img width=\"1\" data-remote-src=\"https://tracker.test/p.gif\">" && remote.remoteImages == 1)
    }

    @Test func everythingOpenedIsClosedAndTextEscaped() {
        #expect(clean("<div><p><b>bold") == "<div><p><b>bold</b></p></div>")
        #expect(clean("</div></table>text</p>") == "text")
        #expect(clean("<table><tr><td>a</table>") == "<table><tr><td>a</td></tr></table>")
        #expect(clean("1 < 2 &amp; \"q\"") == "1 &lt; 2 &amp; &quot;q&quot;")
        #expect(clean("<p title='a\"b'>x</p>") == "<p title=\"a&quot;b\">x</p>")
    }
}
