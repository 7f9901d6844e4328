import AccordStore
import Foundation
import NIOHTTP1
import Testing

/// Mail as a gateway delivers it to a test desk.
extension DeskHarness {
    /// A mail-gateway token, as `accord mail gateway-token create` makes one.
    func mailGatewayToken() async throws -> String {
        try await DeskStore(database: app.db).issueMailGatewayToken(label: "test gateway", at: Date()).secret
    }

    /// POSTs `raw` to the inbound endpoint as `accord mailgate` does.
    func deliver(_ raw: String, to recipient: String?, token: String, acceptedAt: String? = nil) async throws -> Reply {
        try await deliver(Data(raw.utf8), to: recipient, token: token, acceptedAt: acceptedAt)
    }

    func deliver(_ raw: Data, to recipient: String?, token: String, acceptedAt: String? = nil) async throws -> Reply {
        var headers = [("Authorization", "Bearer \(token)"), ("Content-Type", "message/rfc822")]
        if let recipient { headers.append(("Accord-Envelope-Recipient", recipient)) }
        if let acceptedAt { headers.append(("Accord-Accepted-At", acceptedAt)) }
        let response = try await send(.POST, "/api/v1/mail/inbound", headers: headers, body: raw)
        return Reply(status: response.status, headers: response.headers,
                     json: (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] ?? [:])
    }

    /// A plain message, LF line ends as a pipe delivers them.
    static func mail(from: String, to: String = "support@plmgroup.dk", cc: String? = nil, subject: String, body: String,
                     headers: [String] = [], messageID: String = "<\(UUID().uuidString)@mail.customer.test>") -> String {
        var lines = ["Received: from mx.customer.test by mx.desk.test; Tue, 3 Mar 2026 10:00:00 +0100", "From: \(from)", "To: \(to)"]
        if let cc { lines.append("Cc: \(cc)") }
        lines += ["Subject: \(subject)", "Date: Tue, 3 Mar 2026 09:59:00 +0100", "Message-ID: \(messageID)", "MIME-Version: 1.0"] + headers
        if !headers.contains(where: { $0.lowercased().hasPrefix("content-type") }) { lines.append("Content-Type: text/plain; charset=utf-8") }
        return (lines + ["", body]).joined(separator: "\n")
    }
}
