public import BusinessTime

/// Answers deadline questions given as JSON Lines, one answer line per question line, in order.
/// A bad line yields `{"error": "…"}` and the batch goes on.
public struct DeadlineBatch {
    /// Finds a policy by preset name or file path.
    public typealias PolicyResolver = (String) throws -> Policy

    private let resolve: PolicyResolver
    private var policies: [String: Result<PolicyBox, any Error>] = [:]
    /// The policy of the previous line: batches mostly ask about one policy.
    private var last: (name: String, box: PolicyBox)?

    /// Holds a policy by reference so that reusing it per line copies nothing.
    private final class PolicyBox {
        let policy: Policy
        init(_ policy: Policy) { self.policy = policy }
    }
    public let explain: Bool

    public static let fields: Set<String> = [
        "policy", "plan", "priority", "region", "metric", "opened", "confirmed", "cvss", "patchAvailable", "pauses",
    ]

    public init(explain: Bool = false, resolve: @escaping PolicyResolver) {
        self.explain = explain
        self.resolve = resolve
    }

    /// The answer line for one question line (no trailing newline).
    public mutating func answer(line: some StringProtocol) -> String {
        var copy = String(line)
        return copy.withUTF8 { answer(utf8: $0) }
    }

    /// The answer line for one question line given as UTF-8 bytes (no trailing newline).
    public mutating func answer(utf8 line: UnsafeBufferPointer<UInt8>) -> String {
        do {
            let (policyName, query) = try Self.parse(utf8: line)
            let box: PolicyBox
            if let last, last.name == policyName {
                box = last.box
            } else {
                let result = policies[policyName] ?? Result { PolicyBox(try resolve(policyName)) }
                policies[policyName] = result
                box = try result.get()
                last = (policyName, box)
            }
            return try Self.json(box.policy.answer(query), explain: explain)
        } catch {
            return "{\"error\":\(JSONText.string("\(error)"))}"
        }
    }

    /// Reads one JSON object into a policy name and a query.
    public static func parse(utf8 line: UnsafeBufferPointer<UInt8>) throws(BatchLineError) -> (String, DeadlineQuery) {
        let value: JSONValue
        do { value = try JSONValue.parse(utf8: line) } catch { throw BatchLineError("malformed JSON: \(error)") }
        guard case .object(let members) = value else { throw BatchLineError("each line must be one JSON object") }
        var fieldsSeen = FieldValues()
        for (key, value) in members where !fieldsSeen.set(key, value) {
            throw BatchLineError("unknown field '\(key)'; fields: \(fields.sorted().joined(separator: ", "))")
        }
        func text(_ field: JSONValue?, _ key: String, required: Bool = false) throws(BatchLineError) -> String? {
            switch field {
            case .none, .null?:
                if required { throw BatchLineError("missing field '\(key)'") }
                return nil
            case .string(let value)?: return value
            default: throw BatchLineError("field '\(key)' must be a string")
            }
        }
        func time(_ field: JSONValue?, _ key: String, required: Bool = false) throws(BatchLineError) -> ISO8601.Parsed? {
            guard let value = try text(field, key, required: required) else { return nil }
            guard let parsed = ISO8601.parse(value) else { throw BatchLineError(TimeInputError(field: key, value: value).description) }
            return parsed
        }
        var cvss: Double?
        switch fieldsSeen.cvss {
        case .none, .null?: break
        case .number(let value)?: cvss = value
        default: throw BatchLineError("field 'cvss' must be a number between 0 and 10")
        }
        var pauses: [(from: ISO8601.Parsed, to: ISO8601.Parsed)] = []
        switch fieldsSeen.pauses {
        case .none, .null?: break
        case .array(let list)?:
            for (index, item) in list.enumerated() {
                guard case .array(let pair) = item, pair.count == 2, case .string(let from) = pair[0], case .string(let to) = pair[1] else {
                    throw BatchLineError("pauses[\(index)] must be a [from, to] pair of ISO 8601 times")
                }
                guard let f = ISO8601.parse(from) else { throw BatchLineError(TimeInputError(field: "pauses[\(index)]", value: from).description) }
                guard let t = ISO8601.parse(to) else { throw BatchLineError(TimeInputError(field: "pauses[\(index)]", value: to).description) }
                pauses.append((f, t))
            }
        default: throw BatchLineError("field 'pauses' must be a list of [from, to] pairs")
        }
        let query = DeadlineQuery(
            plan: try text(fieldsSeen.plan, "plan", required: true)!, priority: try text(fieldsSeen.priority, "priority"),
            region: try text(fieldsSeen.region, "region"), metric: try text(fieldsSeen.metric, "metric") ?? "initial-response",
            opened: try time(fieldsSeen.opened, "opened", required: true)!, confirmed: try time(fieldsSeen.confirmed, "confirmed"),
            cvss: cvss, patchAvailable: try time(fieldsSeen.patchAvailable, "patchAvailable"), pauses: pauses
        )
        return (try text(fieldsSeen.policy, "policy", required: true)!, query)
    }

    /// `{"target": "…", "clockStart": "…", "due": "…"}`; with no target, `"target": "no target"` and nulls.
    public static func json(_ answer: DeadlineAnswer, explain: Bool) throws -> String {
        guard let deadline = answer.deadline, let target = answer.target else {
            return "{\"target\":\"no target\",\"clockStart\":null,\"due\":null}"
        }
        var text = ""
        text.reserveCapacity(128)
        text += "{\"target\":"
        text += JSONText.string(target.description)
        text += ",\"clockStart\":\""
        text += try answer.format(deadline.clockStart)
        text += "\",\"due\":\""
        text += try answer.format(deadline.due)
        text += "\""
        if explain, let explanation = try answer.explanation() {
            text += ",\"explanation\":[\(explanation.lines.map(JSONText.string).joined(separator: ","))]"
        }
        return text + "}"
    }
}

/// The values of one line by field, kept inline without hashing (the batch's hot path).
private struct FieldValues {
    private(set) var policy, plan, priority, region, metric, opened, confirmed, cvss, patchAvailable, pauses: JSONValue?

    /// Sets a field from its JSON member name; false for a name that is not a field. (A member
    /// given twice never gets here: the parser refuses it.)
    mutating func set(_ key: String, _ value: JSONValue) -> Bool {
        func store(_ field: inout JSONValue?) { field = value }
        // Compare lengths before text: most names differ in length.
        switch (key.utf8.count, key) {
        case (6, "policy"): store(&policy)
        case (4, "plan"): store(&plan)
        case (8, "priority"): store(&priority)
        case (6, "region"): store(&region)
        case (6, "metric"): store(&metric)
        case (6, "opened"): store(&opened)
        case (9, "confirmed"): store(&confirmed)
        case (4, "cvss"): store(&cvss)
        case (14, "patchAvailable"): store(&patchAvailable)
        case (6, "pauses"): store(&pauses)
        default: return false
        }
        return true
    }
}

/// A batch line that cannot be read.
public struct BatchLineError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A time that is not ISO 8601.
public struct TimeInputError: Error, CustomStringConvertible {
    public let field: String
    public let value: String

    public init(field: String, value: String) {
        self.field = field
        self.value = value
    }

    public var description: String {
        "invalid \(field) '\(value)': expected an ISO 8601 time such as 2026-03-06T15:30:00+01:00, 2026-03-06T14:30:00Z, or 2026-03-06T15:30 (read in the region's zone)"
    }
}

/// Writes JSON string literals.
public enum JSONText {
    public static func string(_ value: String) -> String {
        if !value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            return "\"" + value + "\""
        }
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20:
                let hex = String(c.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
