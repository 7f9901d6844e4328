import Foundation
import Testing

@testable import AccordMail

/// Messages generated at random — nested multiparts of every kind, enclosed messages, base64
/// (tidy and damaged), quoted-printable, uuencode, 7bit and 8bit, RFC 2231 and quoted file names,
/// preambles and epilogues, LF or CRLF — read by `MailMessage` and by Python's `email`: every
/// part's type, file name, size and text agree, and each part's content is the one generated.
@Suite struct GeneratedMessagesTests {
    /// A seeded generator, so that a failure names the message that shows it.
    typealias SplitMix = MultipartReaderTests.Random

    /// What a generated leaf holds, to check the reading against.
    struct Leaf {
        let type: String
        let filename: String?
        let content: [UInt8]
        /// Deliberately unlike Python: a quoted-printable soft break with white space after its
        /// `=`, which RFC 2045 §6.7 has a decoder remove (transport may add it); Python keeps
        /// `= ` and the line break in the content.
        let paddedSoftBreak: Bool
    }

    struct Generator {
        var random: SplitMix
        let end: String
        var leaves: [Leaf] = []
        var boundaries = 0
        var paddedSoftBreak = false

        static let words = ["case", "Störung", "сервер", "故障", "réponse", "line", "=", "=3D", "--", "end", "begin", " ", "\t", "ok."]

        mutating func pick<T>(_ choices: [T]) -> T { choices[Int.random(in: 0..<choices.count, using: &random)] }

        mutating func text(ascii: Bool) -> String {
            var text = ""
            for _ in 0..<Int.random(in: 0...40, using: &random) {
                let word = pick(Self.words)
                text += ascii ? String(word.unicodeScalars.filter(\.isASCII).map(Character.init)) : word
                text += pick([" ", " ", end, ""])
            }
            return text
        }

        mutating func entity(depth: Int) -> String {
            let roll = Int.random(in: 0..<10, using: &random)
            if depth < 3, roll < 3 { return multipart(depth: depth) }
            if depth < 3, roll == 3 {
                return "Content-Type: message/rfc822" + end + end + "Subject: enclosed" + end + entity(depth: depth + 1)
            }
            return leaf()
        }

        mutating func multipart(depth: Int) -> String {
            boundaries += 1
            let boundary = pick(["=_b\(boundaries)", "----=_Part_\(boundaries)_77.1", "b \(boundaries)'()+_,-./:=?"])
            var out = "Content-Type: multipart/\(pick(["mixed", "alternative", "related"])); boundary=\"\(boundary)\"" + end + end
            out += pick(["", "This is a multi-part message in MIME format." + end])
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                out += "--" + boundary + pick(["", "  "]) + end + entity(depth: depth + 1) + end
            }
            out += "--" + boundary + "--" + end + pick(["", "epilogue" + end])
            return out
        }

        mutating func leaf() -> String {
            let kind = pick(["text/plain", "text/html", "application/octet-stream", "image/png"])
            var content: [UInt8]
            var charset = ""
            if kind.hasPrefix("text/") {
                let utf8 = Bool.random(using: &random)
                charset = utf8 ? "; charset=utf-8" : "; charset=us-ascii"
                content = Array(text(ascii: !utf8).utf8)
            } else {
                content = (0..<Int.random(in: 0...300, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            }
            let filename: String?
            var disposition = ""
            switch Int.random(in: 0..<4, using: &random) {
            case 0:
                filename = nil
            case 1:
                filename = "report \(leaves.count).txt"
                disposition = "Content-Disposition: attachment; filename=\"\(filename!)\"" + end
            case 2:
                filename = "Störung-\(leaves.count).pdf"
                let encoded = filename!.utf8.map { $0 < 0x80 && $0 != 0x25 ? String(UnicodeScalar($0)) : String(format: "%%%02X", $0) }.joined()
                disposition = "Content-Disposition: attachment;" + end + " filename*=UTF-8''\(encoded)" + end
            default:
                filename = "long-name-\(leaves.count)-of-a-file.log"
                let name = filename!
                let cut = name.index(name.startIndex, offsetBy: 9)
                disposition = "Content-Disposition: inline;" + end + " filename*0=\"\(name[..<cut])\";" + end + " filename*1=\"\(name[cut...])\"" + end
            }
            var header = "Content-Type: \(kind)\(charset)" + end + disposition
            let body: String
            let binary = !kind.hasPrefix("text/")
            paddedSoftBreak = false
            switch binary ? Int.random(in: 0..<3, using: &random) : Int.random(in: 0..<4, using: &random) {
            case 0:
                header += "Content-Transfer-Encoding: base64" + end
                let encoded = Data(content).base64EncodedString()
                switch Int.random(in: 0..<3, using: &random) {
                case 0: body = stride(from: 0, to: encoded.count, by: 76).map { String(encoded.dropFirst($0).prefix(76)) }.joined(separator: end)
                case 1: body = encoded   // one long line
                default: body = encoded.replacingOccurrences(of: "=", with: "")   // padding lost
                }
            case 1:
                header += "Content-Transfer-Encoding: quoted-printable" + end
                body = quotedPrintable(content)
            case 2:
                header += "Content-Transfer-Encoding: x-uuencode" + end
                body = uuencoded(content)
            default:
                // Text as it is: 8bit when not ASCII. A trailing line end belongs to the delimiter.
                header += "Content-Transfer-Encoding: \(content.allSatisfy { $0 < 0x80 } ? "7bit" : "8bit")" + end
                body = String(decoding: content, as: UTF8.self)
            }
            leaves.append(Leaf(type: kind, filename: filename, content: content, paddedSoftBreak: paddedSoftBreak))
            return header + end + body
        }

        mutating func quotedPrintable(_ bytes: [UInt8]) -> String {
            var out = ""
            var lineLength = 0
            let lower = Bool.random(using: &random)
            for byte in bytes {
                let piece: String
                if (byte >= 33 && byte <= 126 && byte != 61) || byte == 32 {
                    piece = String(UnicodeScalar(byte))
                } else {
                    piece = String(format: lower ? "=%02x" : "=%02X", byte)
                }
                if lineLength + piece.count > 75 {
                    let padding = pick(["", "", " "])
                    paddedSoftBreak = paddedSoftBreak || !padding.isEmpty
                    out += "=" + padding + end
                    lineLength = 0
                }
                out += piece
                lineLength += piece.count
            }
            // A space at the very end would be lost to the delimiter's line end: encode it.
            if out.hasSuffix(" ") { out = String(out.dropLast()) + "=20" }
            return out
        }

        func uuencoded(_ bytes: [UInt8]) -> String {
            func character(_ value: UInt8) -> String { String(UnicodeScalar(value == 0 ? 0x60 : value + 0x20)) }
            var lines = ["begin 644 data.bin"]
            for start in stride(from: 0, to: bytes.count, by: 45) {
                let chunk = Array(bytes[start..<min(start + 45, bytes.count)])
                var line = character(UInt8(chunk.count))
                for group in stride(from: 0, to: chunk.count, by: 3) {
                    let a = chunk[group], b = group + 1 < chunk.count ? chunk[group + 1] : 0, c = group + 2 < chunk.count ? chunk[group + 2] : 0
                    line += character(a >> 2) + character((a << 4 | b >> 4) & 0x3F) + character((b << 2 | c >> 6) & 0x3F) + character(c & 0x3F)
                }
                lines.append(line)
            }
            lines += ["`", "end"]
            return lines.joined(separator: end)
        }
    }

    @Test func generatedMessagesReadAsPythonReadsThemAndAsGenerated() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("accord-generated-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var generated: [Int: [Leaf]] = [:]
        let count = 400
        for seed in 0..<count {
            var generator = Generator(random: SplitMix(state: UInt64(seed)), end: seed % 2 == 0 ? "\n" : "\r\n")
            let message = "From: a@b.test" + generator.end + "Subject: generated \(seed)" + generator.end + "MIME-Version: 1.0" + generator.end
                + generator.entity(depth: 0)
            generated[seed] = generator.leaves
            try Data(message.utf8).write(to: directory.appendingPathComponent("\(seed).eml"))
        }
        let python = try #require(try await PythonEmail.run("""
            out = {}
            for name in os.listdir(sys.argv[1]):
                parts = []
                leaves(read(os.path.join(sys.argv[1], name)), parts)
                out[name] = parts
            print(json.dumps(out))
            """, arguments: [directory.path]) as? [String: [[String: Any]]])
        #expect(python.count == count)
        for seed in 0..<count {
            let bytes = try [UInt8](Data(contentsOf: directory.appendingPathComponent("\(seed).eml")))
            let leaves = MailMessage(parsing: bytes).root.leaves
            let reference = try #require(python["\(seed).eml"])
            let expected = try #require(generated[seed])
            #expect(leaves.map(\.contentType.name) == reference.map { $0["type"] as? String ?? "" }, "message \(seed): types, as Python")
            #expect(leaves.map(\.contentType.name) == expected.map(\.type), "message \(seed): types, as generated")
            for (index, ((part, python), leaf)) in zip(zip(leaves, reference), expected).enumerated() where !leaf.paddedSoftBreak {
                // A uuencoded part's name from its `begin` line is ours alone (Python reads none).
                let uuencoded = part.headers.value("Content-Transfer-Encoding") == "x-uuencode" && leaf.filename == nil
                #expect(part.filename == (uuencoded ? "data.bin" : python["filename"] as? String), "message \(seed), part \(index): filename, as Python")
                #expect(part.content.count == python["size"] as? Int, "message \(seed), part \(index): size, as Python")
                if let text = python["text"] as? String { #expect(part.text?.text == text, "message \(seed), part \(index): text, as Python") }
            }
            for (index, (part, leaf)) in zip(leaves, expected).enumerated() {
                #expect(part.content == leaf.content, "message \(seed), part \(index): content, as generated")
                #expect(part.filename == leaf.filename ?? (part.headers.value("Content-Transfer-Encoding") == "x-uuencode" ? "data.bin" : nil),
                        "message \(seed), part \(index): filename, as generated")
            }
        }
    }
}
