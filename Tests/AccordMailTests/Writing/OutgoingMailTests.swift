import Foundation
import Testing

@testable import AccordMail

/// The desk's own mail, written out and read back by Python's `email` (an independent reader) and
/// by `MailMessage`: every header, address and text arrives as written.
@Suite struct OutgoingMailTests {
    static func sample(_ seed: Int, random: inout GeneratedMessagesTests.SplitMix) -> OutgoingMail {
        let words = ["Störung", "сервер", "故障", "réponse", "line", "=", "=?utf-8?q?x?=", "--", ".", "From ", "end", " ", "\t", "ok.", "\"q\"", "a,b", "😀"]
        func text(_ count: ClosedRange<Int>, breaks: Bool) -> String {
            (0..<Int.random(in: count, using: &random)).map { _ in
                words[Int.random(in: 0..<words.count, using: &random)] + (breaks && Int.random(in: 0..<5, using: &random) == 0 ? "\n" : " ")
            }.joined()
        }
        var mail = OutgoingMail(
            from: MailAddress(name: "PLM Support \(text(0...2, breaks: false))", address: "support@plmgroup.dk"),
            to: [MailAddress(name: text(0...3, breaks: false).trimmingCharacters(in: .whitespaces), address: "anna\(seed)@mail.test")],
            subject: "[PLM-2026-\(String(format: "%06d", seed))] " + text(0...30, breaks: false), date: MailDate(seconds: 1_772_528_400 + Int64(seed) * 3600, offsetMinutes: 60),
            messageID: "accord.\(seed)@desk.test", text: text(0...300, breaks: true) + (seed % 3 == 0 ? String(repeating: "x", count: 200) : ""))
        if seed % 2 == 0 { mail.html = "<p>" + text(0...50, breaks: true) + "</p>" }
        if seed % 3 == 0 { mail.cc = [MailAddress(name: "", address: "carl@mail.test"), MailAddress(name: "O'Brien, Pat", address: "pat@mail.test")] }
        mail.replyTo = MailAddress(name: "", address: "support@plmgroup.dk")
        mail.inReplyTo = "first\(seed)@mail.test"
        mail.references = ["first\(seed)@mail.test"]
        mail.autoSubmitted = seed % 2 == 0 ? "auto-replied" : nil
        return mail
    }

    @Test func pythonReadsWhatWasWritten() async throws {
        var random = GeneratedMessagesTests.SplitMix(state: 3)
        let mails = (0..<200).map { Self.sample($0, random: &random) }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("accord-outgoing-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (index, mail) in mails.enumerated() { try Data(mail.bytes).write(to: directory.appendingPathComponent("\(index).eml")) }
        let python = try #require(try await PythonEmail.run("""
            out = {}
            for name in os.listdir(sys.argv[1]):
                msg = read(os.path.join(sys.argv[1], name))
                addresses = lambda field: [[a.display_name, a.addr_spec] for v in (msg.get_all(field) or []) for a in v.addresses]
                plain = msg.get_body(('plain',))
                html = msg.get_body(('html',))
                out[name] = {'subject': str(msg['subject']), 'from': addresses('from'), 'to': addresses('to'), 'cc': addresses('cc'),
                             'reply-to': addresses('reply-to'), 'message-id': str(msg['message-id']), 'in-reply-to': str(msg['in-reply-to']),
                             'auto-submitted': None if msg['auto-submitted'] is None else str(msg['auto-submitted']),
                             'text': plain.get_content(), 'html': None if html is None else html.get_content(),
                             'defects': len(msg.defects) + sum(len(p.defects) for p in msg.walk())}
            print(json.dumps(out))
            """, arguments: [directory.path]) as? [String: [String: Any]])
        for (index, mail) in mails.enumerated() {
            let read = try #require(python["\(index).eml"])
            func crlf(_ text: String) -> String { text.replacingOccurrences(of: "\r\n", with: "\n") }
            #expect(read["subject"] as? String == mail.subject.trimmingCharacters(in: .whitespaces), "\(index): subject")
            let name = OutgoingMail.displayName
            #expect(read["from"] as? [[String]] == [[name(mail.from.name), mail.from.address]], "\(index): from")
            #expect(read["to"] as? [[String]] == mail.to.map { [name($0.name), $0.address] }, "\(index): to")
            #expect(read["cc"] as? [[String]] == mail.cc.map { [name($0.name), $0.address] }, "\(index): cc")
            #expect(read["reply-to"] as? [[String]] == [["", "support@plmgroup.dk"]])
            #expect(read["message-id"] as? String == "<\(mail.messageID)>" && read["in-reply-to"] as? String == "<first\(index)@mail.test>")
            #expect(read["auto-submitted"] as? String == mail.autoSubmitted)
            #expect((read["text"] as? String).map(crlf) == crlf(mail.bodyText), "\(index): text")
            #expect((read["html"] as? String).map(crlf) == mail.bodyHTML.map(crlf), "\(index): html")
            #expect(read["defects"] as? Int == 0, "\(index): Python found defects")
        }
    }

    @Test func ourReaderReadsItBackAndLinesStayShort() {
        var random = GeneratedMessagesTests.SplitMix(state: 4)
        for seed in 0..<200 {
            let mail = Self.sample(seed, random: &random)
            let rendered = mail.rendered
            let lines = rendered.components(separatedBy: "\r\n")
            #expect(lines.allSatisfy { $0.utf8.count <= 998 }, "RFC 5322's limit")
            let body = lines.drop { !$0.isEmpty }
            #expect(body.allSatisfy { $0.utf8.count <= 76 }, "\(seed): quoted-printable lines")
            #expect(body.allSatisfy { $0.utf8.allSatisfy { $0 < 0x80 } }, "7-bit on the wire")
            let read = MailMessage(parsing: mail.bytes)
            #expect(read.headers.text("Subject") == mail.subject.trimmingCharacters(in: .whitespaces))
            #expect(read.headers.values("To").flatMap(MailAddress.list) == mail.to.map { MailAddress(name: OutgoingMail.displayName($0.name), address: $0.address) })
            let content = MessageContent(read)
            #expect(content.text.replacingOccurrences(of: "\r\n", with: "\n") == mail.bodyText.replacingOccurrences(of: "\r\n", with: "\n"), "\(seed)")
        }
    }

    @Test func signedMessageIDsThreadOnlyWhenTheDeskSignedThem() {
        let key = Array("desk secret".utf8)
        let mac: @Sendable ([UInt8]) -> [UInt8] = { bytes in
            // A stand-in keyed hash for the test (the desk passes HMAC-SHA256).
            var hash = OutgoingMail.hash(String(decoding: key + bytes, as: UTF8.self))
            return (0..<32).map { _ in hash = hash &* 6_364_136_223_846_793_005 &+ 1; return UInt8(truncatingIfNeeded: hash >> 33) }
        }
        let signer = SignedMessageID(domain: "desk.test", mac: mac)
        let caseID = "0123456789abcdef0123456789abcdef"
        let id = signer.make(caseID: caseID, unique: "d1")
        #expect(id.hasPrefix("accord.\(caseID).d1.") && id.hasSuffix("@desk.test"))
        #expect(signer.caseID(of: id) == caseID)
        let other = SignedMessageID(domain: "desk.test", mac: { mac([0] + $0) })
        #expect(other.caseID(of: id) == nil, "another desk's secret")
        let tampered = id.replacingOccurrences(of: caseID, with: "f123456789abcdef0123456789abcdef")
        #expect(signer.caseID(of: tampered) == nil)
        for made in ["accord.\(caseID).d1.000000000000000000000000@desk.test", "accord.x.d1.y@desk.test", "plain@desk.test", "", "accord....@"] {
            #expect(signer.caseID(of: made) == nil, "\(made)")
        }
    }
}
