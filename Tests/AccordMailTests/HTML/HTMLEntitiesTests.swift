import Foundation
import Testing

@testable import AccordMail

/// Character references read as the HTML standard reads them, checked against Python's `html.unescape`.
@Suite struct HTMLEntitiesTests {
    @Test func namedNumericAndLegacyReferences() {
        #expect(HTMLEntities.decode("Caf&eacute; &amp; &#233;&#xE9;&#Xe9 &copy2026 &notit; &unknown; &#128; &#0; &#xD800; &") ==
            "Café & ééé ©2026 ¬it; &unknown; € \u{FFFD} \u{FFFD} &")
    }

    @Test func agreesWithPythonsUnescape() async throws {
        var random = GeneratedMessagesTests.SplitMix(state: 11)
        let pieces = ["&", "amp", ";", "#", "x", "X", "1", "9", "0", "e9", "D800", "80", "eacute", "not", "it", "copy", "lt", "gt", " ", "a", "&&", "#x110000", "quot", "nbsp", "NotEqualTilde", "fjlig"]
        var inputs: [String] = []
        for _ in 0..<3000 {
            inputs.append((0..<Int.random(in: 0...12, using: &random)).map { _ in pieces[Int.random(in: 0..<pieces.count, using: &random)] }.joined())
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("accord-entities-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: inputs).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let python = try #require(try await PythonEmail.run("""
            import html
            print(json.dumps([html.unescape(s) for s in json.load(open(sys.argv[1]))]))
            """, arguments: [url.path]) as? [String])
        #expect(python.count == inputs.count)
        for (input, expected) in zip(inputs, python) {
            #expect(HTMLEntities.decode(input) == expected, "\(input)")
        }
    }
}
