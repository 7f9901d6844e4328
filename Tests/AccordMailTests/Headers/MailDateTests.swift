import Foundation
import Testing

@testable import AccordMail

/// RFC 5322 dates, obsolete forms included, read as Python's `email.utils.parsedate_tz` reads them.
@Suite struct MailDateTests {
    @Test func currentAndObsoleteForms() {
        let march3 = Int64(1_772_528_400)   // 2026-03-03 09:00:00 UTC
        #expect(MailDate(parsing: "Tue, 3 Mar 2026 10:00:00 +0100") == MailDate(seconds: march3, offsetMinutes: 60))
        #expect(MailDate(parsing: "3 Mar 2026 10:00 +0100")?.seconds == march3, "no weekday, no seconds")
        #expect(MailDate(parsing: "Tue,  3 Mar 26 04:00:00 EST (Eastern)")?.seconds == march3, "two-digit year, zone name, comment")
        #expect(MailDate(parsing: "Tue, 3 Mar 2026 09:00:00 GMT")?.seconds == march3)
        #expect(MailDate(parsing: "Tuesday, Mar 3 2026 09:00:00 Z")?.seconds == march3)
        #expect(MailDate(parsing: "Tue, 3 Mar 2026 09:00:00 A")?.offsetMinutes == 0, "military zones read as UTC (RFC 5322 §4.3)")
        for bad in ["", "yesterday", "Tue, 31 Foo 2026 10:00:00 +0100", "Tue, 3 Mar 2026 25:00:00 +0100", "3 Mar 2026", "3 Mar 99999 10:00 +0000",
                    "3 Mar 2026 10:00 +0199", "32 Mar 2026 10:00 +0000"] {
            #expect(MailDate(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test func writtenInRFC5322Form() {
        #expect(MailDate(seconds: 1_772_528_400, offsetMinutes: 60).text == "Tue, 03 Mar 2026 10:00:00 +0100")
        #expect(MailDate(seconds: 0, offsetMinutes: -330).text == "Wed, 31 Dec 1969 18:30:00 -0530")
        #expect(MailDate(parsing: MailDate(seconds: 4_102_444_799, offsetMinutes: 0).text)?.seconds == 4_102_444_799)
    }

    /// Every Date of CPython's test_email messages and generated dates in many forms, against Python.
    @Test func agreesWithPython() async throws {
        var random = GeneratedMessagesTests.SplitMix(state: 5)
        var inputs: [String] = []
        let zones = ["+0000", "-0800", "+0530", "GMT", "EST", "PDT", "UT", "(CET)", ""]
        for _ in 0..<1000 {
            let seconds = Int64.random(in: 0...4_102_444_799, using: &random)
            let offset = [0, 60, -480, 330, -300][Int.random(in: 0..<5, using: &random)]
            var text = MailDate(seconds: seconds, offsetMinutes: offset).text
            if Bool.random(using: &random) { text = String(text.dropFirst(5)) }   // no weekday
            if Bool.random(using: &random) {
                var words = text.split(separator: " ").map(String.init)
                words[words.count - 1] = zones[Int.random(in: 0..<zones.count, using: &random)]
                text = words.joined(separator: " ")
            }
            inputs.append(text)
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("accord-dates-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: inputs).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let python = try #require(try await PythonEmail.run("""
            import email.utils, test.test_email
            data = os.path.join(os.path.dirname(test.test_email.__file__), 'data')
            inputs = json.load(open(sys.argv[1]))
            for name in sorted(os.listdir(data)):
                if name.startswith('msg_'):
                    with open(os.path.join(data, name), 'rb') as f:
                        m = email.message_from_bytes(f.read())
                    inputs += [str(v) for v in m.get_all('date') or []]
            out = []
            for text in inputs:
                parsed = email.utils.parsedate_tz(text)
                out.append([text, None if parsed is None else email.utils.mktime_tz(parsed), None if parsed is None else (parsed[9] or 0) // 60])
            print(json.dumps(out))
            """, arguments: [url.path]) as? [[Any]])
        #expect(python.count > inputs.count, "the test_email dates too")
        for row in python {
            let text = try #require(row[0] as? String)
            let ours = MailDate(parsing: text)
            #expect(ours?.seconds == (row[1] as? Int).map(Int64.init), "\(text)")
            if let offset = row[2] as? Int { #expect(ours?.offsetMinutes == offset, "\(text)") }
        }
    }
}
