import Foundation
import PropertyBased
import Testing

@testable import AccordServer

/// The desk's check of an email address agrees with the regular expression it replaced, on
/// generated text of the characters that matter — but for one deliberate difference: that
/// expression's `$` also matched before a final line break, so "a@b\n" passed, and a line break in
/// an address could have reached a mail header; the check refuses it, as the expression does with
/// `\z` (the very end), which it is compared against.
@Suite struct EmailAddressCheckTests {
    static let pattern = "^[^@\\s\\p{Cc}]+@[^@\\s\\p{Cc}.]+(\\.[^@\\s\\p{Cc}.]+)*\\z"

    @Test func examples() {
        for good in ["a@b", "ann@acme.example", "Ann.Berg+x@mail.acme.example", "ü@ü.de", "a@b.c.d"] { #expect(CaseService.isEmail(good), "\(good)") }
        for bad in ["", "@b", "a@", "a@@b", "a@b@c", "a b@c", "a@b.", "a@.b", "a@b..c", "a\u{7}@b", "a@b\u{A0}c", "a@b\n"] {
            #expect(!CaseService.isEmail(bad), "\(bad.debugDescription)")
        }
    }

    @Test func agreesWithTheRegularExpression() async {
        let pieces = ["a", "B", "@", ".", " ", "\t", "\u{7}", "\u{A0}", "\u{2003}", "ü", "\n", "-", "+", "_", "1", "😀", "\u{85}"]
        await propertyCheck(count: 5000, input: Gen.int(in: 0...(pieces.count - 1)).array(of: 0...12)) { picks in
            let text = picks.map { pieces[$0] }.joined()
            #expect(CaseService.isEmail(text) == (text.range(of: Self.pattern, options: .regularExpression) != nil), "\(text.debugDescription)")
        }
    }
}
