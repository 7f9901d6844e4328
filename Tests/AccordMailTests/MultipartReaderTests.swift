@testable import AccordMail
import AccordTestSupport
import Foundation
import PropertyBased
import Testing

/// The streaming multipart reader: every part back exactly, however the body is cut into
/// pieces; refusals of what is not multipart; and the header parameters clients send.
@Suite struct MultipartReaderTests {
    struct Part: Equatable {
        var headers: [(String, String)]
        var content: [UInt8]

        static func == (lhs: Self, rhs: Self) -> Bool {
            lhs.content == rhs.content && lhs.headers.map(\.0) == rhs.headers.map(\.0) && lhs.headers.map(\.1) == rhs.headers.map(\.1)
        }
    }

    /// A body as RFC 2046 lays it out (with `preamble` and `epilogue` around the parts).
    static func encode(_ parts: [Part], boundary: String, preamble: String = "", epilogue: String = "") -> [UInt8] {
        var body = Array(preamble.utf8)
        for (index, part) in parts.enumerated() {
            body += Array(((index == 0 && preamble.isEmpty) ? "" : "\r\n").utf8) + Array("--\(boundary)\r\n".utf8)
            for (name, value) in part.headers { body += Array("\(name): \(value)\r\n".utf8) }
            body += Array("\r\n".utf8) + part.content
        }
        body += Array("\r\n--\(boundary)--".utf8) + Array(epilogue.utf8)
        return body
    }

    /// Reads `body` in pieces of the given sizes (cycled), gathering the parts.
    static func read(_ body: [UInt8], boundary: String, pieces sizes: [Int]) throws -> [Part] {
        var reader = try MultipartReader(boundary: boundary)
        var parts: [Part] = []
        var offset = 0, turn = 0
        while offset < body.count {
            let size = max(1, sizes[turn % sizes.count])
            turn += 1
            let end = min(body.count, offset + size)
            for event in try reader.read(body[offset..<end]) {
                switch event {
                case .part(let headers): parts.append(Part(headers: headers.fields.map { ($0.name, $0.value) }, content: []))
                case .bytes(let bytes): parts[parts.count - 1].content += bytes
                case .partEnd: break
                }
            }
            offset = end
        }
        try reader.finish()
        return parts
    }

    /// The mail tests generate their messages with the shared deterministic generator.
    typealias Random = SplitMix64

    @Test func everyPartComesBackExactlyHoweverTheBodyIsCut() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...1_000_000_000)) { seed in
            var random = Random(state: UInt64(seed))
            let boundary = ["b", "----WebKitFormBoundary7MA4YWxkTrZu0gW", "x-x", String(repeating: "-", count: 20)][random.int(0...3)]
            // Contents made of what trips a reader: line breaks, dashes, pieces of the boundary.
            let alphabet: [[UInt8]] = [[13], [10], [13, 10], Array("-".utf8), Array("--".utf8), Array(boundary.utf8),
                                       Array("\r\n--".utf8), Array("\r\n--\(boundary.dropLast())".utf8), [0], [0xFF], Array("abc".utf8)]
            var parts: [Part] = []
            for index in 0..<random.int(1...4) {
                var content: [UInt8] = []
                for _ in 0..<random.int(0...40) { content += alphabet[random.int(0...(alphabet.count - 1))] }
                if random.int(0...5) == 0 { content += [UInt8](repeating: UInt8(ascii: "z"), count: random.int(1000...70_000)) }
                // A sender picks a boundary its content does not hold (RFC 2046): drop what would hold it.
                while MultipartReader.find(Array("\r\n--\(boundary)".utf8), in: [13, 10] + content + [13, 10]) != nil {
                    content.removeLast()
                }
                parts.append(Part(headers: [("Content-Disposition", "form-data; name=\"f\(index)\"; filename=\"n\(index).bin\""),
                                            ("Content-Type", "application/octet-stream")], content: content))
            }
            let preamble = random.int(0...3) == 0 ? "ignored preamble\r\n" : ""
            let body = Self.encode(parts, boundary: boundary, preamble: preamble, epilogue: random.int(0...1) == 0 ? "" : "\r\nepilogue")
            let sizes = (0..<random.int(1...5)).map { _ in [1, 2, 3, 7, 64, 4096, 100_000][random.int(0...6)] }
            let read = try? Self.read(body, boundary: boundary, pieces: sizes)
            #expect(read == parts, "seed \(seed), pieces \(sizes)")
        }
    }

    @Test func whatBrowsersAndCurlSendIsRead() throws {
        // As curl -F 'file=@report.txt' sends it, and a browser with a UTF-8 name and an RFC 5987 name.
        let body = Array("""
            --------------------------d74496d66958873e\r
            Content-Disposition: form-data; name="file"; filename="report.txt"\r
            Content-Type: text/plain\r
            \r
            line one
            line two\r
            --------------------------d74496d66958873e\r
            Content-Disposition: form-data; name="other"; filename="rapport-æøå \\"final\\".txt"\r
            \r
            x\r
            --------------------------d74496d66958873e\r
            Content-Disposition: form-data; name=third; filename*=UTF-8''%E6%97%A5%E6%9C%AC.txt; filename="fallback.txt"\r
            \r
            \r
            --------------------------d74496d66958873e--\r\n
            """.utf8)
        var reader = try MultipartReader(boundary: "------------------------d74496d66958873e")
        let events = try reader.read(body)
        try reader.finish()
        let headers = events.compactMap { event -> PartHeaders? in if case .part(let headers) = event { headers } else { nil } }
        #expect(headers.map(\.name) == ["file", "other", "third"])
        #expect(headers.map(\.filename) == ["report.txt", "rapport-æøå \"final\".txt", "日本.txt"])
        #expect(headers.map(\.contentType) == ["text/plain", nil, nil])
        let contents = events.compactMap { event -> String? in if case .bytes(let bytes) = event { String(decoding: bytes, as: UTF8.self) } else { nil } }
        #expect(contents == ["line one\nline two", "x"])
    }

    @Test func whatIsNotMultipartIsRefusedNamingTheProblem() throws {
        func problem(_ text: [UInt8], boundary: String = "b") -> String? {
            do {
                var reader = try MultipartReader(boundary: boundary)
                _ = try reader.read(text)
                try reader.finish()
                return nil
            } catch let malformed as MultipartReader.Malformed {
                return malformed.description
            } catch {
                return "\(error)"
            }
        }
        #expect(problem(Array("--b\r\nContent-Type: text/plain\r\nX-".utf8) + [0xE7, 0xB6, 0xA4] + Array(": v\r\n\r\nx\r\n--b--".utf8))
                == "part 1 has a header name that is not ASCII")
        #expect(problem(Array("--b\r\nno colon here\r\n\r\nx\r\n--b--".utf8)) == "part 1 has a header line without a colon")
        #expect(problem(Array("--b\r\n\r\nx\r\n--b".utf8)) == "the body ends before its closing boundary")
        #expect(problem(Array("no delimiter at all".utf8)) == "the body holds no multipart part")
        #expect(problem(Array("--bX\r\n\r\nx\r\n--b--".utf8)) == "a multipart boundary is followed by something other than a line break")
        #expect(problem(Array("--b junk\r\n\r\nx\r\n--b--".utf8)) == "a multipart boundary is followed by something other than a line break")
        #expect(problem(Array("--b\r\nX: ".utf8) + [UInt8](repeating: 97, count: 20_000) + Array("\r\n\r\nx\r\n--b--".utf8))
                == "part 1 has more than 16 KB of headers")
        #expect(problem(Array((0..<65).map { _ in "--b\r\n\r\nx\r\n" }.joined().utf8) + Array("--b--".utf8)) == "the body has more than 64 parts")
        #expect(problem([], boundary: "") == "the multipart boundary must be 1 to 70 printable ASCII characters")
        #expect(problem([], boundary: String(repeating: "b", count: 71)) == "the multipart boundary must be 1 to 70 printable ASCII characters")
        // Transport padding after a boundary, an empty part and a folded header are all fine.
        #expect(problem(Array("--b  \t\r\nX-A: one\r\n two\r\n\r\n\r\n--b--".utf8)) == nil)
    }

    @Test func aLargePartIsHandedOnAsItArrivesNotGathered() throws {
        var reader = try MultipartReader(boundary: "b")
        _ = try reader.read(Array("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\n".utf8))
        var handedOn = 0
        for _ in 0..<100 {
            for event in try reader.read([UInt8](repeating: UInt8(ascii: "q"), count: 65_536)) {
                if case .bytes(let bytes) = event { handedOn += bytes.count }
            }
        }
        // All but a delimiter's length is out of the reader at every step.
        #expect(handedOn >= 100 * 65_536 - 8)
    }
}
