import AccordTestSupport
import Foundation
import PropertyBased
import Testing

@testable import AccordMail

/// Charsets as mail uses them, read through iconv: each sample's bytes are what Python's codecs
/// (the reference) make of the text; nothing throws, damage becomes U+FFFD, an unknown charset
/// falls back and says so.
@Suite struct CharsetsTests {
    static let samples: [(String, String, [UInt8])] = [
        ("shift_jis", "日本語の件名", [147, 250, 150, 123, 140, 234, 130, 204, 140, 143, 150, 188]),
        ("iso-2022-jp", "日本語の件名", [27, 36, 66, 70, 124, 75, 92, 56, 108, 36, 78, 55, 111, 76, 62, 27, 40, 66]),
        ("euc-jp", "日本語の件名", [198, 252, 203, 220, 184, 236, 164, 206, 183, 239, 204, 190]),
        ("koi8-r", "Привет, мир", [240, 210, 201, 215, 197, 212, 44, 32, 205, 201, 210]),
        ("euc-kr", "안녕하세요", [190, 200, 179, 231, 199, 207, 188, 188, 191, 228]),
        ("ks_c_5601-1987", "안녕하세요", [190, 200, 179, 231, 199, 207, 188, 188, 191, 228]),
        ("big5", "繁體中文", [193, 99, 197, 233, 164, 164, 164, 229]),
        ("gb2312", "简体中文", [188, 242, 204, 229, 214, 208, 206, 196]),
        ("gb18030", "简体中文𠀀", [188, 242, 204, 229, 214, 208, 206, 196, 149, 50, 130, 54]),
        ("iso-8859-2", "Łódź", [163, 243, 100, 188]),
        ("windows-1251", "Привет", [207, 240, 232, 226, 229, 242]),
        ("iso-8859-7", "Καλημέρα", [202, 225, 235, 231, 236, 221, 241, 225]),
        ("utf-8", "Ærø ✓", Array("Ærø ✓".utf8)),
    ]

    @Test(arguments: samples.indices) func readsWhatPythonWrote(_ index: Int) {
        let (charset, text, bytes) = Self.samples[index]
        #expect(Charsets.decode(bytes, charset: charset) == .init(text: text, known: true), "\(charset)")
        #expect(Charsets.decode(bytes, charset: charset.uppercased()).text == text, "names in any case")
    }

    @Test func latin1IsReadAsWindows1252() {
        // 0x93 0x94 are C1 controls in ISO-8859-1 and curly quotes in Windows-1252: mail means the quotes.
        #expect(Charsets.decode([0x93, 0x48, 0x69, 0x94, 0xE9], charset: "iso-8859-1").text == "\u{201C}Hi\u{201D}é")
    }

    @Test func damageBecomesReplacementAndReadingGoesOn() {
        #expect(Charsets.decode([0x41, 0xFF, 0x42], charset: "utf-8").text == "A\u{FFFD}B")
        #expect(Charsets.decode([0x93, 0xFA, 0xFF, 0x96, 0x7B], charset: "shift_jis").text.contains("日"))
        #expect(Charsets.decode([0x93], charset: "shift_jis").text == "\u{FFFD}", "a sequence cut off at the end")
    }

    @Test func anUnknownCharsetFallsBackAndSaysSo() {
        #expect(Charsets.decode(Array("Grüße".utf8), charset: "x-unknown-charset") == .init(text: "Grüße", known: false))
        #expect(Charsets.decode([0x47, 0x72, 0xFC, 0xDF, 0x65], charset: "x-unknown-charset") == .init(text: "Grüße", known: false), "read as Windows-1252")
        #expect(Charsets.decode([0x41], charset: "utf-8//TRANSLIT").known == false, "no iconv suffixes get through")
    }
}

/// CPython's own CJK codec pairs (`test/cjkencodings`: a text in a charset and the same text in
/// UTF-8), found under the machine's Python install, read through `Charsets`.
@Suite struct CJKEncodingsTests {
    static func directory() async throws -> URL {
        let python = try await ChildProcess.run(command: "python3", ["-c", "import os, test; print(os.path.join(os.path.dirname(test.__file__), 'cjkencodings'))"])
        return URL(fileURLWithPath: python.text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Pairs read differently on purpose, and why.
    static let deliberate: [String: String] = [
        "euc_kr": "the pair spells some syllables with KS X 1001 Annex 3 make-up sequences (8 bytes a syllable), which Python composes and iconv's CP949 — read for EUC-KR, its superset, as Korean mail needs — leaves as the jamo; mailers do not send them",
        "hz": "HZ-GB-2312, a 7-bit Usenet-era encoding, is not in glibc's iconv; it falls back (as Windows-1252), marked unknown, never dropped",
    ]

    @Test func everyPairReadsAsItsUTF8Twin() async throws {
        let folder = try await Self.directory()
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix("-utf8.txt") }
            .map { String($0.dropLast("-utf8.txt".count)) }.sorted()
        #expect(names.count >= 15, "CPython ships 15 pairs: \(names)")
        var agreed: [String] = []
        for name in names {
            let encoded = try [UInt8](Data(contentsOf: folder.appendingPathComponent(name + ".txt")))
            let expected = String(decoding: try Data(contentsOf: folder.appendingPathComponent(name + "-utf8.txt")), as: UTF8.self)
            let decoded = Charsets.decode(encoded, charset: name.replacingOccurrences(of: "_", with: "-"))
            if decoded.text == expected {
                agreed.append(name)
            } else {
                #expect(Self.deliberate[name] != nil, "\(name) differs: \(decoded.known ? "read" : "unknown charset")")
            }
        }
        for required in ["gb18030", "gbk", "gb2312", "big5", "big5hkscs", "shift_jis", "iso2022_jp", "euc_jp", "cp949", "iso2022_kr"] {
            #expect(agreed.contains(required), "\(required) must read as CPython's pair")
        }
    }
}

/// Decoding never throws, never traps and always gives text, whatever the bytes and the label.
@Suite struct CharsetsPropertyTests {
    static let labels = ["utf-8", "us-ascii", "iso-8859-1", "iso-8859-15", "windows-1250", "koi8-r", "gb18030", "big5", "shift_jis",
                         "iso-2022-jp", "euc-jp", "euc-kr", "utf-16", "x-nonsense", "", "utf-8//IGNORE", "iso-8859-99"]

    @Test func anyBytesInAnyCharsetGiveText() async {
        await propertyCheck(count: 3000, input: Gen.uint8().array(of: 0...64), Gen.int(in: 0...(Self.labels.count - 1))) { bytes, label in
            let decoded = Charsets.decode(bytes, charset: Self.labels[label])
            #expect(bytes.isEmpty || !decoded.text.isEmpty || Self.labels[label] == "utf-16", "\(Self.labels[label]): \(bytes)")
        }
    }

    @Test func anyHeaderTextDecodes() async {
        let pieces = ["=?", "?=", "?q?", "?B?", "utf-8", "iso-8859-1", "=C3", "=A9", "_", " ", "\t", "abc", "SGVsbG8", "=", "?"]
        await propertyCheck(count: 3000, input: Gen.int(in: 0...(pieces.count - 1)).array(of: 0...24)) { picks in
            let text = picks.map { pieces[$0] }.joined()
            _ = EncodedWords.decode(text)
            _ = MessageHeaders(parsing: Array(("Subject: " + text + "\r\n\r\n").utf8))
        }
    }
}
