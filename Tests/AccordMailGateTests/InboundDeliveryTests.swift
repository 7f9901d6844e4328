@testable import AccordMailGate
import Testing

/// What the gateway reads of a message and sends the desk, and what it makes of the answer.
struct InboundDeliveryTests {
    let options = GateOptions(url: DeskURL("http://127.0.0.1:8080/desk")!, token: "acm_t", recipient: nil, recipientHeader: .deliveredTo, timeout: 9)

    func fields(_ message: String, options: GateOptions? = nil) throws -> [String: String] {
        let exchange = try InboundDelivery(options: options ?? self.options, message: Array(message.utf8)).exchange()
        #expect(exchange.path == "/desk/api/v1/mail/inbound" && exchange.timeout == 9 && exchange.body == Array(message.utf8))
        return Dictionary(exchange.fields.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    @Test func theTopmostFieldsAreReadWithFoldingAndEitherLineEnd() throws {
        for end in ["\n", "\r\n"] {
            let message = ["Received: from mx.fjord.demo", "\tby mail.plmgroup.dk; Tue, 3 Mar 2026", " 10:00:00 +0100",
                           "Received: from laptop; Mon, 2 Mar 2026 08:00:00 +0100", "DELIVERED-TO: Support <support@plmgroup.dk>",
                           "Delivered-To: other@plmgroup.no", "Subject: x", "", "Delivered-To: body@plmgroup.no", ""].joined(separator: end)
            let fields = try fields(message)
            #expect(fields["Accord-Accepted-At"] == "Tue, 3 Mar 2026 10:00:00 +0100")
            #expect(fields["Accord-Envelope-Recipient"] == "support@plmgroup.dk")
            #expect(fields["Authorization"] == "Bearer acm_t" && fields["Content-Type"] == "message/rfc822")
        }
    }

    @Test func aFieldInTheBodyOrMissingIsNotRead() throws {
        let fields = try fields("Subject: x\n\nDelivered-To: body@plmgroup.no\nReceived: x; Tue, 3 Mar 2026 10:00:00 +0100\n")
        #expect(fields["Accord-Envelope-Recipient"] == nil && fields["Accord-Accepted-At"] == nil)
        // A given recipient wins over the field; a header section with no body still counts.
        var given = options
        given.recipient = "support@plmgroup.no"
        #expect(try self.fields("Delivered-To: support@plmgroup.dk\n", options: given)["Accord-Envelope-Recipient"] == "support@plmgroup.no")
    }

    @Test(arguments: [("support@plmgroup.dk", "support@plmgroup.dk"), (" <a@b.c> ", "a@b.c"), ("a@b.c (the desk)", "a@b.c"), ("", nil), ("<>", nil)])
    func theAddressOfARecipientField(value: String, address: String?) {
        #expect(InboundDelivery.address(value) == address)
    }

    @Test func anEmptyMessageIsRefused() {
        #expect(throws: GateFailure.self) { try InboundDelivery(options: options, message: []).exchange() }
    }

    @Test func onlyA202IsADelivery() throws {
        let body = Array(#"{"outcome":"case-created","case":"PLM-2026-000001"}"#.utf8)
        #expect(try InboundDelivery.result(of: DeskReply(status: 202, body: body)) == String(decoding: body, as: UTF8.self))
        let problem = Array(#"{"type":"about:blank","title":"Unauthorized","detail":"the token \"acm_x\" is not a mail gateway\u2019s","status":401}"#.utf8)
        #expect {
            try InboundDelivery.result(of: DeskReply(status: 401, body: problem))
        } throws: { error in
            (error as? GateFailure)?.description == "the desk answered 401: the token \"acm_x\" is not a mail gateway\u{2019}s"
        }
        #expect {
            try InboundDelivery.result(of: DeskReply(status: 200, body: Array("odd".utf8)))
        } throws: { error in
            (error as? GateFailure)?.description == "the desk answered 200: odd"
        }
    }
}
