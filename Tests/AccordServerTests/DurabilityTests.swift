import AccordCore
import AccordTestSupport
import AsyncHTTPClient
import Foundation
import NIOCore
import Synchronization
import Testing

/// Every case acknowledged with 201 survives the server being killed with SIGKILL under write load:
/// the real `accord serve` process, on SQLite and (when configured) PostgreSQL.
@Suite(.serialized) struct DurabilityTests {
    /// A running `accord serve` child process.
    final class Server {
        let process: BackgroundProcess
        let output: URL
        let port: Int

        init(arguments: [String], environment: [String: String], port: Int, output: URL) async throws {
            self.port = port
            self.output = output
            let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("accord")
            process = try await BackgroundProcess.start(binary.path, arguments + ["--port", String(port)], environment: environment, log: output.path)
        }

        var base: String { "http://127.0.0.1:\(port)" }

        /// Waits until /health answers.
        func waitUntilHealthy(_ client: HTTPClient) async throws {
            for _ in 0..<300 {
                if let response = try? await client.execute(HTTPClientRequest(url: base + "/health"), timeout: .seconds(2)),
                   response.status == .ok { return }
                try await Task.sleep(for: .milliseconds(100))
            }
            Issue.record("accord serve did not become healthy: \(String(decoding: (try? Data(contentsOf: output)) ?? Data(), as: UTF8.self))")
            throw CancellationError()
        }

        func kill() async throws {
            try await process.stop(SIGKILL)
        }

        func stop() async throws {
            try await process.stop(SIGTERM)
        }
    }

    /// What the server acknowledged: case numbers by id, attachments' SHA-256 by id, and the policy
    /// versions it said were published.
    final class Acknowledged: Sendable {
        let cases = Mutex<[String: String]>([:])
        let attachments = Mutex<[String: String]>([:])
        let policies = Mutex<[String]>([])
    }

    /// Uploads `data` as the multipart part `file`.
    static func upload(_ client: HTTPClient, _ url: String, token: String, data: Data) async throws -> (status: UInt, body: [String: Any]) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "multipart/form-data; boundary=durable")
        var body = Data("--durable\r\nContent-Disposition: form-data; name=\"file\"; filename=\"log.txt\"\r\nContent-Type: text/plain\r\n\r\n".utf8)
        body.append(data)
        body.append(Data("\r\n--durable--\r\n".utf8))
        request.body = .bytes(ByteBuffer(data: body))
        let response = try await client.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return (response.status.code, (try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView))) as? [String: Any] ?? [:])
    }

    /// Uploads a policy version and publishes it at once.
    static func publish(_ client: HTTPClient, _ base: String, token: String, yaml: String) async throws -> UInt {
        var request = HTTPClientRequest(url: base + "/api/v1/policies?publish=true")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/yaml")
        request.body = .bytes(ByteBuffer(string: yaml))
        return try await client.execute(request, timeout: .seconds(10)).status.code
    }

    static func post(_ client: HTTPClient, _ base: String, _ path: String, token: String, json: String) async throws -> (status: UInt, body: [String: Any]) {
        var request = HTTPClientRequest(url: base + path)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: json))
        let response = try await client.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return (response.status.code, (try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView))) as? [String: Any] ?? [:])
    }

    @Test(arguments: TestDatabase.all) func everyAcknowledgedCaseSurvivesSIGKILL(_ database: TestDatabase) async throws {
        let provisioned = try await database.provision()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("accord-durability-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = nil
        let tokenFile = directory.appendingPathComponent("admin-token").path
        var arguments = ["serve", "--attachments", directory.appendingPathComponent("files").path, "--admin-token-file", tokenFile]
        switch provisioned.choice {
        case .postgres(let url): environment["DATABASE_URL"] = url
        case .sqlite(let path): arguments += ["--db", path]
        case .sqliteInMemory: Issue.record("durability needs a database that outlives the process")
        }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { client.shutdown { _ in } }
        let port = TestPorts.next()
        let first = try await Server(arguments: arguments, environment: environment, port: port, output: directory.appendingPathComponent("first.out"))
        try await first.waitUntilHealthy(client)
        // The first administrator's token is in a file only its owner reads, never in the output (which logs keep).
        let printed = String(decoding: try Data(contentsOf: first.output), as: UTF8.self)
        #expect(printed.firstMatch(of: /acd_[A-Za-z0-9_-]+/) == nil, "\(printed)")
        #expect(printed.contains("Its API token is in \(tokenFile)"))
        let admin = try String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(admin.hasPrefix("acd_"))
        #expect((try FileManager.default.attributesOfItem(atPath: tokenFile)[.posixPermissions] as? Int) == 0o600)
        if case .sqlite(let path) = provisioned.choice {
            for file in [path, path + "-wal"] {
                #expect((try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int) == 0o600, "\(file) is for its owner only")
            }
        }

        let organization = try await Self.post(client, first.base, "/api/v1/organizations", token: admin, json: """
            {"name":"Durable","policy":"plixer","plan":"standard","termStart":"2026-01-01","termEnd":"2030-12-31","casePrefix":"DUR"}
            """)
        let organizationID = try #require(organization.body["id"] as? String)
        let person = try await Self.post(client, first.base, "/api/v1/organizations/\(organizationID)/people", token: admin,
                                         json: #"{"name":"Writer","email":"w@dur.test","role":"user"}"#)
        let personID = try #require(person.body["id"] as? String)
        let token = try #require(try await Self.post(client, first.base, "/api/v1/people/\(personID)/tokens", token: admin, json: "{}").body["token"] as? String)

        // Eight writers log cases as fast as they can, one uploads files to the first case and one
        // publishes policy versions; the server is killed while they are at it.
        let acknowledged = Acknowledged()
        let base = first.base
        let plixer = try Presets.yaml("plixer")
        let firstCase = try #require(try await Self.post(client, base, "/api/v1/cases", token: token,
                                                         json: #"{"title":"Files","description":"d","priority":"severity-3","channel":"web"}"#).body["id"] as? String)
        let writers = Task {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    var i = 0
                    while true {
                        i += 1
                        let data = Data("attachment \(i) \(UUID())\n".utf8) + Data(repeating: UInt8(i % 251), count: 8 * 1024)
                        guard let reply = try? await Self.upload(client, base + "/api/v1/cases/\(firstCase)/attachments", token: token, data: data) else { return }
                        if reply.status == 201, let id = reply.body["id"] as? String, let sha = reply.body["sha256"] as? String {
                            acknowledged.attachments.withLock { $0[id] = sha }
                        }
                    }
                }
                group.addTask {
                    var i = 0
                    while true {
                        i += 1
                        let version = "durable-\(i)"
                        let yaml = plixer.replacingOccurrences(of: "version: \"2025.2\"", with: "version: \"\(version)\"")
                        guard let status = try? await Self.publish(client, base, token: admin, yaml: yaml) else { return }
                        if status == 201 { acknowledged.policies.withLock { $0.append(version) } }
                        // An administrator publishes now and then, not in a tight loop: the cases stay the main load.
                        try? await Task.sleep(for: .milliseconds(500))
                    }
                }
                for writer in 0..<8 {
                    group.addTask {
                        var i = 0
                        while true {
                            i += 1
                            guard let reply = try? await Self.post(client, base, "/api/v1/cases", token: token,
                                                                   json: #"{"title":"W\#(writer)-\#(i)","description":"d","priority":"severity-3","channel":"web"}"#)
                            else { return }
                            if reply.status == 201, let id = reply.body["id"] as? String, let number = reply.body["number"] as? String {
                                acknowledged.cases.withLock { $0[id] = number }
                            }
                        }
                    }
                }
            }
        }
        // Killed mid-load, once the load has meant something: at least 2.5 s and enough acknowledged
        // cases and files (a loaded machine takes longer to get there; at most a minute).
        let started = ContinuousClock.now
        while ContinuousClock.now - started < .seconds(60) {
            try await Task.sleep(for: .milliseconds(100))
            let enough = acknowledged.cases.withLock { $0.count } > 20 && acknowledged.attachments.withLock { $0.count } > 3
            if enough && ContinuousClock.now - started >= .milliseconds(2500) { break }
        }
        try await first.kill()
        await writers.value
        let written = acknowledged.cases.withLock { $0 }
        #expect(written.count > 20, "the load was too light to mean anything: \(written.count) cases")
        print("durability (\(database.testDescription)): \(written.count) cases acknowledged before SIGKILL")

        let second = try await Server(arguments: arguments, environment: environment, port: TestPorts.next(), output: directory.appendingPathComponent("second.out"))
        try await second.waitUntilHealthy(client)
        var missing: [String] = []
        for (id, number) in written {
            var request = HTTPClientRequest(url: second.base + "/api/v1/cases/\(id)")
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            let response = try await client.execute(request, timeout: .seconds(10))
            let bytes = try await response.body.collect(upTo: 1 << 20)
            let body = (try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView))) as? [String: Any]
            if response.status != .ok || body?["number"] as? String != number { missing.append(number) }
        }
        #expect(missing.isEmpty, "acknowledged but lost after SIGKILL: \(missing.sorted())")
        // Every acknowledged file is there, byte for byte (the server checks its SHA-256 as it serves it).
        let files = acknowledged.attachments.withLock { $0 }
        #expect(files.count > 3, "the upload load was too light: \(files.count) files")
        for (id, sha) in files {
            var request = HTTPClientRequest(url: second.base + "/api/v1/attachments/\(id)")
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            let response = try await client.execute(request, timeout: .seconds(10))
            let bytes = try await response.body.collect(upTo: 1 << 20)
            #expect(response.status == .ok && response.headers.first(name: "ETag") == "\"\(sha)\"" && bytes.readableBytes > 8 * 1024, "attachment \(id)")
        }
        // Every acknowledged policy version is stored, and the one in force is whole: one published
        // (acknowledged, or the last in flight), never a half-written one.
        let published = acknowledged.policies.withLock { $0 }
        #expect(!published.isEmpty, "no policy version was published before the kill")
        for version in published {
            var request = HTTPClientRequest(url: second.base + "/api/v1/policies/plixer/versions/\(version)")
            request.headers.add(name: "Authorization", value: "Bearer \(admin)")
            #expect(try await client.execute(request, timeout: .seconds(10)).status == .ok, "policy version \(version)")
        }
        var list = HTTPClientRequest(url: second.base + "/api/v1/policies")
        list.headers.add(name: "Authorization", value: "Bearer \(admin)")
        let listed = try await client.execute(list, timeout: .seconds(10))
        let policies = (try? JSONSerialization.jsonObject(with: Data(try await listed.body.collect(upTo: 1 << 20).readableBytesView))) as? [[String: Any]] ?? []
        let current = try #require(policies.first { $0["id"] as? String == "plixer" }?["currentVersion"] as? String)
        let last = Int(published.last?.split(separator: "-").last ?? "0") ?? 0
        #expect(current == "durable-\(last)" || current == "durable-\(last + 1)", "current plixer version \(current), last acknowledged durable-\(last)")
        print("durability (\(database.testDescription)): \(files.count) files and \(published.count) policy versions acknowledged before SIGKILL")
        try await second.stop()
        await provisioned.cleanUp()
        try? FileManager.default.removeItem(at: directory)
    }
}
