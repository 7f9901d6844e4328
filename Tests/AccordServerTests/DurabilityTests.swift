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
        let process = Process()
        let output: URL
        let port: Int

        init(arguments: [String], environment: [String: String], port: Int, output: URL) throws {
            self.port = port
            self.output = output
            let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("accord")
            process.executableURL = binary
            process.arguments = arguments + ["--port", String(port)]
            process.environment = environment
            FileManager.default.createFile(atPath: output.path, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: output)
            process.standardError = FileHandle.nullDevice
            try process.run()
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

        func kill() {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }

        func stop() {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// Case numbers by id, as the server acknowledged them.
    final class Acknowledged: Sendable {
        let cases = Mutex<[String: String]>([:])
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
        let port = Int.random(in: 20_000...40_000)
        let first = try Server(arguments: arguments, environment: environment, port: port, output: directory.appendingPathComponent("first.out"))
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

        // Eight writers log cases as fast as they can; the server is killed while they are at it.
        let acknowledged = Acknowledged()
        let base = first.base
        let writers = Task {
            await withTaskGroup(of: Void.self) { group in
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
        try await Task.sleep(for: .milliseconds(1500))
        first.kill()
        await writers.value
        let written = acknowledged.cases.withLock { $0 }
        #expect(written.count > 20, "the load was too light to mean anything: \(written.count) cases")
        print("durability (\(database.testDescription)): \(written.count) cases acknowledged before SIGKILL")

        let second = try Server(arguments: arguments, environment: environment, port: port + 1, output: directory.appendingPathComponent("second.out"))
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
        second.stop()
        await provisioned.cleanUp()
        try? FileManager.default.removeItem(at: directory)
    }
}
