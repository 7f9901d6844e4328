import Foundation
import Testing

@testable import AccordMail

/// Reading checked against an independent reference: Python's `email` package (policy `default`)
/// over every message of CPython's own `test_email` data, found under the machine's Python
/// install. For each message the fields' names in order, the Subject's text, the From, To and Cc
/// addresses, and every part with content — type, file name, decoded size, text — agree, except
/// where a difference is deliberate, listed below with why.
@Suite struct PythonReferenceTests {
    /// What Python reads of each message: `{file: {"names": [...], "subject": str|null,
    /// "addresses": {field: [[name, address]]}, "leaves": [{type, filename, size, text}]}}`.
    static func reference() async throws -> (directory: URL, messages: [String: [String: Any]]) {
        let script = """
            import test.test_email
            data = os.path.join(os.path.dirname(test.test_email.__file__), 'data')
            out = {}
            for name in sorted(os.listdir(data)):
                if not (name.startswith('msg_') and name.endswith('.txt')):
                    continue
                msg = read(os.path.join(data, name))
                subject = msg.get('subject')
                addresses = {}
                for field in ('from', 'to', 'cc'):
                    addresses[field] = [[a.display_name, a.addr_spec] for value in (msg.get_all(field) or []) for a in value.addresses]
                parts = []
                leaves(msg, parts)
                out[name] = {'names': list(msg.keys()), 'subject': None if subject is None else str(subject), 'addresses': addresses, 'leaves': parts}
            print(json.dumps({'data': data, 'messages': out}))
            """
        let json = try #require(try await PythonEmail.run(script) as? [String: Any])
        return (URL(fileURLWithPath: try #require(json["data"] as? String)), try #require(json["messages"] as? [String: [String: Any]]))
    }

    /// Deliberate differences in headers, with the reason.
    static let deliberate: [String: String] = [:]

    /// Deliberate differences in the MIME tree, with the reason.
    static let deliberateParts: [String: String] = [
        "msg_15.txt": "its multipart/alternative reuses its parent's boundary and so has no parts of its own; Python keeps in its content the line end before the parent's next delimiter line, which RFC 2046 gives to the delimiter, as we do (an empty content, not one line end)",
    ]

    @Test func everyTestEmailMessagesHeadersAgreeWithPython() async throws {
        let (directory, messages) = try await Self.reference()
        #expect(messages.count >= 40, "CPython's test_email data has 47 messages")
        for (file, expected) in messages.sorted(by: { $0.key < $1.key }) where Self.deliberate[file] == nil {
            let bytes = try [UInt8](Data(contentsOf: directory.appendingPathComponent(file)))
            let headers = MessageHeaders(parsing: bytes)
            #expect(headers.fields.map(\.name) == expected["names"] as? [String], "\(file): field names")
            #expect(headers.text("Subject") == expected["subject"] as? String, "\(file): subject")
            let addresses = expected["addresses"] as? [String: [[String]]] ?? [:]
            for field in ["From", "To", "Cc"] {
                let ours = headers.values(field).flatMap(MailAddress.list).map { [$0.name, $0.address] }
                #expect(ours == addresses[field.lowercased()], "\(file): \(field)")
            }
        }
    }

    @Test func everyTestEmailMessagesPartsAgreeWithPython() async throws {
        let (directory, messages) = try await Self.reference()
        for (file, expected) in messages.sorted(by: { $0.key < $1.key }) where Self.deliberateParts[file] == nil {
            let bytes = try [UInt8](Data(contentsOf: directory.appendingPathComponent(file)))
            let message = MailMessage(parsing: bytes)
            let leaves = message.root.leaves
            let reference = expected["leaves"] as? [[String: Any]] ?? []
            #expect(leaves.map(\.contentType.name) == reference.map { $0["type"] as? String ?? "" }, "\(file): the leaves' types")
            for (part, python) in zip(leaves, reference) {
                #expect(part.filename == python["filename"] as? String, "\(file): a filename")
                if let size = python["size"] as? Int { #expect(part.content.count == size, "\(file): a \(part.contentType.name) part's size") }
                if let text = python["text"] as? String { #expect(part.text?.text == text, "\(file): a \(part.contentType.name) part's text") }
            }
            #expect(!message.limitsReached)
        }
    }
}
