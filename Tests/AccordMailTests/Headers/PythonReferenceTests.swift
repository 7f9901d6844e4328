import Foundation
import Testing

@testable import AccordMail

/// Header reading checked against an independent reference: Python's `email` package (policy
/// `default`) over every message of CPython's own `test_email` data, found under the machine's
/// Python install. For each message the fields' names in order, and the Subject's text (encoded
/// words decoded), agree — except where a difference is deliberate, listed below with why.
@Suite struct PythonReferenceTests {
    /// What Python reads of each message: `{file: {"names": [...], "subject": str|null}}`.
    static func reference() throws -> (directory: URL, messages: [String: [String: Any]]) {
        let script = """
            import email, email.policy, json, os, sys, test.test_email
            data = os.path.join(os.path.dirname(test.test_email.__file__), 'data')
            out = {}
            for name in sorted(os.listdir(data)):
                if not (name.startswith('msg_') and name.endswith('.txt')):
                    continue
                with open(os.path.join(data, name), 'rb') as f:
                    msg = email.message_from_bytes(f.read(), policy=email.policy.default)
                subject = msg.get('subject')
                addresses = {}
                for field in ('from', 'to', 'cc'):
                    addresses[field] = [[a.display_name, a.addr_spec] for value in (msg.get_all(field) or []) for a in value.addresses]
                out[name] = {'names': list(msg.keys()), 'subject': None if subject is None else str(subject), 'addresses': addresses}
            print(json.dumps({'data': data, 'messages': out}))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "python3 with CPython's test package must be installed")
        return (URL(fileURLWithPath: try #require(json["data"] as? String)), try #require(json["messages"] as? [String: [String: Any]]))
    }

    /// Deliberate differences, with the reason.
    static let deliberate: [String: String] = [:]

    @Test func everyTestEmailMessagesHeadersAgreeWithPython() throws {
        let (directory, messages) = try Self.reference()
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
}
