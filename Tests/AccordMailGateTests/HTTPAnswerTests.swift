@testable import AccordMailGate
import AccordTestSupport
import Foundation
import PropertyBased
import Testing

/// The desk's answer as the gateway reads it off the socket, and the one JSON field it needs.
struct HTTPAnswerTests {
    func parse(_ text: String) throws(GateFailure) -> DeskReply {
        try HTTPAnswer.parse(Array(text.utf8))
    }

    @Test func aBodyByLengthChunkedOrToTheEnd() throws {
        #expect(try parse("HTTP/1.1 202 Accepted\r\ncontent-length: 2\r\n\r\n{}extra") == DeskReply(status: 202, body: Array("{}".utf8)))
        #expect(try parse("HTTP/1.1 500 Internal Server Error\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n")
                == DeskReply(status: 500, body: Array("Wikipedia".utf8)))
        #expect(try parse("HTTP/1.0 401 Unauthorized\r\nConnection: close\r\n\r\nno") == DeskReply(status: 401, body: Array("no".utf8)))
    }

    @Test(arguments: ["", "HTTP/1.1 202 Accepted\r\ncontent-length: 9\r\n", "HTTP/1.1 202 Accepted\r\ncontent-length: 9\r\n\r\n{}",
                      "SSH-2.0-OpenSSH\r\n\r\n", "HTTP/1.1 2000 OK\r\n\r\n", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n9\r\nabc"])
    func aBrokenAnswerIsAFailure(answer: String) {
        #expect(throws: GateFailure.self) { try parse(answer) }
    }

    /// Against Foundation's JSON encoder as the reference: any text, escaped as it escapes it, reads back.
    @Test func aJSONStringReadsBackAsFoundationWroteIt() async {
        await propertyCheck(count: 500, input: Gen.int(in: 0...1_000_000_000)) { seed in
            var generator = SplitMix64(state: UInt64(seed))
            let alphabet: [Character] = ["a", "\"", "\\", "/", "\n", "\t", "\u{01}", "\u{7F}", "é", "\u{2019}", "😀", "中", " ", ":"]
            let text = String((0..<Int(generator.next() % 40)).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
            let encoded = try! JSONEncoder().encode(["title": "x", "detail": text])
            #expect(JSONField.string("detail", in: Array(encoded)) == text)
        }
        // \u escapes, surrogate pairs included, as other encoders write them.
        #expect(JSONField.string("detail", in: Array(#"{"detail" : "caf\u00e9 \ud83d\ude00 \u2019"}"#.utf8)) == "café 😀 \u{2019}")
        #expect(JSONField.string("detail", in: Array(#"{"detail":5,"x":"detail"}"#.utf8)) == nil)
        #expect(JSONField.string("detail", in: Array(#"{"detail":"unterminated"#.utf8)) == nil)
    }
}
