/// The lines two texts share and where they differ — a longest common subsequence of lines,
/// as `diff` shows it — for a policy version against the one in force.
struct LineDiff: Sendable {
    /// One line of the comparison: kept (in both), removed (only in the old text) or added.
    struct Line: Sendable, Equatable, Encodable {
        enum Kind: String, Sendable, Encodable { case kept, removed, added }
        let kind: Kind
        /// Its number in the old text (kept, removed) and in the new one (kept, added), from 1.
        let old: Int?
        let new: Int?
        let text: String
    }

    /// Every line of both texts, in order.
    let lines: [Line]
    /// False when the texts were too far apart to compare line by line within `budget` (then
    /// `lines` shows all the old text removed and all the new added).
    let exact: Bool

    /// Compares `old` and `new`. Lines alike at the start and the end are matched first; the
    /// rest by dynamic programming, as long as it takes at most `budget` cells.
    init(old: [String], new: [String], budget: Int = 4_000_000) {
        var prefix = 0
        while prefix < old.count, prefix < new.count, old[prefix] == new[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < old.count - prefix, suffix < new.count - prefix, old[old.count - 1 - suffix] == new[new.count - 1 - suffix] { suffix += 1 }
        var lines: [Line] = (0..<prefix).map { Line(kind: .kept, old: $0 + 1, new: $0 + 1, text: old[$0]) }
        let a = Array(old[prefix..<(old.count - suffix)]), b = Array(new[prefix..<(new.count - suffix)])
        var exact = true
        if (a.count + 1) * (b.count + 1) > budget {
            exact = false
            lines += a.indices.map { Line(kind: .removed, old: prefix + $0 + 1, new: nil, text: a[$0]) }
            lines += b.indices.map { Line(kind: .added, old: nil, new: prefix + $0 + 1, text: b[$0]) }
        } else {
            lines += Self.middle(a, b, offset: prefix)
        }
        for index in 0..<suffix {
            let o = old.count - suffix + index, n = new.count - suffix + index
            lines.append(Line(kind: .kept, old: o + 1, new: n + 1, text: old[o]))
        }
        self.lines = lines
        self.exact = exact
    }

    /// The middle part: `length[i][j]` is the longest common subsequence of `a[i...]` and `b[j...]`;
    /// walking from the start takes a kept line where both agree and it is on a longest path.
    private static func middle(_ a: [String], _ b: [String], offset: Int) -> [Line] {
        let width = b.count + 1
        var length = [Int32](repeating: 0, count: (a.count + 1) * width)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                length[i * width + j] = a[i] == b[j] ? length[(i + 1) * width + j + 1] + 1 : max(length[(i + 1) * width + j], length[i * width + j + 1])
            }
        }
        var lines: [Line] = []
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] {
                lines.append(Line(kind: .kept, old: offset + i + 1, new: offset + j + 1, text: a[i]))
                i += 1
                j += 1
            } else if i < a.count, j == b.count || length[(i + 1) * width + j] >= length[i * width + j + 1] {
                // Removed before added where either keeps a longest path, as `diff` shows a change.
                lines.append(Line(kind: .removed, old: offset + i + 1, new: nil, text: a[i]))
                i += 1
            } else {
                lines.append(Line(kind: .added, old: nil, new: offset + j + 1, text: b[j]))
                j += 1
            }
        }
        return lines
    }

    /// The changed lines with `context` kept lines around each change; `nil` stands for kept
    /// lines left out between two changes.
    func hunks(context: Int = 3) -> [Line?] {
        let changed = lines.indices.filter { lines[$0].kind != .kept }
        guard !changed.isEmpty else { return [] }
        var shown = Set<Int>()
        for index in changed { for near in max(0, index - context)...min(lines.count - 1, index + context) { shown.insert(near) } }
        var result: [Line?] = []
        var previous: Int?
        for index in shown.sorted() {
            if let previous, index > previous + 1 { result.append(nil) }
            result.append(lines[index])
            previous = index
        }
        return result
    }
}
