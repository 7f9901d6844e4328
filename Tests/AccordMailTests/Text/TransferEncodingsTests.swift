import Foundation
import PropertyBased
import Testing

@testable import AccordMail

/// Quoted-printable and uuencode undone, damage tolerated; checked against Python's `binascii`.
@Suite struct TransferEncodingsTests {
    @Test func quotedPrintableAsMailCarriesIt() {
        func decode(_ text: String) -> String { String(decoding: QuotedPrintable.decode(ArraySlice(text.utf8)), as: UTF8.self) }
        #expect(decode("Caf=C3=A9 caf=c3=a9") == "Café café", "either case of hex")
        #expect(decode("one=\r\ntwo=\nthree") == "onetwothree", "soft breaks, CRLF or LF")
        #expect(decode("one= \t\ntwo") == "onetwo", "white space a transport added after '=' (RFC 2045 §6.7)")
        #expect(decode("a=ZZb =\u{1} 100%=") == "a=ZZb =\u{1} 100%", "an '=' that begins nothing stays; a last '=' is a break")
        #expect(decode("x=4") == "x=4")
        #expect(decode("a==41") == "a=41", "'==' is one '=', as binascii reads it")
        #expect(decode("a=\rb") == "ab", "a lone CR ends a soft break; the text after it stays")
    }

    /// Random bytes in quoted-printable and in uuencode, as Python's `binascii` decodes them.
    @Test func agreesWithPythonsBinascii() async throws {
        var inputs: [[UInt8]] = []
        var random = GeneratedMessagesTests.SplitMix(state: 7)
        let alphabet = Array("=0123456789ABCDEFabcdefxyz \t\r\n".utf8)
        for _ in 0..<500 {
            inputs.append((0..<Int.random(in: 0...60, using: &random)).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &random)] })
        }
        let payload = inputs.map { Data($0).base64EncodedString() }.joined(separator: "\n")
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("accord-qp-\(UUID().uuidString)")
        try Data(payload.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let python = try #require(try await PythonEmail.run("""
            import base64, binascii
            out = []
            for line in open(sys.argv[1]).read().split('\\n'):
                out.append(list(binascii.a2b_qp(base64.b64decode(line))))
            print(json.dumps(out))
            """, arguments: [url.path]) as? [[Int]])
        #expect(python.count == inputs.count)
        for (input, expected) in zip(inputs, python) {
            // Deliberate: Python keeps "= " before a line break, where RFC 2045 has the white space
            // removed; and after "=" and a lone CR it drops everything up to the next LF, where we
            // take the CR for the line end and keep the text.
            let padded = String(decoding: input, as: UTF8.self).range(of: #"=[ \t]+(\r|\n|$)|=\r(?!\n)"#, options: .regularExpression) != nil
            if !padded { #expect(QuotedPrintable.decode(ArraySlice(input)).map(Int.init) == expected, "\(String(decoding: input, as: UTF8.self).debugDescription)") }
        }
    }

    @Test func uuencodeWithItsNameAndDamage() {
        let encoded = "begin 644 hello.txt\n%:&5L;&\\`\n`\nend\n"
        let decoded = UUEncoding.decode(ArraySlice(encoded.utf8))
        #expect(decoded.bytes == Array("hello".utf8) && decoded.name == "hello.txt")
        let cut = UUEncoding.decode(ArraySlice("begin 600 x\n%:&5\n".utf8))
        #expect(cut.bytes == Array("he".utf8), "a cut line gives the bytes it holds")
        #expect(UUEncoding.decode(ArraySlice("%:&5L;&\\`\n".utf8)).bytes == Array("hello".utf8), "no begin line")
    }

    @Test func anyBytesDecodeWithoutTrapping() async {
        await propertyCheck(count: 2000, input: Gen.uint8().array(of: 0...200)) { bytes in
            _ = QuotedPrintable.decode(ArraySlice(bytes))
            _ = UUEncoding.decode(ArraySlice(bytes))
            _ = Base64Lenient.decode(bytes)
        }
    }
}
