import AccordServer
import Foundation
import Yams

/// Checks HTTP exchanges against the served OpenAPI document: the operation must exist, the status
/// must be documented, the content type must match and a JSON body must satisfy the schema. The
/// schema check covers the JSON Schema keywords the document uses, and refuses any other keyword,
/// so that nothing in the document goes unchecked.
struct OpenAPIContract: Sendable {
    nonisolated(unsafe) let document: [String: Any]

    static let shared: OpenAPIContract = {
        let text = try! OpenAPIDocument.text()
        return OpenAPIContract(document: try! Yams.load(yaml: text) as! [String: Any])
    }()

    var paths: [String: [String: Any]] { (document["paths"] as? [String: Any] ?? [:]).compactMapValues { $0 as? [String: Any] } }

    /// Every operation as `METHOD /path/{param}`.
    var operations: Set<String> {
        var result = Set<String>()
        for (path, item) in paths {
            for method in ["get", "post", "put", "patch", "delete"] where item[method] != nil { result.insert("\(method.uppercased()) \(path)") }
        }
        return result
    }

    /// The documented template a concrete path matches.
    func template(for path: String) -> String? {
        let concrete = path.split(separator: "?").first.map(String.init) ?? path
        let parts = concrete.split(separator: "/", omittingEmptySubsequences: true)
        return paths.keys.first { template in
            let pattern = template.split(separator: "/", omittingEmptySubsequences: true)
            return pattern.count == parts.count && zip(pattern, parts).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        }
    }

    /// What is wrong with one exchange; empty when it conforms.
    func problems(method: String, path: String, status: UInt, contentType: String?, body: Data) -> [String] {
        let label = "\(method) \(path) → \(status)"
        guard let template = template(for: path), let operation = paths[template]?[method.lowercased()] as? [String: Any] else {
            return ["\(label): no such operation in openapi.yaml"]
        }
        guard let responses = operation["responses"] as? [String: Any],
              var response = (responses[String(status)] ?? responses["default"]) as? [String: Any] else {
            return ["\(label): status \(status) is not documented for \(method) \(template)"]
        }
        if let ref = response["$ref"] as? String { response = resolve(ref) ?? [:] }
        guard let content = response["content"] as? [String: Any] else { return body.isEmpty ? [] : ["\(label): a body where none is documented"] }
        let mediaType = contentType?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard let media = (content[mediaType] ?? content["*/*"]) as? [String: Any] else {
            return ["\(label): content type '\(mediaType)' not among \(content.keys.sorted())"]
        }
        guard mediaType.hasSuffix("json"), let schema = media["schema"] else { return [] }
        guard let json = try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) else {
            return ["\(label): the body is not JSON"]
        }
        return validate(json, against: schema, at: "$").map { "\(label): \($0)" }
    }

    func resolve(_ ref: String) -> [String: Any]? {
        guard ref.hasPrefix("#/") else { return nil }
        var node: Any? = document
        for key in ref.dropFirst(2).split(separator: "/") { node = (node as? [String: Any])?[String(key)] }
        return node as? [String: Any]
    }

    static let keywords: Set<String> = [
        "$ref", "type", "properties", "required", "additionalProperties", "items", "enum", "format", "minimum", "maximum",
        "pattern", "maxLength", "minLength", "minItems", "maxItems", "description", "contentMediaType",
    ]

    /// Validates `value` against a schema of the subset the document uses.
    func validate(_ value: Any, against schemaNode: Any, at path: String) -> [String] {
        guard var schema = schemaNode as? [String: Any] else { return ["\(path): schema is not an object"] }
        if let ref = schema["$ref"] as? String {
            guard let target = resolve(ref) else { return ["\(path): unresolvable \(ref)"] }
            schema = target
        }
        if let unknown = schema.keys.first(where: { !Self.keywords.contains($0) }) { return ["\(path): the checker does not know '\(unknown)'"] }
        var problems: [String] = []
        let types: [String] = (schema["type"] as? [String]) ?? (schema["type"] as? String).map { [$0] } ?? []
        if !types.isEmpty && !types.contains(where: { Self.value(value, is: $0) }) {
            return ["\(path): \(Self.describe(value)) is not \(types.joined(separator: " or "))"]
        }
        if let choices = schema["enum"] as? [Any], !choices.contains(where: { "\($0)" == "\(value)" }) {
            problems.append("\(path): '\(value)' is not one of \(choices)")
        }
        if let text = value as? String {
            if let pattern = schema["pattern"] as? String, text.range(of: pattern, options: .regularExpression) == nil {
                problems.append("\(path): '\(text)' does not match \(pattern)")
            }
            if let format = schema["format"] as? String, !Self.matches(text, format: format) {
                problems.append("\(path): '\(text)' is not a \(format)")
            }
            if let maxLength = schema["maxLength"] as? Int, text.count > maxLength { problems.append("\(path): longer than \(maxLength)") }
            if let minLength = schema["minLength"] as? Int, text.count < minLength { problems.append("\(path): shorter than \(minLength)") }
        }
        if let number = value as? NSNumber, !Self.isBoolean(value) {
            if let minimum = schema["minimum"] as? Double ?? (schema["minimum"] as? Int).map(Double.init), number.doubleValue < minimum {
                problems.append("\(path): \(number) < \(minimum)")
            }
            if let maximum = schema["maximum"] as? Double ?? (schema["maximum"] as? Int).map(Double.init), number.doubleValue > maximum {
                problems.append("\(path): \(number) > \(maximum)")
            }
        }
        if let array = value as? [Any], let maxItems = schema["maxItems"] as? Int, array.count > maxItems {
            problems.append("\(path): more than \(maxItems) items")
        }
        if let array = value as? [Any], let minItems = schema["minItems"] as? Int, array.count < minItems {
            problems.append("\(path): fewer than \(minItems) items")
        }
        if let object = value as? [String: Any] {
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for key in schema["required"] as? [String] ?? [] where object[key] == nil { problems.append("\(path): missing '\(key)'") }
            for (key, item) in object {
                if let property = properties[key] {
                    problems += validate(item, against: property, at: "\(path).\(key)")
                } else if let extra = schema["additionalProperties"] {
                    if extra as? Bool == false { problems.append("\(path): undocumented property '\(key)'") }
                    else if let extraSchema = extra as? [String: Any] { problems += validate(item, against: extraSchema, at: "\(path).\(key)") }
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] {
            for (index, item) in array.enumerated() { problems += validate(item, against: items, at: "\(path)[\(index)]") }
        }
        return problems
    }

    static func value(_ value: Any, is type: String) -> Bool {
        switch type {
        case "null": return value is NSNull
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "string": return value is String
        case "boolean": return isBoolean(value)
        case "integer": return (value as? NSNumber).map { !isBoolean(value) && $0.doubleValue.rounded() == $0.doubleValue } ?? false
        case "number": return value is NSNumber && !isBoolean(value)
        default: return false
        }
    }

    /// JSONSerialization gives booleans as NSNumbers of the C type `c`.
    static func isBoolean(_ value: Any) -> Bool {
        guard let number = value as? NSNumber else { return false }
        return String(cString: number.objCType) == "c"
    }

    static func matches(_ text: String, format: String) -> Bool {
        switch format {
        case "uuid": UUID(uuidString: text) != nil
        case "date": text.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) != nil
        case "date-time": text.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"#, options: .regularExpression) != nil
        default: true
        }
    }

    static func describe(_ value: Any) -> String {
        if value is NSNull { return "null" }
        if let text = value as? String { return "'\(text)'" }
        return "\(value)"
    }
}
