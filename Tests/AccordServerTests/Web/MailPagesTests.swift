import AccordServer
import Foundation
import Testing

/// Staff see a case's mail as it came on the console: the HTML the sender wrote, sanitised (no
/// script, no handler, no `javascript:`), its inline image shown from the message, images from the
/// web not loaded; and the original as delivered. Customers and other cases' pages get nothing.
@Suite struct MailPagesTests {
    static let png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="

    static let html = """
        From: Anna <anna@mp.test>
        To: support@plmgroup.dk
        Subject: Plotter table
        Message-ID: <html-1@mp.test>
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="outer"

        --outer
        Content-Type: multipart/related; boundary="rel"

        --rel
        Content-Type: text/html; charset=utf-8

        <html><body onload="steal()"><script>alert('x')</script>
        <table><tr><td>Plotter P-7</td><td>offline</td></tr></table>
        <p><a href="javascript:alert(1)">click</a> <img src="https://tracker.test/pixel.gif"> <img src="cid:logo@mp.test" alt="logo"></p>
        </body></html>
        --rel
        Content-Type: image/png
        Content-ID: <logo@mp.test>
        Content-Transfer-Encoding: base64

        \(png)
        --rel--
        --outer
        Content-Type: application/pdf; name="report.pdf"
        Content-Disposition: attachment; filename="report.pdf"
        Content-Transfer-Encoding: base64

        JVBERi0xLjQK
        --outer--
        """

    @Test(arguments: TestDatabase.all) func staffSeeAMailAsItCameAndItsOriginal(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-03T09:05:00Z", on: database) { desk in
            let plm = try await desk.organization("plm-group", plan: "standard", region: "denmark", prefix: "MPG")
            let anna = try await desk.person(in: plm, email: "anna@mp.test", role: "user")
            let agent = try await WorkDeskTests.staff(desk, "agent@provider.test")
            let gateway = try await desk.mailGatewayToken()
            let delivered = try await desk.deliver(Self.html, to: "support@plmgroup.dk", token: gateway)
            let caseID = try #require(delivered.string["caseID"])
            let mailID = try #require(delivered.string["message"])
            let other = try await desk.deliver(DeskHarness.mail(from: "anna@mp.test", subject: "Another", body: "x"), to: "support@plmgroup.dk", token: gateway)

            let console = try await WebClient.signedIn(desk, agent.id, "agent@provider.test")
            let casePage = try await console.get("/console/cases/\(caseID)")
            let link = "/console/cases/\(caseID)/mail/\(mailID)"
            #expect(casePage.status == .ok && casePage.html.contains(link) && casePage.text.contains("Plotter table · anna@mp.test"), "\(casePage.text)")

            let page = try await console.get(link)
            #expect(page.status == .ok)
            let shown = try #require(page.html.components(separatedBy: #"class="mail-html">"#).last?.components(separatedBy: "</section>").first)
            #expect(shown.contains("<table>") && shown.contains("Plotter P-7"), "\(shown)")
            for unsafe in ["<script", "alert(", "onload", "javascript:", #" src="https://tracker.test"#] {
                #expect(!shown.contains(unsafe), "\(unsafe) in \(shown)")
            }
            #expect(shown.contains(#"src="data:image/png;base64,\#(Self.png)""#), "the inline image, from the message itself")
            #expect(shown.contains(#"data-remote-src="https://tracker.test/pixel.gif""#), "kept, not loaded")
            #expect(page.text.contains("1 image(s) from the web were not loaded"))
            #expect(page.text.contains("From Anna <anna@mp.test>") && page.text.contains("Subject Plotter table"), "\(page.text)")
            #expect(page.text.contains("report.pdf"))

            let original = try await console.get(link + "/original")
            #expect(original.status == .ok && original.headers.first(name: "Content-Type") == "message/rfc822")
            #expect(original.headers.first(name: "Content-Disposition")?.hasPrefix("attachment; filename=\"MPG-") == true)
            #expect(original.html == Self.html, "the bytes as delivered")

            // Another case's message under this case's address, a customer, no such message: nothing.
            #expect(try await console.get("/console/cases/\(caseID)/mail/\(other.string["message"]!)").status == .notFound)
            #expect(try await console.get("/console/cases/\(caseID)/mail/\(UUID())/original").status == .notFound)
            let portal = try await WebClient.signedIn(desk, anna.id, "anna@mp.test")
            #expect(try await portal.get(link).status == .notFound)
            #expect(try await portal.get(link + "/original").status == .notFound)
            #expect(try await !portal.get("/portal/cases/\(caseID)").html.contains("/mail/"))
        }
    }
}
