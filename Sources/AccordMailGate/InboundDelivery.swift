/// Turns a message and the options into the desk's `POST /api/v1/mail/inbound`, and its answer
/// into the gateway's result.
struct InboundDelivery {
    let options: GateOptions
    let message: [UInt8]

    /// The request: the message as it came, the envelope recipient, and when the desk's own mail
    /// server accepted it (the date of the topmost `Received`, which that server wrote; the desk
    /// reads it).
    func exchange() throws(GateFailure) -> DeskExchange {
        guard !message.isEmpty else { throw GateFailure("standard input held no message") }
        let headers = HeaderSection(of: message)
        var fields: [(name: String, value: String)] = [
            ("Authorization", "Bearer \(options.token)"),
            ("Content-Type", "message/rfc822"),
            ("User-Agent", "accord-mailgate/1"),
        ]
        if let recipient = options.recipient ?? options.recipientHeader.flatMap({ headers.first($0.rawValue) }).flatMap(Self.address) {
            fields.append(("Accord-Envelope-Recipient", recipient))
        }
        if let received = headers.first("Received"), let semicolon = received.lastIndex(of: ";") {
            let date = received[received.index(after: semicolon)...].trimmingWhitespace()
            if !date.isEmpty, date.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) { fields.append(("Accord-Accepted-At", date)) }
        }
        return DeskExchange(url: options.url, path: options.url.path + "/api/v1/mail/inbound", fields: fields, body: message, timeout: options.timeout)
    }

    /// The address in a Delivered-To or X-Original-To value: within angle brackets when there are
    /// any, else the value without a trailing comment; nil when that is no single printable word.
    static func address(_ value: String) -> String? {
        var text = Substring(value)
        if let open = text.firstIndex(of: "<"), let close = text[open...].firstIndex(of: ">") {
            text = text[text.index(after: open)..<close]
        } else if let comment = text.firstIndex(of: "(") {
            text = text[..<comment]
        }
        let address = text.trimmingWhitespace()
        guard !address.isEmpty, address.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F || $0 >= 0x80 }) else { return nil }
        return address
    }

    /// The desk's 202 body, printed for the mail server's log; any other answer is a failure with
    /// the desk's own words (a problem's `detail`).
    static func result(of reply: DeskReply) throws(GateFailure) -> String {
        let text = String(decoding: reply.body, as: UTF8.self)
        guard reply.status == 202 else {
            let detail = JSONField.string("detail", in: reply.body) ?? String(text.prefix(300))
            throw GateFailure("the desk answered \(reply.status): \(detail)")
        }
        return text
    }
}
