/// Reads one line of an import (RFC 8259 JSON, docs/import.md) straight into an `ImportedCaseLine`,
/// without Foundation's `JSONDecoder`: decoding through `Codable` containers was the larger part
/// of an import's CPU (each field a dynamic lookup, each string through an encoder object).
///
/// It takes what `JSONDecoder` takes and refuses what it refuses, with the refusal naming the
/// field (`ImportLineReaderTests` checks both against `JSONDecoder` on generated lines), in the same
/// order: a line that is no JSON object at all first; then a field the format does not have (the
/// first in alphabetical order); then each field in the order of the format's table — a required
/// one missing, or of the wrong type; the events last, each in turn the same way. Deliberately
/// stricter: a field given twice is refused (`JSONDecoder` keeps one of them silently), and a number
/// too large for a `Double` is refused by name (`JSONDecoder` says only that the data is corrupt).
struct ImportLineReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    /// The line's case, or its refusal in words naming the field.
    static func read(_ text: Substring) throws(ImportedCaseLine.Refusal) -> ImportedCaseLine {
        var text = text
        return try text.withUTF8 { bytes in
            var reader = ImportLineReader(bytes: bytes)
            return Result { () throws(ImportedCaseLine.Refusal) in try reader.line() }
        }.get()
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Deeper than this, a line is refused: no field of the format nests, and an unknown one is
    /// refused anyway — the limit keeps a hostile line from exhausting the stack.
    static let deepest = 512

    // MARK: The format

    private static let fields = ["externalId", "organization", "requester", "priority", "channel", "title", "description", "loggedAt", "region",
                                 "policyVersion", "cvss", "product", "version", "team", "assignee", "events"]
    private static let eventFields = ["at", "kind", "by", "value", "body", "resolution"]
    private static let required: Set<String> = ["externalId", "organization", "requester", "channel", "title", "description", "loggedAt"]
    private static let requiredOfEvents: Set<String> = ["at", "kind"]

    private mutating func line() throws(ImportedCaseLine.Refusal) -> ImportedCaseLine {
        skipSpace()
        guard peek == UInt8(ascii: "{") else { throw Self.notAnObject }
        let members = try object(.line, depth: 1)
        skipSpace()
        guard index == bytes.count else { throw Self.notAnObject }
        try Self.refuseUnknown(members, .line, at: "")
        var strings: [String?] = []
        var cvss: Double?
        var events: [ImportedCaseLine.Event]?
        for (position, field) in Self.fields.enumerated() {
            switch (field, members.known[position]) {
            case ("cvss", .number(let value)?): cvss = value
            case ("cvss", .null?), ("cvss", nil), ("events", .null?), ("events", nil): break
            case ("cvss", let other?): throw Self.mismatch(field, expected: "a number", found: other)
            case ("events", .array(let items)?): events = try Self.events(items)
            case ("events", let other?): throw Self.mismatch(field, expected: "an array", found: other)
            default: strings.append(try Self.string(members.known[position], field, required: Self.required.contains(field), at: ""))
            }
        }
        var line = ImportedCaseLine(externalId: strings[0]!, organization: strings[1]!, requester: strings[2]!, priority: strings[3], channel: strings[4]!,
                                    title: strings[5]!, description: strings[6]!, loggedAt: strings[7]!)
        (line.region, line.policyVersion, line.cvss, line.product, line.version) = (strings[8], strings[9], cvss, strings[10], strings[11])
        (line.team, line.assignee, line.events) = (strings[12], strings[13], events)
        return line
    }

    private static func events(_ items: [Value]) throws(ImportedCaseLine.Refusal) -> [ImportedCaseLine.Event] {
        var events: [ImportedCaseLine.Event] = []
        events.reserveCapacity(items.count)
        for (position, item) in items.enumerated() {
            let path = "events[\(position)]"
            guard case .object(let members) = item else { throw mismatch(path, expected: "an object", found: item) }
            try refuseUnknown(members, .event, at: path)
            var strings: [String?] = []
            for (position, field) in eventFields.enumerated() {
                strings.append(try string(members.known[position], field, required: requiredOfEvents.contains(field), at: path + "."))
            }
            events.append(ImportedCaseLine.Event(at: strings[0]!, kind: strings[1]!, by: strings[2], value: strings[3], body: strings[4],
                                                 resolution: strings[5]))
        }
        return events
    }

    /// A string field's value: a required one missing or null, or one of another type, refused
    /// by name (`prefix` + field).
    private static func string(_ value: Value?, _ field: String, required: Bool, at prefix: String) throws(ImportedCaseLine.Refusal) -> String? {
        switch value {
        case .string(let text)?: return text
        case nil where required: throw ImportedCaseLine.Refusal(message: "\(prefix)\(field) is required")
        case .null? where required: throw ImportedCaseLine.Refusal(message: "\(prefix)\(field): a string is expected, not null")
        case .null?, nil: return nil
        case let other?: throw mismatch(prefix + field, expected: "a string", found: other)
        }
    }

    private static func refuseUnknown(_ members: Members, _ level: Level, at path: String) throws(ImportedCaseLine.Refusal) {
        if let unknown = members.unknown.min() {
            throw ImportedCaseLine.Refusal(message: "\(path.isEmpty ? "" : path + ": ")unknown field '\(unknown)'; fields: \(level.fields.sorted().joined(separator: ", "))")
        }
    }

    private static func mismatch(_ path: String, expected: String, found: Value) -> ImportedCaseLine.Refusal {
        ImportedCaseLine.Refusal(message: "\(path): \(expected) is expected, not \(found.kind)")
    }

    private static let notAnObject = ImportedCaseLine.Refusal(message: "not a JSON object")

    // MARK: JSON

    /// A value of a known field (unknown fields' values are only checked and skipped).
    private enum Value {
        case string(String)
        case number(Double)
        case bool
        case null
        case array([Value])
        case object(Members)

        var kind: String {
            switch self {
            case .string: "a string"
            case .number: "a number"
            case .bool: "true or false"
            case .null: "null"
            case .array: "an array"
            case .object: "an object"
            }
        }
    }

    /// An object's members: the values of the known fields by their place in the format's list,
    /// and the names of the others.
    private struct Members {
        var known: [Value?]
        var unknown: [String] = []
    }

    private var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    /// What an object is: the line, one of its events, or anything else (an unknown field's value).
    private enum Level {
        case line, event, other

        var fields: [String] {
            switch self {
            case .line: ImportLineReader.fields
            case .event: ImportLineReader.eventFields
            case .other: []
            }
        }
    }

    /// The object at `index` (its `{`), its members sorted into `level`'s fields and the rest.
    private mutating func object(_ level: Level, depth: Int) throws(ImportedCaseLine.Refusal) -> Members {
        guard depth <= Self.deepest else { throw Self.notAnObject }
        let fields = level.fields
        index += 1
        var members = Members(known: Array(repeating: nil, count: fields.count))
        var seen: Set<String> = []
        skipSpace()
        if peek == UInt8(ascii: "}") {
            index += 1
            return members
        }
        while true {
            skipSpace()
            guard peek == UInt8(ascii: "\"") else { throw Self.notAnObject }
            let key = try string()
            skipSpace()
            guard peek == UInt8(ascii: ":") else { throw Self.notAnObject }
            index += 1
            skipSpace()
            if level != .other, !seen.insert(key).inserted { throw ImportedCaseLine.Refusal(message: "the field '\(key)' is given twice") }
            if let position = fields.firstIndex(of: key) {
                members.known[position] = try value(depth: depth + 1, events: level == .line && key == "events")
            } else {
                if level != .other { members.unknown.append(key) }
                _ = try value(depth: depth + 1, events: false)
            }
            skipSpace()
            switch peek {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                return members
            default: throw Self.notAnObject
            }
        }
    }

    /// The value at `index`. Objects and arrays are checked and only their kind kept, except the
    /// line's events (`events`): an array whose objects are events.
    private mutating func value(depth: Int, events: Bool) throws(ImportedCaseLine.Refusal) -> Value {
        guard depth <= Self.deepest, let byte = peek else { throw Self.notAnObject }
        switch byte {
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "{"): return .object(try object(.other, depth: depth))
        case UInt8(ascii: "["):
            index += 1
            var items: [Value] = []
            skipSpace()
            if peek == UInt8(ascii: "]") {
                index += 1
                return .array(items)
            }
            while true {
                skipSpace()
                if events, peek == UInt8(ascii: "{") {
                    items.append(.object(try object(.event, depth: depth + 1)))
                } else {
                    let item = try value(depth: depth + 1, events: false)
                    if events { items.append(item) }
                }
                skipSpace()
                switch peek {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "]"):
                    index += 1
                    return .array(items)
                default: throw Self.notAnObject
                }
            }
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            try literal(byte == UInt8(ascii: "t") ? "true" : "false")
            return .bool
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        default:
            return .number(try number())
        }
    }

    private mutating func literal(_ word: StaticString) throws(ImportedCaseLine.Refusal) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw Self.notAnObject }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { throw Self.notAnObject }
        index += count
    }

    /// A JSON number: `-`, digits without a leading zero, a fraction, an exponent.
    private mutating func number() throws(ImportedCaseLine.Refusal) -> Double {
        let start = index
        func digits() -> Int {
            let first = index
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
            return index - first
        }
        if peek == UInt8(ascii: "-") { index += 1 }
        if peek == UInt8(ascii: "0") {
            index += 1
        } else {
            guard digits() > 0 else { throw Self.notAnObject }
        }
        if peek == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { throw Self.notAnObject }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            index += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw Self.notAnObject }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw ImportedCaseLine.Refusal(message: "the number \(text) is too large")
        }
        return value
    }

    /// A JSON string at `index` (its opening quote), its escapes undone.
    private mutating func string() throws(ImportedCaseLine.Refusal) -> String {
        index += 1
        let start = index
        // Most strings have no escape: taken as they are.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<(index - 1)]), as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") { break }
            guard byte >= 0x20 else { throw Self.notAnObject }
            index += 1
        }
        var decoded = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: decoded, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let escaped = peek else { throw Self.notAnObject }
                index += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(escaped)
                case UInt8(ascii: "b"): decoded.append(0x08)
                case UInt8(ascii: "f"): decoded.append(0x0C)
                case UInt8(ascii: "n"): decoded.append(0x0A)
                case UInt8(ascii: "r"): decoded.append(0x0D)
                case UInt8(ascii: "t"): decoded.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800...0xDBFF).contains(scalar) {
                        // A high surrogate must be followed by an escaped low one.
                        guard peek == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else { throw Self.notAnObject }
                        index += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw Self.notAnObject }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        throw Self.notAnObject
                    }
                    decoded.append(contentsOf: Unicode.UTF8.encode(Unicode.Scalar(scalar)!)!)
                default: throw Self.notAnObject
                }
            default:
                guard byte >= 0x20 else { throw Self.notAnObject }
                decoded.append(byte)
            }
        }
        throw Self.notAnObject
    }

    private mutating func hex4() throws(ImportedCaseLine.Refusal) -> UInt32 {
        guard index + 4 <= bytes.count else { throw Self.notAnObject }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            index += 1
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw Self.notAnObject
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }
}
