import Testing
@testable import AccordCore
import BusinessTime

@Suite struct PresetLoadingTests {
    @Test(arguments: Presets.names)
    func presetLoadsWithoutIssues(name: String) throws {
        do {
            let policy = try Presets.policy(name)
            #expect(policy.id == name)
        } catch let issues as PolicyIssues {
            Issue.record("\(issues)")
        }
    }
}
