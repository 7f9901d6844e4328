import PropertyBased
import Testing

@testable import AccordServer

/// The policy diff: both texts come back from it whole, and it keeps as many lines as any common
/// subsequence can — checked against a brute-force search over every subsequence of small texts.
@Suite struct LineDiffTests {
    /// The longest common subsequence by trying every subset of `a`'s lines (the reference).
    static func bruteForceLCS(_ a: [String], _ b: [String]) -> Int {
        var best = 0
        for mask in 0..<(1 << a.count) {
            let picked = a.indices.filter { mask & (1 << $0) != 0 }.map { a[$0] }
            var j = 0
            for line in b where j < picked.count && line == picked[j] { j += 1 }
            if j == picked.count { best = max(best, picked.count) }
        }
        return best
    }

    @Test func keepsALongestCommonSubsequenceAndRebuildsBothTexts() async {
        let line = Gen.character(in: "a"..."d").map { String($0) }
        await propertyCheck(count: 2000, input: line.array(of: 0...7), line.array(of: 0...7)) { old, new in
            let diff = LineDiff(old: old, new: new)
            #expect(diff.exact)
            #expect(diff.lines.filter { $0.kind != .added }.map(\.text) == old, "the old text, in order")
            #expect(diff.lines.filter { $0.kind != .removed }.map(\.text) == new, "the new text, in order")
            #expect(diff.lines.filter { $0.kind != .added }.map(\.old) == old.indices.map { $0 + 1 }, "old line numbers")
            #expect(diff.lines.filter { $0.kind != .removed }.map(\.new) == new.indices.map { $0 + 1 }, "new line numbers")
            #expect(diff.lines.filter { $0.kind == .kept }.count == Self.bruteForceLCS(old, new), "\(old) → \(new)")
        }
    }

    @Test func tooFarApartItShowsEverythingReplacedAndSaysSo() {
        let diff = LineDiff(old: ["a", "x", "y", "z"], new: ["a", "p", "q", "z"], budget: 4)
        #expect(!diff.exact)
        #expect(diff.lines.map(\.kind) == [.kept, .removed, .removed, .added, .added, .kept])
    }

    @Test func hunksShowChangesWithTheirContext() {
        let old = (1...20).map { "line \($0)" }
        var new = old
        new[9] = "changed"
        let hunks = LineDiff(old: old, new: new).hunks(context: 2)
        #expect(hunks.compactMap { $0?.text } == ["line 8", "line 9", "line 10", "changed", "line 11", "line 12"])
        #expect(LineDiff(old: old, new: old).hunks().isEmpty)
        var twice = old
        twice[1] = "early"
        twice[18] = "late"
        #expect(LineDiff(old: old, new: twice).hunks(context: 1).contains { $0 == nil }, "a gap between far-apart changes")
    }
}
