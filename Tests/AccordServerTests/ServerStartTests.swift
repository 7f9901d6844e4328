import AccordCore
import AccordServer
import AccordStore
import Foundation
import Testing
import VaporTesting

/// Several `accord serve` processes pointed at one database may start at the same moment (a
/// deployment rolling out, a supervisor restarting them together); every one must come up.
struct ServerStartTests {
    @Test(arguments: TestDatabase.all) func serversStartingTogetherOnAnEmptyDatabaseAllComeUp(_ kind: TestDatabase) async throws {
        let database = try await kind.provision()
        let attachments = FileManager.default.temporaryDirectory.appendingPathComponent("accord-attachments-\(UUID())").path
        let configuration = AccordApp.Configuration(database: database.choice, attachmentDirectory: attachments)
        let started = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let app = try await Application.make(.testing)
                    do {
                        try await AccordApp.configure(app, configuration)
                    } catch {
                        try? await app.asyncShutdown()
                        Issue.record("a server failed to start: \(String(reflecting: error))")
                        return false
                    }
                    try await app.asyncShutdown()
                    return true
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(started == 4)
        // Each preset was stored and published once.
        let app = try await Application.make(.testing)
        try await AccordApp.configure(app, configuration)
        let stored = try await DeskStore(database: app.db).storedPolicies()
        let current = try await DeskStore(database: app.db).currentPolicyVersions()
        try await app.asyncShutdown()
        await database.cleanUp()
        try? FileManager.default.removeItem(atPath: attachments)
        #expect(stored.count == Presets.names.count)
        #expect(current.count == Presets.names.count)
    }
}
