/// One problem in a policy file, with where it is.
public struct PolicyIssue: Error, Hashable, Sendable, CustomStringConvertible {
    public let line: Int
    public let column: Int
    /// The path of the offending value, such as `metrics[0].targets.silver.p2`.
    public let path: String
    public let message: String

    public init(line: Int, column: Int, path: String, message: String) {
        self.line = line
        self.column = column
        self.path = path
        self.message = message
    }

    public var description: String { "\(line):\(column): \(path.isEmpty ? "" : "\(path): ")\(message)" }
}

/// Every problem found in a policy file; thrown when there is at least one.
public struct PolicyIssues: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let issues: [PolicyIssue]

    public var description: String {
        issues.map { "\(file):\($0)" }.joined(separator: "\n")
    }
}
