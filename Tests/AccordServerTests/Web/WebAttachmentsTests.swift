import Crypto
import Foundation
import Testing
import VaporTesting

/// Files through the web desk's forms: a case logged with its screenshots, a reply with a log —
/// read as they stream in, the form token checked before any file byte is stored, refused whole
/// (nothing logged, nothing kept) when a file is empty or too many, internal (staff only) when sent
/// with an internal note, and served back only to those who see the case, with the bytes the API serves.
@Suite struct WebAttachmentsTests {
    /// Every file under the attachment folder (stored and under way).
    static func stored(_ desk: DeskHarness) -> [String] {
        let root = URL(fileURLWithPath: desk.attachmentDirectory)
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        return walker.compactMap { $0 as? URL }.filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }.map(\.path)
    }

    @Test(arguments: TestDatabase.all) func filesGoWithACaseAndAReply(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-11-16T14:00:00Z", on: database) { desk in
            let org = try await desk.organization("plex", plan: "gold", region: "global", prefix: "ACME")
            let ann = try await desk.person(in: org, email: "ann@acme.test", role: "authorized-contact")
            let browser = try await WebClient.signedIn(desk, ann.id, "ann@acme.test")
            let form = try await browser.get("/portal/cases/new")
            #expect(form.html.contains(#"enctype="multipart/form-data""#) && form.text.contains("up to 5, 20 MB each"))
            let screenshot = Data((0..<5000).map { UInt8($0 % 251) })
            let fields = [("once", WebClient.hidden("once", in: form.html)!), ("title", "Labels print blank"), ("priority", "p3"),
                          ("description", "Since the update"), ("channel", "web")]

            // An empty file refuses the whole form, beside the field: nothing logged, nothing kept.
            let empty = try await browser.postMultipart("/portal/cases", fields, files: [("files", "screen.png", screenshot), ("files", "empty.log", Data())])
            #expect(empty.status == .unprocessableEntity && empty.html.contains(#"id="files-error""#) && empty.text.contains("empty.log is empty"))
            #expect(try await desk.list("/api/v1/cases", token: desk.adminToken).isEmpty)
            #expect(Self.stored(desk).isEmpty, "\(Self.stored(desk))")

            let logged = try await browser.postMultipart("/portal/cases", fields, files: [("files", "shots/today/screen.png", screenshot),
                                                                                          ("files", "printer.log", Data("jam\n".utf8))])
            #expect(logged.status == .seeOther, "\(logged.text)")
            let caseID = String(try #require(logged.location).split(separator: "/").last!)
            let api = try await desk.call(.GET, "/api/v1/cases/\(caseID)", token: ann.token)["attachments"] as? [[String: Any]] ?? []
            #expect(api.map { $0["filename"] as? String } == ["screen.png", "printer.log"], "folder parts dropped")
            let page = try await browser.get("/portal/cases/\(caseID)")
            #expect(page.text.contains("screen.png") && page.text.contains("4.9 KB") && page.text.contains("printer.log"), "\(page.status) \(page.text)")
            let link = try #require(page.html.range(of: #"/attachments/[0-9A-F-]{36}"#, options: .regularExpression).map { String(page.html[$0]) })
            let download = try await browser.get(link)
            #expect(download.status == .ok && download.headers.first(name: "Content-Disposition")?.hasPrefix("attachment;") == true)
            #expect(download.headers.first(name: "ETag") == "\"\(SHA256.hash(data: screenshot).map { String(format: "%02x", $0) }.joined())\"")

            // A reply with a file; staff may not put one on an internal note.
            let reply = try await browser.postMultipart("/cases/\(caseID)/messages", [("body", "The log from today")], files: [("files", "today.log", Data("x".utf8))])
            #expect(reply.status == .seeOther)
            let after = try await browser.get("/portal/cases/\(caseID)")
            #expect(after.text.contains("Attached: today.log") && after.text.contains("today.log"))
            let tia = try await WorkDeskTests.staff(desk, "tia@provider.test")
            let agent = try await WebClient.signedIn(desk, tia.id, "tia@provider.test")
            _ = try await agent.get("/console/cases/\(caseID)")
            // A file with an internal note is internal: staff see it, the customer neither lists nor fetches it.
            let note = try await agent.postMultipart("/cases/\(caseID)/messages", [("body", "Vendor's trace"), ("kind", "internal-note")],
                                                     files: [("files", "vendor-trace.txt", Data("s".utf8))])
            #expect(note.status == .seeOther)
            let staffView = try await desk.call(.GET, "/api/v1/cases/\(caseID)", token: desk.adminToken)["attachments"] as? [[String: Any]] ?? []
            #expect(staffView.count == 4 && staffView.last?["internal"] as? Bool == true && staffView.first?["internal"] as? Bool == false)
            let customerView = try await desk.call(.GET, "/api/v1/cases/\(caseID)", token: ann.token)["attachments"] as? [[String: Any]] ?? []
            #expect(customerView.count == 3 && !customerView.contains { $0["filename"] as? String == "vendor-trace.txt" })
            let internalID = try #require(staffView.last?["id"] as? String)
            #expect(try await browser.get("/attachments/\(internalID)").status == .notFound)
            #expect(try await desk.download("/api/v1/attachments/\(internalID)", token: ann.token).status == .notFound)
            #expect(try await agent.get("/attachments/\(internalID)").status == .ok)
            let customerPage = try await browser.get("/portal/cases/\(caseID)")
            #expect(!customerPage.text.contains("vendor-trace.txt") && !customerPage.text.contains("Vendor's trace"))
            #expect(try await agent.get("/console/cases/\(caseID)").text.contains("vendor-trace.txt"))
            // Through the API: staff may mark a file internal, a customer may not.
            let marked = try await desk.upload("/api/v1/cases/\(caseID)/attachments", token: ann.token, filename: "x.txt", data: Data("x".utf8),
                                               fields: [("internal", "true")])
            #expect(marked.status == .forbidden && marked.string["field"] == "internal")

            // Someone who may not see the case gets the same 404 as for no attachment at all.
            let other = try await desk.organization("plex", plan: "gold", region: "global", prefix: "OTH")
            let olga = try await desk.person(in: other, email: "olga@oth.test", role: "authorized-contact")
            let stranger = try await WebClient.signedIn(desk, olga.id, "olga@oth.test")
            #expect(try await stranger.get(link).status == .notFound)
            #expect(try await stranger.get("/attachments/\(UUID())").status == .notFound)
        }
    }

    /// A forged post — no token, a wrong one, or a file before the token — stores nothing; a body
    /// announced larger than the limits is refused before it is read; six files are too many.
    @Test func forgedOrOversizedPostsStoreNothing() async throws {
        try await DeskHarness.run(at: "2026-11-16T14:00:00Z", configure: { $0.maxAttachmentSize = "1kb" }) { desk in
            let org = try await desk.organization("plex", plan: "gold", region: "global", prefix: "ACME")
            let ann = try await desk.person(in: org, email: "ann@acme.test", role: "authorized-contact")
            let browser = try await WebClient.signedIn(desk, ann.id, "ann@acme.test")
            _ = try await browser.get("/portal/cases/new")
            let fields = [("title", "T"), ("priority", "p3"), ("description", "d")]
            let file = [("files", "a.txt", Data("a".utf8))]
            #expect(try await browser.postMultipart("/portal/cases", fields, files: file, csrf: false).status == .forbidden)
            #expect(try await browser.postMultipart("/portal/cases", fields + [("_csrf", "forged")], files: file).status == .forbidden)
            #expect(try await browser.postMultipart("/portal/cases", fields, files: file, filesFirst: true).status == .forbidden,
                    "a file before the form token is refused before it is stored")
            #expect(Self.stored(desk).isEmpty)
            let huge = try await browser.postMultipart("/portal/cases", fields, files: [("files", "big.bin", Data(count: 200_000))])
            #expect(huge.status == .payloadTooLarge)
            let six = try await browser.postMultipart("/portal/cases", fields, files: (1...6).map { ("files", "f\($0).txt", Data("f".utf8)) })
            #expect(six.status == .unprocessableEntity && six.text.contains("at most 5 files at once"))
            #expect(Self.stored(desk).isEmpty)
            #expect(try await desk.list("/api/v1/cases", token: desk.adminToken).isEmpty)
        }
    }
}
