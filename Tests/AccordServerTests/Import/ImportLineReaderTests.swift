import AccordTestSupport
import Foundation
import PropertyBased
import Testing
@testable import AccordServer

/// The import's own JSON reader against Foundation's `JSONDecoder` (with the format's rules written
/// as `Decodable` below): on generated lines, valid or damaged, both take the same case or both
/// refuse, for the same reason and naming the same field.
struct ImportLineReaderTests {
    @Test func readsEveryLineAsJSONDecoderDoes() async {
        await propertyCheck(count: 3000, input: Gen.int(in: 0...Int.max)) { seed in
            var random = SplitMix64(state: UInt64(seed))
            let text = Self.line(&random)
            Self.expectSameReading(text)
        }
    }

    @Test func aWorkedLine() throws {
        let text = #"  {"externalId":"zd-1","organization":"Fjord Design AS","requester":"ola@fjord.test","priority":null,"channel":"email","#
            + #""title":"Crash \"on\" save \u00e6\ud83d\ude00\/\t","description":"D","loggedAt":"2026-04-01T14:00:00+02:00","cvss":9.8e0,"#
            + #""events":[{"at":"2026-04-01T14:20:00+02:00","kind":"public-reply","body":"Fixed","by":null}]} "#
        let line = try ImportLineReader.read(Substring(text))
        #expect(line.title == "Crash \"on\" save æ😀/\t")
        #expect(line.priority == nil && line.cvss == 9.8)
        #expect(line.events == [ImportedCaseLine.Event(at: "2026-04-01T14:20:00+02:00", kind: "public-reply", body: "Fixed")])
        Self.expectSameReading(text)
    }

    @Test func refusalsNameTheField() {
        let good = #"{"externalId":"x","organization":"o","requester":"r","channel":"web","title":"t","description":"d","loggedAt":"l"}"#
        let cases: [(String, String)] = [
            (good.replacingOccurrences(of: #""title":"t""#, with: #""title":5"#), "title: a string is expected, not a number"),
            (good.replacingOccurrences(of: #""title":"t""#, with: #""title":null"#), "title: a string is expected, not null"),
            (good.replacingOccurrences(of: #","title":"t""#, with: ""), "title is required"),
            (good.replacingOccurrences(of: "}", with: #","cvss":"9.8"}"#), "cvss: a number is expected, not a string"),
            (good.replacingOccurrences(of: "}", with: #","events":{}}"#), "events: an array is expected, not an object"),
            (good.replacingOccurrences(of: "}", with: #","events":[{"at":"a"}]}"#), "events[0].kind is required"),
            (good.replacingOccurrences(of: "}", with: #","events":[{"at":"a","kind":"k"},7]}"#), "events[1]: an object is expected, not a number"),
            (good.replacingOccurrences(of: "}", with: #","zeta":1,"alpha":[{"b":2}]}"#), "unknown field 'alpha'"),
            (good.replacingOccurrences(of: "}", with: #","title":"again"}"#), "the field 'title' is given twice"),
            (good.replacingOccurrences(of: "}", with: #","cvss":1e999}"#), "the number 1e999 is too large"),
            (good + "x", "not a JSON object"),
            (good.replacingOccurrences(of: "}", with: ", }"), "not a JSON object"),
            (good.replacingOccurrences(of: "}", with: #","events":[{"at":"a","kind":"k"},]}"#), "not a JSON object"),
            (#"["a"]"#, "not a JSON object"),
            (String(repeating: "[", count: 100_000), "not a JSON object"),
            (good.replacingOccurrences(of: "}", with: #","zeta":"# + String(repeating: "[", count: 600) + String(repeating: "]", count: 600) + "}"),
             "not a JSON object"),
            (good.replacingOccurrences(of: #""t""#, with: #""\ud800""#), "not a JSON object"),
            (good.replacingOccurrences(of: #""t""#, with: "\"a\u{01}\""), "not a JSON object"),
            (good.replacingOccurrences(of: #""t""#, with: #""\x""#), "not a JSON object"),
        ]
        for (text, expected) in cases {
            #expect(throws: ImportedCaseLine.Refusal.self) { try ImportLineReader.read(Substring(text)) }
            do {
                _ = try ImportLineReader.read(Substring(text))
            } catch {
                #expect(error.message.hasPrefix(expected), "\(text.prefix(120)): \(error.message)")
            }
        }
    }

    // MARK: The reference

    /// What `JSONDecoder` makes of `text`, and what the reader makes of it, agree. `JSONDecoder`
    /// undoes a string's escapes only when it decodes that field, so a line whose structure is
    /// JSON but one of whose strings is not may be refused for a field decoded before it; the
    /// reader refuses such a line as no JSON at all, as `JSONSerialization`, which reads every
    /// string at once, finds it. One deliberate difference: Foundation takes a comma before a
    /// closing `}` or `]`, which JSON (RFC 8259) does not; the reader refuses it (`hasTrailingComma`).
    static func expectSameReading(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let actual: Result<ImportedCaseLine, ImportedCaseLine.Refusal> = Result { () throws(ImportedCaseLine.Refusal) in try ImportLineReader.read(Substring(text)) }
        guard !hasTrailingComma(text), (try? JSONSerialization.jsonObject(with: Data(text.utf8))) != nil else {
            #expect(throws: Never.self, sourceLocation: sourceLocation) {
                guard case .failure(let refusal) = actual, refusal.message == "not a JSON object" else { throw ImportedCaseLine.Refusal(message: "\(actual): \(text)") }
            }
            return
        }
        let expected = reference(text)
        switch (expected, actual) {
        case (.success(let expected), .success(let actual)):
            #expect(expected == actual, "\(text)", sourceLocation: sourceLocation)
        case (.failure(let reason), .failure(let refusal)):
            #expect(reason.agrees(with: refusal.message), "\(text)\nJSONDecoder: \(reason)\nreader: \(refusal.message)", sourceLocation: sourceLocation)
        case (.success, .failure(let refusal)):
            Issue.record("JSONDecoder took what the reader refused (\(refusal.message)): \(text)", sourceLocation: sourceLocation)
        case (.failure(let reason), .success):
            Issue.record("the reader took what JSONDecoder refused (\(reason)): \(text)", sourceLocation: sourceLocation)
        }
    }

    /// Whether `text` has a comma before a closing `}` or `]` outside its strings: JSON that
    /// Foundation's parser takes and RFC 8259 does not.
    static func hasTrailingComma(_ text: String) -> Bool {
        var inString = false, escaped = false, comma = false
        for scalar in text.unicodeScalars {
            if inString {
                if escaped { escaped = false } else if scalar == "\\" { escaped = true } else if scalar == "\"" { inString = false }
                continue
            }
            switch scalar {
            case "\"": inString = true; comma = false
            case ",": comma = true
            case "}", "]": if comma { return true }
            case " ", "\t", "\r", "\n": break
            default: comma = false
            }
        }
        return false
    }

    /// Why `JSONDecoder` refused a line.
    enum Reason: Error, CustomStringConvertible {
        case notJSON
        case unknown(String)
        case missing(String)
        case mismatch(String)

        var description: String {
            switch self {
            case .notJSON: "not JSON"
            case .unknown(let message): message
            case .missing(let path): "\(path) is required"
            case .mismatch(let path): "\(path): of another type"
            }
        }

        func agrees(with message: String) -> Bool {
            switch self {
            case .notJSON: message == "not a JSON object"
            // A line that is JSON but no object: JSONDecoder finds the wrong type at the top.
            case .mismatch(let path) where path.isEmpty: message == "not a JSON object"
            case .unknown(let expected): message == expected
            case .missing(let path): message == "\(path) is required"
            case .mismatch(let path): message.hasPrefix("\(path): ") && message.contains(" is expected, not ")
            }
        }
    }

    static func reference(_ text: String) -> Result<ImportedCaseLine, Reason> {
        do {
            return .success(try JSONDecoder().decode(ImportedCaseLine.self, from: Data(text.utf8)))
        } catch let refusal as ImportedCaseLine.Refusal {
            return .failure(.unknown(refusal.message))
        } catch let DecodingError.keyNotFound(key, context) {
            return .failure(.missing(path(context.codingPath + [key])))
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            return .failure(.mismatch(path(context.codingPath)))
        } catch {
            return .failure(.notJSON)
        }
    }

    static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
    }

    // MARK: Generated lines

    static let fields = ["externalId", "organization", "requester", "priority", "channel", "title", "description", "loggedAt", "region",
                         "policyVersion", "cvss", "product", "version", "team", "assignee", "events"]
    static let required: Set<String> = ["externalId", "organization", "requester", "channel", "title", "description", "loggedAt"]
    static let eventFields = ["at", "kind", "by", "value", "body", "resolution"]

    /// A line: mostly well formed, its fields sometimes missing, null, of another type or unknown,
    /// written with random spacing and escapes; now and then cut short or with a byte changed.
    static func line(_ random: inout SplitMix64) -> String {
        var text = object(fields, required: required, depth: 0, &random)
        switch Int.random(in: 0..<20, using: &random) {
        case 0 where !text.isEmpty:
            text = String(text.prefix(Int.random(in: 0..<text.count, using: &random)))
        case 1 where !text.isEmpty:
            var scalars = Array(text.unicodeScalars)
            let damage: [Unicode.Scalar] = ["{", "}", "[", "]", ",", ":", "\"", "\\", "x", "0", " ", "\u{01}", "n"]
            scalars[Int.random(in: 0..<scalars.count, using: &random)] = damage.randomElement(using: &random)!
            text = String(String.UnicodeScalarView(scalars))
        default: break
        }
        return space(&random) + text + space(&random)
    }

    static func object(_ fields: [String], required: Set<String>, depth: Int, _ random: inout SplitMix64) -> String {
        var members: [String] = []
        for field in fields.shuffled(using: &random) {
            let roll = Int.random(in: 0..<40, using: &random)
            if roll == 0 && required.contains(field) { continue }
            if roll < 8 && !required.contains(field) { continue }
            let value: String
            switch (field, roll) {
            case (_, 8): value = "null"
            case (_, 9): value = other(&random)
            case ("cvss", _): value = number(&random)
            case ("events", _) where depth == 0:
                let count = Int.random(in: 0...3, using: &random)
                value = "[" + (0..<count).map { _ in
                    Int.random(in: 0..<30, using: &random) == 0 ? other(&random) : object(eventFields, required: ["at", "kind"], depth: 1, &random)
                }.joined(separator: "," + space(&random)) + "]"
            default: value = string(&random)
            }
            members.append(quoted(field, &random) + space(&random) + ":" + space(&random) + value)
        }
        if Int.random(in: 0..<15, using: &random) == 0 {
            members.insert(quoted(["colour", "prioritee", "Title", "events2", "é"].randomElement(using: &random)!, &random) + ":" + other(&random),
                           at: Int.random(in: 0...members.count, using: &random))
        }
        return "{" + space(&random) + members.joined(separator: space(&random) + "," + space(&random)) + space(&random) + "}"
    }

    static func space(_ random: inout SplitMix64) -> String {
        String((0..<Int.random(in: 0...2, using: &random)).map { _ in [" ", "\t", "\r", "\n"].randomElement(using: &random)! })
    }

    /// A value of another kind than a field expects.
    static func other(_ random: inout SplitMix64) -> String {
        ["true", "false", "[]", "[1, \"a\", {\"b\": null}]", "{}", "{\"x\": [true]}", "-0", "12", "3.5e-2", "\"text\""].randomElement(using: &random)!
    }

    static func number(_ random: inout SplitMix64) -> String {
        switch Int.random(in: 0..<4, using: &random) {
        case 0: String(Int.random(in: -20...20, using: &random))
        case 1: String(format: "%.1f", Double.random(in: 0...10, using: &random))
        case 2: "\(Int.random(in: 0...9, using: &random)).\(Int.random(in: 0...99, using: &random))e\(Int.random(in: -3...3, using: &random))"
        default: "-0.0"
        }
    }

    static func string(_ random: inout SplitMix64) -> String {
        let pool: [Character] = ["a", "Z", "0", " ", "-", "é", "ø", "日", "😀", "\"", "\\", "/", "\n", "\t", "\u{01}", "\u{7F}", "'", "@", "\u{2028}"]
        let text = String((0..<Int.random(in: 0...12, using: &random)).map { _ in pool.randomElement(using: &random)! })
        return quoted(text, &random)
    }

    /// `text` as a JSON string, each character written plainly or escaped at random.
    static func quoted(_ text: String, _ random: inout SplitMix64) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            let escape = Int.random(in: 0..<4, using: &random) == 0
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += escape ? "\\u000A" : "\\n"
            case "\t": out += escape ? "\\u0009" : "\\t"
            case "/": out += escape ? "\\/" : "/"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            case _ where escape:
                for unit in String(scalar).utf16 { out += String(format: Bool.random(using: &random) ? "\\u%04x" : "\\u%04X", unit) }
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// The format's rules read through `Codable`, as the import read its lines before it had a reader
/// of its own: a field it does not have refused by name, each field of its type.
extension ImportedCaseLine: Decodable {
    struct AnyKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    static func refuseUnknownKeys(_ decoder: any Decoder, _ known: [String]) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        if let unknown = container.allKeys.map(\.stringValue).sorted().first(where: { !known.contains($0) }) {
            let path = ImportLineReaderTests.path(decoder.codingPath)
            throw Refusal(message: "\(path.isEmpty ? "" : path + ": ")unknown field '\(unknown)'; fields: \(known.sorted().joined(separator: ", "))")
        }
    }

    init(from decoder: any Decoder) throws {
        try Self.refuseUnknownKeys(decoder, ImportLineReaderTests.fields)
        let c = try decoder.container(keyedBy: AnyKey.self)
        func key(_ name: String) -> AnyKey { AnyKey(stringValue: name) }
        let externalId = try c.decode(String.self, forKey: key("externalId"))
        let organization = try c.decode(String.self, forKey: key("organization"))
        let requester = try c.decode(String.self, forKey: key("requester"))
        let priority = try c.decodeIfPresent(String.self, forKey: key("priority"))
        let channel = try c.decode(String.self, forKey: key("channel"))
        let title = try c.decode(String.self, forKey: key("title"))
        let description = try c.decode(String.self, forKey: key("description"))
        let loggedAt = try c.decode(String.self, forKey: key("loggedAt"))
        self.init(externalId: externalId, organization: organization, requester: requester, priority: priority, channel: channel, title: title,
                  description: description, loggedAt: loggedAt)
        region = try c.decodeIfPresent(String.self, forKey: key("region"))
        policyVersion = try c.decodeIfPresent(String.self, forKey: key("policyVersion"))
        cvss = try c.decodeIfPresent(Double.self, forKey: key("cvss"))
        product = try c.decodeIfPresent(String.self, forKey: key("product"))
        version = try c.decodeIfPresent(String.self, forKey: key("version"))
        team = try c.decodeIfPresent(String.self, forKey: key("team"))
        assignee = try c.decodeIfPresent(String.self, forKey: key("assignee"))
        events = try c.decodeIfPresent([Event].self, forKey: key("events"))
    }
}

extension ImportedCaseLine.Event: Decodable {
    init(from decoder: any Decoder) throws {
        try ImportedCaseLine.refuseUnknownKeys(decoder, ImportLineReaderTests.eventFields)
        let c = try decoder.container(keyedBy: ImportedCaseLine.AnyKey.self)
        func key(_ name: String) -> ImportedCaseLine.AnyKey { ImportedCaseLine.AnyKey(stringValue: name) }
        self.init(at: try c.decode(String.self, forKey: key("at")), kind: try c.decode(String.self, forKey: key("kind")),
                  by: try c.decodeIfPresent(String.self, forKey: key("by")), value: try c.decodeIfPresent(String.self, forKey: key("value")),
                  body: try c.decodeIfPresent(String.self, forKey: key("body")), resolution: try c.decodeIfPresent(String.self, forKey: key("resolution")))
    }
}
