/// What `accord mailgate` (and `accord-mailgate`) is told by the mail server's command line and
/// environment. Parsed by hand: the gateway links nothing but the standard library, so that a
/// process per message starts in about a millisecond.
public struct GateOptions: Sendable, Equatable {
    public var url: DeskURL
    public var token: String
    /// The envelope recipient, as given or read from the field `--recipient-header` names.
    public var recipient: String?
    public var recipientHeader: RecipientHeader?
    /// Seconds to wait for the desk, 1 to 3600.
    public var timeout: Int

    /// The fields a mail server may write the envelope recipient into (Postfix's pipe flags D and
    /// O, fetchmail). The desk itself never reads them: a sender can write them too.
    public enum RecipientHeader: String, Sendable, CaseIterable {
        case deliveredTo = "Delivered-To"
        case originalTo = "X-Original-To"
    }

    /// The options in `arguments`, with `environment` for what they leave out and `readFile` for
    /// `--token-file`; nil when help was asked for.
    public static func parse(
        _ arguments: [String], environment: [String: String], readFile: (String) -> String?
    ) throws(GateFailure) -> GateOptions? {
        var values: [String: String] = [:]
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--help" || argument == "-h" { return nil }
            let name: String, inline: String?
            if let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inline = String(argument[argument.index(after: equals)...])
            } else {
                name = argument
                inline = nil
            }
            guard Self.names.contains(name) else {
                throw GateFailure("unknown option '\(argument)'; the options are \(Self.names.joined(separator: ", "))")
            }
            guard values[name] == nil else { throw GateFailure("\(name) is given twice") }
            if let inline {
                values[name] = inline
            } else {
                guard index < arguments.count, !arguments[index].hasPrefix("--") else { throw GateFailure("\(name) needs a value") }
                values[name] = arguments[index]
                index += 1
            }
        }
        let urlText = values["--url"] ?? environment["ACCORD_URL"] ?? "http://127.0.0.1:8080"
        guard let url = DeskURL(urlText) else { throw GateFailure("--url must be the desk's http(s) URL; got '\(urlText.prefix(200))'") }
        var timeout = 60
        if let text = values["--timeout"] {
            guard let seconds = Int(text), (1...3600).contains(seconds) else {
                throw GateFailure("--timeout must be 1 to 3600 seconds, not '\(text.prefix(20))'")
            }
            timeout = seconds
        }
        var recipientHeader: RecipientHeader?
        if let text = values["--recipient-header"] {
            guard let field = RecipientHeader.allCases.first(where: { $0.rawValue.lowercased() == text.lowercased() }) else {
                throw GateFailure("--recipient-header must be Delivered-To or X-Original-To, not '\(text.prefix(60))'")
            }
            recipientHeader = field
        }
        let token: String
        if let file = values["--token-file"] {
            guard let text = readFile(file)?.trimmingWhitespace(), !text.isEmpty else {
                throw GateFailure("--token-file '\(file)' cannot be read or is empty")
            }
            token = text
        } else if let text = environment["ACCORD_MAILGATE_TOKEN"]?.trimmingWhitespace(), !text.isEmpty {
            token = text
        } else {
            throw GateFailure("give a mail-gateway token: --token-file FILE, or ACCORD_MAILGATE_TOKEN")
        }
        guard token.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw GateFailure("the mail-gateway token holds characters no token has (one line of printable ASCII)")
        }
        let recipient = values["--recipient"].flatMap { $0.isEmpty ? nil : $0 }
        if let recipient, !recipient.utf8.allSatisfy({ $0 > 0x20 && $0 != 0x7F }) {
            throw GateFailure("--recipient '\(recipient.prefix(100))' is not an address")
        }
        return GateOptions(url: url, token: token, recipient: recipient, recipientHeader: recipientHeader, timeout: timeout)
    }

    static let names = ["--url", "--token-file", "--recipient", "--recipient-header", "--timeout"]

    /// What `--help` prints.
    public static func help(command: String) -> String {
        """
        OVERVIEW: Deliver one message from standard input to the desk (for a mail server's pipe transport).

        Exit status: 0 when the desk stored the message; 75 (try again later) otherwise.
        Postfix master.cf:
          accord unix - n n - - pipe flags=Rq user=accord argv=/usr/local/bin/\(command) --url http://127.0.0.1:8080 --token-file /etc/accord/mailgate.token --recipient ${original_recipient}

        USAGE: \(command) [--url <url>] [--token-file <token-file>] [--recipient <recipient>] [--recipient-header <field>] [--timeout <seconds>]

        OPTIONS:
          --url <url>             The desk's URL (or ACCORD_URL; default http://127.0.0.1:8080).
          --token-file <token-file>
                                  A file holding a mail-gateway token (or ACCORD_MAILGATE_TOKEN); make one with
                                  'accord mail gateway-token create'.
          --recipient <recipient> The envelope recipient the mail server delivered to (Postfix: ${original_recipient}).
          --recipient-header <field>
                                  Without --recipient, read the envelope recipient from the topmost Delivered-To or
                                  X-Original-To field, which your own mail server must add.
          --timeout <seconds>     Seconds to wait for the desk (1 to 3600). (default: 60)
          -h, --help              Show help information.

        """
    }
}
