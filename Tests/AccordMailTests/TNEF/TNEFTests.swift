@testable import AccordMail
import AccordTestSupport
import Crypto
import Foundation
import PropertyBased
import Testing

/// Outlook's winmail.dat: the files and text inside it, read as tnefparse (PyPI, an independent
/// reader) reads them, on its own test streams; streams written here for damage; and a message
/// carrying one, as the desk reads it.
@Suite struct TNEFTests {
    /// Writes TNEF streams: the signature and key, then attributes with their checksums.
    struct Writer {
        var bytes: [UInt8] = le32(TNEF.signature) + [0x01, 0x00]

        static func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        static func le16(_ value: UInt16) -> [UInt8] { [UInt8(truncatingIfNeeded: value), UInt8(truncatingIfNeeded: value >> 8)] }

        mutating func attribute(level: UInt8, _ id: UInt16, _ data: [UInt8], checksum: UInt16? = nil) {
            // The type word as Outlook writes it for each: bytes, or a string for names and text.
            let type: UInt32 = [TNEF.Attribute.attachTitle, TNEF.Attribute.body].contains(id) ? 0x0001 : 0x0006
            bytes += [level] + Self.le32(type << 16 | UInt32(id)) + Self.le32(UInt32(data.count)) + data
            bytes += Self.le16(checksum ?? UInt16(truncatingIfNeeded: data.reduce(0) { $0 + Int($1) }))
        }

        /// A MAPI property list of (type, id, value) with one value each.
        static func properties(_ list: [(UInt16, UInt16, [UInt8])]) -> [UInt8] {
            var out = le32(UInt32(list.count))
            for (type, id, value) in list {
                out += le16(type) + le16(id)
                if MAPIProperties.PropertyType.fixedSize(type & 0x0FFF) != nil {
                    out += value
                } else {
                    out += le32(1) + le32(UInt32(value.count)) + value + [UInt8](repeating: 0, count: MAPIProperties.padded(value.count) - value.count)
                }
            }
            return out
        }

        static func utf16(_ text: String) -> [UInt8] { text.utf16.flatMap { le16($0) } + [0, 0] }

        mutating func file(title: String?, longName: String? = nil, mimeTag: String? = nil, data: [UInt8]) {
            attribute(level: 2, TNEF.Attribute.attachRenddata, [UInt8](repeating: 0, count: 14))
            if let title { attribute(level: 2, TNEF.Attribute.attachTitle, Array(title.utf8) + [0]) }
            attribute(level: 2, TNEF.Attribute.attachData, data)
            var list: [(UInt16, UInt16, [UInt8])] = [(0x0003, 0x0E20, Self.le32(UInt32(data.count)))]
            if let longName { list.append((0x001F, MAPIProperties.attachLongFilename, Self.utf16(longName))) }
            if let mimeTag { list.append((0x001E, MAPIProperties.attachMimeTag, Array(mimeTag.utf8) + [0])) }
            attribute(level: 2, TNEF.Attribute.attachment, Self.properties(list))
        }
    }

    /// tnefparse's own test streams (its source distribution's `tests/examples`), where CI puts them.
    static let examples: URL? = {
        guard let path = ProcessInfo.processInfo.environment["TNEF_EXAMPLES"], FileManager.default.fileExists(atPath: path) else { return nil }
        return URL(fileURLWithPath: path)
    }()

    /// Every stream as tnefparse reads it: each file's name and SHA-256, the text, the HTML and the
    /// RTF's SHA-256 — and as this reader does.
    @Test(.enabled(if: examples != nil || ProcessInfo.processInfo.environment["CI"] == "true"))
    func filesAndTextAgreeWithTnefparseOnItsOwnStreams() async throws {
        let examples = try #require(Self.examples, "CI downloads tnefparse's examples and sets TNEF_EXAMPLES (see .ci/run)")
        let names = try FileManager.default.contentsOfDirectory(atPath: examples.path).filter { $0.hasSuffix(".tnef") }.sorted()
        #expect(names.count >= 19, "\(names)")
        let python = try await ChildProcess.run(command: "python3", ["-c", """
            import hashlib, json, sys, tnefparse, compressed_rtf
            sha = lambda b: hashlib.sha256(b).hexdigest()
            text = lambda v: (v.decode('cp1252') if isinstance(v, bytes) else v) if v else None
            out = {}
            for path in sys.argv[1:]:
                t = tnefparse.TNEF(open(path, 'rb').read())
                out[path.split('/')[-1]] = {
                    'files': [[a.long_filename() or None, sha(a.data or b''), sha((a.data or b'')[16:])] for a in t.attachments],
                    'text': text(getattr(t, 'body', None)), 'html': text(getattr(t, 'htmlbody', None)),
                    'rtf': sha(t.rtfbody) if getattr(t, 'rtfbody', None) else None,
                }
            print(json.dumps(out))
            """] + names.map { examples.appendingPathComponent($0).path })
        #expect(python.status == 0, "pip install tnefparse compressed_rtf: \(python.errors.suffix(1500))")
        let reference = try #require(try JSONSerialization.jsonObject(with: python.output) as? [String: [String: Any]])
        func sha(_ bytes: some Sequence<UInt8>) -> String { SHA256.hash(data: Array(bytes)).map { String(format: "%02x", $0) }.joined() }
        for name in names {
            let expected = try #require(reference[name])
            let tnef = try #require(TNEF(Array(try Data(contentsOf: examples.appendingPathComponent(name)))), "\(name): not read as TNEF")
            let theirs = expected["files"] as? [[Any]] ?? []
            #expect(tnef.files.count == theirs.count, "\(name): \(tnef.files.map(\.name)) against \(theirs)")
            for (file, their) in zip(tnef.files, theirs) {
                // Deliberate differences: tnefparse drops a binary file's trailing NUL bytes (an OLE
                // .doc ends in them; the file is kept here as stored), keeps an embedded object's
                // 16-byte interface id unless it is a message ([MS-OXTNEF] puts it before the
                // data), and calls a file the stream names nowhere "Untitled Attachment".
                var stored = file.bytes[...]
                while stored.last == 0 { stored = stored.dropLast() }
                #expect(!Set([their[1] as? String, their[2] as? String].compactMap { $0 }).isDisjoint(with: [sha(file.bytes), sha(stored)]),
                        "\(name): the contents of \(file.name ?? "?")")
                let theirName = their[0] as? String
                #expect(file.name == theirName || theirName?.hasPrefix("Untitled") == true, "\(name): \(file.name ?? "no name") against \(theirName ?? "no name")")
            }
            // Deliberate: a text's terminating NULs are not part of it (tnefparse keeps them).
            let theirText = (expected["text"] as? String)?.trimmingCharacters(in: CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: "\u{0}")))
            #expect(tnef.text?.trimmingCharacters(in: .whitespacesAndNewlines) == theirText?.nilIfEmpty, "\(name): the text")
            #expect(tnef.html?.trimmingCharacters(in: .whitespacesAndNewlines) == (expected["html"] as? String)?.trimmingCharacters(in: .whitespacesAndNewlines), "\(name): the HTML")
            #expect(tnef.rtf.map(sha) == expected["rtf"] as? String, "\(name): the RTF")
        }
        // A message in rich text only reads as its words.
        let longFilename = try #require(TNEF(Array(try Data(contentsOf: examples.appendingPathComponent("long-filename.tnef")))))
        let words = RTFText.text(try #require(longFilename.rtf))
        #expect(words.contains("Subject: license file\n\n\n\nWho should i talk to about getting a valid license for qarun 4.7?  I need\nto install it and cannot."), "\(words)")
        #expect(!words.contains("\\") && !words.contains("{"), "no RTF left: \(words)")
    }

    @Test func filesAndTheirNamesComeOutOfAWrittenStream() throws {
        var writer = Writer()
        writer.attribute(level: 1, TNEF.Attribute.oemCodepage, Writer.le32(1252) + Writer.le32(0))
        writer.attribute(level: 1, TNEF.Attribute.body, Array("Hello from Outlook\r\n".utf8) + [0])
        writer.file(title: "REPORT~1.PDF", longName: "Quarterly report – Q3.pdf", mimeTag: "application/pdf", data: Array("%PDF-1.7 …".utf8))
        writer.attribute(level: 2, TNEF.Attribute.attachRenddata, [UInt8](repeating: 0, count: 14))
        writer.attribute(level: 2, TNEF.Attribute.attachTitle, [0x63, 0x61, 0x66, 0xE9, 0x2E, 0x74, 0x78, 0x74, 0x00])   // café.txt in Windows-1252
        writer.attribute(level: 2, TNEF.Attribute.attachData, [])
        let tnef = try #require(TNEF(writer.bytes))
        #expect(tnef.files == [TNEF.File(name: "Quarterly report – Q3.pdf", contentType: "application/pdf", bytes: Array("%PDF-1.7 …".utf8)),
                               TNEF.File(name: "café.txt", contentType: nil, bytes: [])])
        #expect(tnef.text == "Hello from Outlook\r\n")
    }

    /// A bad checksum is read past (Outlook's own readers do); a stream cut short or followed by
    /// garbage keeps what came before; without the signature it is no TNEF at all.
    @Test func damageKeepsWhatCameBefore() throws {
        var writer = Writer()
        writer.file(title: "one.txt", data: Array("first".utf8))
        let whole = writer.bytes
        writer.attribute(level: 2, TNEF.Attribute.attachRenddata, [UInt8](repeating: 0, count: 14), checksum: 0xBEEF)
        writer.attribute(level: 2, TNEF.Attribute.attachTitle, Array("two.txt".utf8) + [0], checksum: 1)
        writer.attribute(level: 2, TNEF.Attribute.attachData, Array("second".utf8))
        #expect(TNEF(writer.bytes)?.files.map(\.name) == ["one.txt", "two.txt"], "a bad checksum read past")
        #expect(TNEF(whole + [0x02, 0x0F, 0x80, 0x06, 0x00, 0xFF, 0xFF, 0xFF, 0x7F, 0x01])?.files.map(\.name) == ["one.txt"], "a length past the end")
        #expect(TNEF(whole + Array("garbage at the end".utf8))?.files.map(\.name) == ["one.txt"])
        #expect(TNEF(Array("not tnef at all".utf8)) == nil)
        #expect(TNEF([]) == nil)
    }

    /// Any bytes after the signature: no crash, no hang, and never more files than attributes.
    @Test func anyStreamIsReadWithoutFailing() async {
        await propertyCheck(count: 500, input: Gen.int(in: 0...1_000_000_000)) { seed in
            var random = MultipartReaderTests.Random(state: UInt64(seed))
            var writer = Writer()
            for _ in 0..<random.int(0...4) { writer.file(title: random.int(0...1) == 0 ? nil : "f.bin", data: [UInt8](repeating: 7, count: random.int(0...300))) }
            var bytes = writer.bytes
            // Damage: cut, flip or insert bytes anywhere.
            for _ in 0..<random.int(0...6) where !bytes.isEmpty {
                let at = random.int(6...max(6, bytes.count - 1))
                switch random.int(0...2) {
                case 0: bytes = Array(bytes.prefix(at))
                case 1: if at < bytes.count { bytes[at] = UInt8(truncatingIfNeeded: random.int(0...255)) }
                default: bytes.insert(contentsOf: [UInt8](repeating: UInt8(truncatingIfNeeded: random.int(0...255)), count: random.int(1...9)), at: min(at, bytes.count))
                }
            }
            let tnef = TNEF(bytes)
            #expect(tnef == nil || tnef!.files.count <= bytes.count / 11)
        }
    }

    @Test func compressedRTFDecompressesTheSpecificationsExamples() {
        // [MS-OXRTFCP] 3.1.1 and 3.1.2: the same text compressed with no and with a run.
        let simple: [UInt8] = [0x2D, 0x00, 0x00, 0x00, 0x2B, 0x00, 0x00, 0x00, 0x4C, 0x5A, 0x46, 0x75, 0xF1, 0xC5, 0xC7, 0xA7,
                               0x03, 0x00, 0x0A, 0x00, 0x72, 0x63, 0x70, 0x67, 0x31, 0x32, 0x35, 0x42, 0x32, 0x0A, 0xF3, 0x20,
                               0x68, 0x65, 0x6C, 0x09, 0x00, 0x20, 0x62, 0x77, 0x05, 0xB0, 0x6C, 0x64, 0x7D, 0x0A, 0x80, 0x0F, 0xA0]
        #expect(CompressedRTF.decompress(simple).map { String(decoding: $0, as: UTF8.self) } == "{\\rtf1\\ansi\\ansicpg1252\\pard hello world}\r\n")
        let run: [UInt8] = [0x1A, 0x00, 0x00, 0x00, 0x1C, 0x00, 0x00, 0x00, 0x4C, 0x5A, 0x46, 0x75, 0xE2, 0xD4, 0x4B, 0x51,
                            0x41, 0x00, 0x04, 0x20, 0x57, 0x58, 0x59, 0x5A, 0x0D, 0x6E, 0x7D, 0x01, 0x0E, 0xB0]
        #expect(CompressedRTF.decompress(run).map { String(decoding: $0, as: UTF8.self) } == "{\\rtf1 WXYZWXYZWXYZWXYZWXYZ}")
        #expect(CompressedRTF.decompress(Array(run.prefix(20))) != nil, "cut short: what came before")
        #expect(CompressedRTF.decompress([1, 2, 3]) == nil)
    }

    @Test func rtfGivesItsReadableText() {
        let rtf = #"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Calibri;}}{\colortbl;\red0\green0\blue0;}{\*\generator Riched20;}\pard Hej Anna,\par Tak for din mail \'e6\'f8\'e5 \u8364?uro.\par\tab Indrykket{\*\htmltag84 <br>}\par}"#
        #expect(RTFText.text(Array(rtf.utf8)) == "Hej Anna,\nTak for din mail æøå €uro.\nIndrykket")
        #expect(RTFText.text(Array("{{{\\par}}} unbalanced }}} {\\'zz".utf8)).contains("unbalanced"))
    }

    /// As the desk reads mail: winmail.dat's files in its place; a message whose only text is
    /// inside it is read from there.
    @Test func aMessageWithWinmailDatShowsItsFilesAndText() throws {
        var writer = Writer()
        writer.file(title: "drawing.dwg", mimeTag: "application/acad", data: Array("AC1032".utf8))
        let withText = Self.message(tnef: writer.bytes, text: "See the drawing.")
        let content = MessageContent(MailMessage(parsing: Array(withText.utf8)))
        #expect(content.attachments.map(\.filename) == ["drawing.dwg"] && content.attachments.first?.contentType == "application/acad")
        #expect(content.text == "See the drawing.")

        var rich = Writer()
        let rtf = Array(#"{\rtf1\ansi Only in rich text.\par Second line.}"#.utf8)
        rich.attribute(level: 1, TNEF.Attribute.mapiProperties,
                       Writer.properties([(0x0102, MAPIProperties.rtfCompressed, Writer.le32(UInt32(rtf.count + 12)) + Writer.le32(UInt32(rtf.count))
                                           + Writer.le32(CompressedRTF.uncompressed) + Writer.le32(0) + rtf)]))
        let onlyRich = MessageContent(MailMessage(parsing: Array(Self.message(tnef: rich.bytes, text: nil).utf8)))
        #expect(onlyRich.text == "Only in rich text.\nSecond line.")
        #expect(onlyRich.attachments.isEmpty)

        // Not TNEF after all: kept as the file it claims to be.
        let fake = MessageContent(MailMessage(parsing: Array(Self.message(tnef: Array("just bytes".utf8), text: "x").utf8)))
        #expect(fake.attachments.map(\.filename) == ["winmail.dat"])
    }

    static func message(tnef: [UInt8], text: String?) -> String {
        var lines = ["From: a@b.test", "To: support@plmgroup.dk", "Subject: TNEF", "MIME-Version: 1.0", "Content-Type: multipart/mixed; boundary=x", ""]
        if let text { lines += ["--x", "Content-Type: text/plain", "", text] }
        lines += ["--x", "Content-Type: application/ms-tnef; name=winmail.dat", "Content-Transfer-Encoding: base64",
                  "Content-Disposition: attachment; filename=winmail.dat", "", Data(tnef).base64EncodedString(options: .lineLength76Characters), "--x--", ""]
        return lines.joined(separator: "\r\n")
    }
}

private extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
