public import Foundation

/// A password an operator hands the desk for a service it signs in to (the SMTP relay, an IMAP
/// mailbox): in a file, of which the first line counts, or an environment variable — never on a
/// command line, where anyone listing processes would read it.
public enum OperatorPassword {
    /// The first line of a password file, without its line end (LF or CR LF).
    public static func firstLine(of data: Data) -> String {
        let line = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        return line.hasSuffix("\r") ? String(line.dropLast()) : line
    }

    /// Whether `password` can be sent: one line of 1 to 1,024 characters, without NUL.
    public static func isUsable(_ password: String) -> Bool {
        !password.isEmpty && password.count <= 1024 && !password.contains { $0.isNewline || $0 == "\0" }
    }
}
