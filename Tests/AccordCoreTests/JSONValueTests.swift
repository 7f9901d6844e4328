import Foundation
import PropertyBased
import Testing
@testable import AccordCore

/// The batch's hand-written JSON parser agrees with Foundation's `JSONSerialization`.
@Suite struct JSONValueTests {
    /// Converts JSONSerialization's output into a JSONValue for comparison.
    static func value(_ any: Any) -> JSONValue {
        switch any {
        case is NSNull: return .null
        case let number as NSNumber where String(cString: number.objCType) == "c": return .bool(number.boolValue)
        case let number as NSNumber: return .number(number.doubleValue)
        case let string as String: return .string(string)
        case let array as [Any]: return .array(array.map(value))
        case let object as [String: Any]: return .object(object.keys.sorted().map { ($0, value(object[$0]!)) })
        default: fatalError("unexpected \(type(of: any))")
        }
    }

    static func sortedKeys(_ v: JSONValue) -> JSONValue {
        switch v {
        case .array(let a): .array(a.map(sortedKeys))
        case .object(let o): .object(o.sorted { $0.0 < $1.0 }.map { ($0.0, sortedKeys($0.1)) })
        default: v
        }
    }

    static let pieces = [
        "\"plain\"", "\"esc\\\"aped\\\\ \\/ \\b\\f\\n\\r\\t\"", "\"\\u00e9\\u20AC\"", "\"\\ud83d\\ude00 emoji\"", "\"æøå 😀\"",
        "0", "-0", "12", "-3.25", "1e3", "2.5E-2", "7.0", "true", "false", "null", "[]", "{}", "[1, \"a\", [null]]",
        "{\"x\": {\"y\": [true, false]}}",
    ]

    @Test func agreesWithJSONSerializationOnObjectsBuiltFromPieces() async throws {
        await propertyCheck(count: 300, input: Gen.int(in: 0...18).array(of: 0...8), Gen.int(in: 0...3)) { indices, spacing in
            let space = String(repeating: " ", count: spacing)
            let text = "{" + indices.enumerated().map { "\(space)\"k\($0.offset)\"\(space):\(space)\(Self.pieces[$0.element])" }.joined(separator: ",") + "\(space)}"
            let expected = Self.value(try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]))
            #expect(Self.sortedKeys(try JSONValue.parse(text)) == expected, "\(text)")
        }
    }

    @Test func refusesWhatJSONSerializationRefuses() {
        for bad in ["", "{", "{\"a\"}", "{\"a\":}", "01", "1.", "-", ".5", "+1", "\"\\x\"", "\"\\ud800\"",
                    "\"tab\there\"", "tru", "nul", "{\"a\":1} x", "{'a':1}", "[\"unclosed", "1e", "{\"a\" 1}"] {
            #expect((try? JSONValue.parse(bad)) == nil, "\(bad)")
            #expect((try? JSONSerialization.jsonObject(with: Data(bad.utf8), options: [.fragmentsAllowed])) == nil, "\(bad)")
        }
    }

    @Test func trailingCommasAreRefusedAsRFC8259Says() {
        // Foundation tolerates these; the batch follows the standard.
        #expect((try? JSONValue.parse("{\"a\":1,}")) == nil)
        #expect((try? JSONValue.parse("[1,]")) == nil)
    }

    @Test func errorsSayWhereAndWhat() {
        #expect(throws: JSONParseError(offset: 7, message: "expected ',' or '}' in an object")) { try JSONValue.parse("{\"a\":1 \"b\":2}") }
        #expect(throws: JSONParseError(offset: 0, message: "unexpected end of input")) { try JSONValue.parse("") }
    }

    /// What a reader must not guess at: an infinite number, bytes that are not UTF-8, a member given
    /// twice — each refused with the member it is in.
    @Test func outOfRangeNumbersMalformedUTF8AndRepeatedMembersAreRefusedWithTheirPlace() throws {
        func refusal(_ bytes: [UInt8]) -> JSONParseError? {
            do { _ = try bytes.withUnsafeBufferPointer { try JSONValue.parse(utf8: $0) }; return nil } catch { return error as? JSONParseError }
        }
        #expect(refusal(Array(#"{"cvss":1e999}"#.utf8))?.path == "cvss")
        #expect(refusal(Array(#"{"cvss":1e999}"#.utf8))?.message == "number 1e999 is out of range")
        #expect(refusal(Array(#"{"cvss":-1e400}"#.utf8))?.path == "cvss")
        #expect(refusal(Array(#"{"title":""#.utf8) + [0xFF, 0xFE] + Array(#""}"#.utf8))?.message == "malformed UTF-8 in a string")
        #expect(refusal(Array(#"{"title":""#.utf8) + [0xC3] + Array(#""}"#.utf8))?.path == "title")
        #expect(refusal(Array(#"{"t":"a\n"#.utf8) + [0xED, 0xA0, 0x80] + Array(#""}"#.utf8))?.path == "t", "an encoded surrogate after an escape")
        #expect(refusal(Array(#"{"a":1,"a":2}"#.utf8))?.message == "member 'a' is given twice")
        #expect(refusal(Array(#"{"cc":["x", 1e400]}"#.utf8))?.path == "cc[1]")
        #expect(refusal(Array(#"{"p":[["a","b"],["c",{"d":1e999}]]}"#.utf8))?.path == "p[1][1].d")
        #expect(refusal(Array(#"{"a":1,"a":2}"#.utf8))?.description == "member 'a' is given twice in 'a' at byte 11")
        // Large but finite numbers and every valid UTF-8 text still parse.
        #expect(try JSONValue.parse(#"{"n":1.7976931348623157e308,"s":"æøå 😀 é"}"#) == .object([("n", .number(.greatestFiniteMagnitude)), ("s", .string("æøå 😀 é"))]))
    }

    @Test func deepNestingIsRefusedNotACrash() {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(String(repeating: "[", count: 10_000)) }
    }
}
