import Yams

/// Reads typed values out of a composed YAML tree, recording a ``PolicyIssue`` with line and column
/// for everything wrong instead of stopping at the first problem.
final class YAMLReader {
    private(set) var issues: [PolicyIssue] = []

    func issue(_ node: Node?, _ path: String, _ message: String) {
        let mark = node?.mark
        issues.append(PolicyIssue(line: mark?.line ?? 1, column: mark?.column ?? 1, path: path, message: message))
    }

    /// A mapping's entries in file order, with their key nodes; records unknown keys.
    func mapping(_ node: Node?, _ path: String, allowed: Set<String>? = nil) -> [(key: String, keyNode: Node, value: Node)] {
        guard let node else { return [] }
        guard case .mapping(let mapping) = node else {
            issue(node, path, "expected a mapping of keys to values")
            return []
        }
        var result: [(String, Node, Node)] = []
        var seen: Set<String> = []
        for (key, value) in mapping {
            guard let name = key.string else { issue(key, path, "keys must be text"); continue }
            if !seen.insert(name).inserted { issue(key, join(path, name), "key '\(name)' appears twice") }
            if let allowed, !allowed.contains(name) {
                issue(key, join(path, name), "unknown key '\(name)'; expected one of: \(allowed.sorted().joined(separator: ", "))")
                continue
            }
            result.append((name, key, value))
        }
        return result
    }

    func sequence(_ node: Node?, _ path: String) -> [Node] {
        guard let node else { return [] }
        if case .sequence(let sequence) = node { return Array(sequence) }
        issue(node, path, "expected a list")
        return []
    }

    func string(_ node: Node?, _ path: String, required: Bool = false, parent: Node? = nil) -> String? {
        guard let node else {
            if required { issue(parent, path, "missing required value '\(lastComponent(path))'") }
            return nil
        }
        guard case .scalar(let scalar) = node else {
            issue(node, path, "expected text")
            return nil
        }
        if required && scalar.string.isEmpty { issue(node, path, "must not be empty") }
        return scalar.string
    }

    func strings(_ node: Node?, _ path: String) -> [String] {
        guard let node else { return [] }
        if case .scalar = node, let single = string(node, path) { return [single] }
        return sequence(node, path).enumerated().compactMap { string($0.element, "\(path)[\($0.offset)]") }
    }

    /// A whole number within `minimum...maximum`: every number read from a policy is bounded, so
    /// no arithmetic on it later can overflow.
    func int(_ node: Node?, _ path: String, required: Bool = false, parent: Node? = nil, minimum: Int = 0, maximum: Int = 1_000_000) -> Int? {
        guard let text = string(node, path, required: required, parent: parent) else { return nil }
        guard let value = Int(text) else {
            issue(node, path, text.allSatisfy({ $0.isNumber || $0 == "-" || $0 == "+" }) && !text.isEmpty
                  ? "'\(text)' is out of range: at most \(maximum)" : "'\(text)' is not a whole number")
            return nil
        }
        guard value >= minimum else {
            issue(node, path, "\(value) is below the minimum \(minimum)")
            return nil
        }
        guard value <= maximum else {
            issue(node, path, "\(value) is above the maximum \(maximum)")
            return nil
        }
        return value
    }

    func double(_ node: Node?, _ path: String, required: Bool = false, parent: Node? = nil) -> Double? {
        guard let text = string(node, path, required: required, parent: parent) else { return nil }
        guard let value = Double(text), value.isFinite else {
            issue(node, path, "'\(text)' is not a number")
            return nil
        }
        return value
    }

    func bool(_ node: Node?, _ path: String) -> Bool? {
        guard let text = string(node, path) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            issue(node, path, "'\(text)' is not true or false")
            return nil
        }
    }

    /// A value that must be one of `choices`.
    func choice(_ node: Node?, _ path: String, _ choices: [String], required: Bool = false, parent: Node? = nil) -> String? {
        guard let text = string(node, path, required: required, parent: parent) else { return nil }
        guard choices.contains(text) else {
            issue(node, path, "unknown value '\(text)'; expected one of: \(choices.joined(separator: ", "))")
            return nil
        }
        return text
    }

    func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private func lastComponent(_ path: String) -> String {
        String(path.split(separator: ".").last ?? Substring(path))
    }
}

extension Array where Element == (key: String, keyNode: Node, value: Node) {
    subscript(_ key: String) -> Node? { first { $0.key == key }?.value }
}
