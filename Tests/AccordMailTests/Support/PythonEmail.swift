import AccordTestSupport
import Foundation
import Testing

/// Python's `email` package (policy `default`), run as an independent reference: a script is given
/// a directory and prints JSON.
enum PythonEmail {
    /// A Python function `leaves(part, out)`: a message's parts with content as Python's `walk`
    /// reaches them (a delivery status is one leaf, as in `MailMessage`), each as `{type, filename,
    /// size, text}` — `size` the transfer-decoded bytes, `text` what `get_content()` reads.
    static let leavesFunction = """
        import email, email.policy, json, os, sys
        def leaves(part, out):
            kind = part.get_content_type()
            if part.is_multipart() and kind != 'message/delivery-status':
                for sub in part.get_payload():
                    leaves(sub, out)
                return
            payload = part.get_payload(decode=True)
            text = None
            if part.get_content_maintype() == 'text':
                try:
                    text = part.get_content()
                except LookupError:
                    pass
            out.append({'type': kind, 'filename': part.get_filename(), 'size': None if payload is None else len(payload), 'text': text})
        def read(path):
            with open(path, 'rb') as f:
                return email.message_from_bytes(f.read(), policy=email.policy.default)

        """

    /// Runs `script` (after `leavesFunction`) with `arguments` and reads what it prints as JSON.
    static func run(_ script: String, arguments: [String] = []) async throws -> Any {
        let python = try await ChildProcess.run(command: "python3", ["-c", leavesFunction + script] + arguments)
        #expect(python.status == 0, "python3 with CPython's test package must be installed: \(python.errors.suffix(2000))")
        return try JSONSerialization.jsonObject(with: python.output)
    }
}
