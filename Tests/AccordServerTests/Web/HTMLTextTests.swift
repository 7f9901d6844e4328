import LeafKit
import PropertyBased
import Testing

@testable import AccordServer

/// The queue's rows are escaped by `HTMLText`, not by Leaf: it must escape exactly as Leaf does
/// (Leaf's own `htmlEscaped`, the reference), for any text — markup, quotes, accents, emoji.
@Suite struct HTMLTextTests {
    @Test func escapesAsLeafDoes() async {
        let characters = Gen.character(in: Character(UnicodeScalar(0x20))...Character(UnicodeScalar(0x7E)))
        await propertyCheck(count: 3000, input: characters.string(of: 0...60), Gen.character(in: "\u{00A0}"..."\u{D7FF}").string(of: 0...8)) { ascii, wide in
            let text = ascii + wide + "🙂" + ascii
            #expect(HTMLText.escape(text) == text.htmlEscaped(), "\(text)")
        }
    }

    @Test func markupBecomesText() {
        #expect(HTMLText.escape(#"<script>alert("x")</script> & 'y'"#) == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;")
        #expect(HTMLText.escape("Ærø 🙂") == "Ærø 🙂")
    }
}
