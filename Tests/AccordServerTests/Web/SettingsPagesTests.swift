import Foundation
import Testing
import VaporTesting

/// The console's settings: administrators add and remove webhooks and edit mail templates with the
/// API's checks (an internal address, an unknown placeholder — refused beside the field); managers
/// read them and the deliveries; agents are kept out.
@Suite struct SettingsPagesTests {
    @Test func administratorsSetWebhooksAndTemplates() async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z") { desk in
            let ada = try await WorkDeskTests.staff(desk, "ada@provider.test", role: "admin", tier: nil)
            let admin = try await WebClient.signedIn(desk, ada.id, "ada@provider.test")
            let page = try await admin.get("/console/settings")
            #expect(page.status == .ok && page.text.contains("Alert mail") && page.text.contains("No webhooks."))
            #expect(page.text.contains("Edit the text of sla.warning") && page.text.contains("{{case.number}}"))

            // Server-side request forgery refused as through the API, beside the URL.
            let metadata = try await admin.post("/console/settings/webhooks", [("url", "http://169.254.169.254/latest/meta-data/"), ("events", "sla.breach"), ("secret", "")])
            let api = try await desk.call(.POST, "/api/v1/webhooks", token: desk.adminToken, body: #"{"url":"http://169.254.169.254/latest/meta-data/","events":["sla.breach"]}"#)
            let refusal = try #require(api.string["detail"])
            #expect(metadata.status == .unprocessableEntity && metadata.html.contains(#"id="webhook-url-error""#) && metadata.text.contains(refusal))
            let unknown = try await admin.post("/console/settings/webhooks", [("url", "\(desk.baseURL)/hook"), ("events", "sla.breach, sla.oops"), ("secret", "")])
            #expect(unknown.status == .unprocessableEntity && unknown.html.contains(#"id="webhook-events-error""#) && unknown.text.contains("sla.oops"))
            let added = try await admin.post("/console/settings/webhooks", [("url", "\(desk.baseURL)/hook"), ("events", "sla.breach, customer.late-notice"), ("secret", "")])
            #expect(added.status == .created)
            let secret = try #require(added.html.range(of: #"id="new-webhook-secret" readonly value="([^"]+)""#, options: .regularExpression).map { String(added.html[$0]) })
            #expect(secret.count > 50, "the secret is shown once")
            let hooks = try await desk.list("/api/v1/webhooks", token: desk.adminToken)
            #expect(hooks.count == 1 && hooks[0]["events"] as? [String] == ["sla.breach", "customer.late-notice"])
            #expect(!(try await admin.get("/console/settings").html.contains(#"id="new-webhook-secret""#)), "and never again")

            // A template: an unknown placeholder refused beside the body; saved; back to the built-in text.
            let typo = try await admin.post("/console/settings/templates/sla.warning", [("subject", "Warning {{case.number}}"), ("body", "Due {{due}} for {{case.numbr}}")])
            #expect(typo.status == .unprocessableEntity && typo.html.contains(#"id="template-sla.warning-body-error""#)
                    && typo.text.contains("{{case.numbr}} is not a placeholder of sla.warning"))
            let saved = try await admin.post("/console/settings/templates/sla.warning", [("subject", "Warning {{case.number}}"), ("body", "Due {{due}}\r\nfor {{case.title}}")])
            #expect(saved.status == .seeOther)
            let templates = try await desk.list("/api/v1/templates", token: desk.adminToken)
            let warning = try #require(templates.first { $0["name"] as? String == "sla.warning" })
            #expect(warning["edited"] as? Bool == true && warning["body"] as? String == "Due {{due}}\nfor {{case.title}}", "kept with LF line ends")
            #expect(try await admin.post("/console/settings/templates/sla.warning/reset", []).status == .seeOther)
            #expect(try await desk.list("/api/v1/templates", token: desk.adminToken).first { $0["name"] as? String == "sla.warning" }?["edited"] as? Bool == false)

            // A text for one policy and language, from the form below the templates; then removed.
            let neither = try await admin.post("/console/settings/templates", [("name", "customer.acknowledgement"), ("policy", ""), ("language", ""),
                                                                               ("subject", "x"), ("body", "y")])
            #expect(neither.status == .unprocessableEntity && neither.html.contains(#"id="template-variant-policy-error""#), "\(neither.text.prefix(300))")
            let badLanguage = try await admin.post("/console/settings/templates", [("name", "customer.acknowledgement"), ("policy", "plm-group"),
                                                                                   ("language", "Danish!"), ("subject", "x"), ("body", "y")])
            #expect(badLanguage.status == .unprocessableEntity && badLanguage.html.contains(#"id="template-variant-language-error""#)
                    && badLanguage.html.contains(#"value="Danish!""#), "what was typed is kept")
            let variant = try await admin.post("/console/settings/templates", [("name", "customer.acknowledgement"), ("policy", "plm-group"), ("language", "da"),
                                                                               ("subject", "Tak: {{case.number}}"), ("body", "Vi svarer senest {{response.due}}.\r\n")])
            #expect(variant.status == .seeOther)
            let listed = try await admin.get("/console/settings")
            #expect(listed.text.contains("customer.acknowledgement — plm-group in 'da'") && listed.text.contains("Remove the text of customer.acknowledgement for plm-group in 'da'"),
                    "\(listed.text)")
            let edited = try await admin.post("/console/settings/templates/customer.acknowledgement?policy=plm-group&language=da",
                                              [("subject", "Tak for din besked: {{case.number}}"), ("body", "Vi svarer senest {{response.due}}.")])
            #expect(edited.status == .seeOther)
            let danish = try await desk.list("/api/v1/templates", token: desk.adminToken).first { $0["language"] as? String == "da" }
            #expect(danish?["subject"] as? String == "Tak for din besked: {{case.number}}" && danish?["policy"] as? String == "plm-group")
            #expect(try await admin.post("/console/settings/templates/customer.acknowledgement/reset?policy=plm-group&language=da", []).status == .seeOther)
            #expect(try await desk.list("/api/v1/templates", token: desk.adminToken).allSatisfy { $0["language"] == nil })

            let hookID = try #require(hooks[0]["id"] as? String)
            #expect(try await admin.post("/console/settings/webhooks/\(hookID)/removal", []).status == .seeOther)
            #expect(try await desk.list("/api/v1/webhooks", token: desk.adminToken).allSatisfy { $0["active"] as? Bool == false })
            #expect(try await admin.get("/console/settings").text.contains("No webhooks."), "a removed webhook is no longer listed")

            // Managers read; agents are kept out.
            let mia = try await WorkDeskTests.staff(desk, "mia@provider.test", role: "manager", tier: nil)
            let manager = try await WebClient.signedIn(desk, mia.id, "mia@provider.test")
            let read = try await manager.get("/console/settings")
            #expect(read.status == .ok && read.text.contains("Latest deliveries") && !read.text.contains("Add a webhook") && !read.text.contains("Save the template"))
            #expect(try await manager.post("/console/settings/webhooks", [("url", "\(desk.baseURL)/hook")]).status == .forbidden)
            let tia = try await WorkDeskTests.staff(desk, "tia@provider.test")
            #expect(try await WebClient.signedIn(desk, tia.id, "tia@provider.test").get("/console/settings").status == .forbidden)
        }
    }
}
