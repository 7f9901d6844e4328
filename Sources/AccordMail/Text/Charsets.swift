import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Text in a message's charset turned into Swift text, never throwing: UTF-8 and US-ASCII read
/// here; every other charset through the C library's `iconv` (glibc knows ISO-8859-*,
/// Windows-125x, KOI8-R, GB18030/GBK, Big5, Shift_JIS, ISO-2022-JP, EUC-JP, EUC-KR and more). A
/// byte the charset cannot read becomes U+FFFD, and the rest is read on; a charset nobody knows is
/// read as UTF-8 where it is UTF-8, else as Windows-1252 — and `Decoded.known` says so, so that a
/// caller can show the text came in an unknown charset rather than drop it.
public enum Charsets {
    public struct Decoded: Equatable, Sendable {
        public let text: String
        /// False when the charset was unknown and a fallback read the bytes.
        public let known: Bool
    }

    /// Decodes `bytes` sent in `charset` (a MIME charset name, any case; nil means US-ASCII).
    public static func decode(_ bytes: [UInt8], charset: String?) -> Decoded {
        let name = canonical(charset ?? "us-ascii")
        switch name {
        case "UTF-8", "US-ASCII":
            // ASCII mail often carries 8-bit bytes anyway; UTF-8 reads ASCII and them alike.
            return Decoded(text: String(decoding: bytes, as: UTF8.self), known: true)
        default:
            if let text = iconvDecode(bytes, from: name) { return Decoded(text: text, known: true) }
            if let utf8 = String(validating: bytes, as: UTF8.self) { return Decoded(text: utf8, known: false) }
            return Decoded(text: iconvDecode(bytes, from: "WINDOWS-1252") ?? String(decoding: bytes, as: UTF8.self), known: false)
        }
    }

    /// The name `iconv` knows for a MIME charset: upper-cased, with the aliases mail uses. Mail
    /// labelled ISO-8859-1 is read as Windows-1252, its superset, as every mail reader does (HTML's
    /// encoding rules): the C1 range holds curly quotes and dashes in practice, never controls.
    static func canonical(_ charset: String) -> String {
        var name = charset.trimmingCharacters(in: CharacterSet(charactersIn: " \t\"'")).uppercased()
        // RFC 2231 language suffix ("us-ascii*en") or a stray parameter.
        if let star = name.firstIndex(of: "*") { name = String(name[..<star]) }
        switch name {
        case "UTF8", "UTF-8", "UNICODE-1-1-UTF-8", "X-UNICODE20UTF8": return "UTF-8"
        case "", "ASCII", "US-ASCII", "ANSI_X3.4-1968", "ISO646-US", "US": return "US-ASCII"
        case "ISO-8859-1", "ISO8859-1", "ISO_8859-1", "LATIN1", "LATIN-1", "L1", "CP819", "IBM819", "WINDOWS-1252", "CP1252", "X-CP1252": return "WINDOWS-1252"
        case "GB2312", "EUC-CN", "X-GBK", "GBK", "CP936", "MS936", "WINDOWS-936": return "GB18030"
        case "BIG5", "BIG-5", "X-X-BIG5", "CN-BIG5", "CP950": return "BIG5-HKSCS"
        case "SHIFT-JIS", "SHIFT_JIS", "SJIS", "X-SJIS", "MS_KANJI", "CSSHIFTJIS", "WINDOWS-31J", "CP932": return "CP932"
        case "KS_C_5601-1987", "KS_C_5601", "KSC5601", "EUC-KR", "CP949", "WINDOWS-949": return "CP949"
        case "ISO-2022-JP", "ISO2022-JP", "ISO2022JP", "CSISO2022JP", "ISO2022-JP-2": return "ISO-2022-JP-2"
        case "ISO2022-KR", "ISO2022KR", "CSISO2022KR": return "ISO-2022-KR"
        case "SHIFT-JISX0213", "SHIFT_JISX0213", "SHIFTJISX0213": return "SHIFT_JISX0213"
        default:
            if name.hasPrefix("ISO8859-") { return "ISO-8859-" + name.dropFirst("ISO8859-".count) }
            if name.hasPrefix("ISO_8859-") { return "ISO-8859-" + name.dropFirst("ISO_8859-".count) }
            if name.hasPrefix("CP125"), name.count == 6 { return "WINDOWS-" + name.dropFirst(2) }
            return name
        }
    }

    /// `bytes` converted from `charset` by iconv, each byte it cannot read replaced by U+FFFD; nil
    /// when iconv does not know the charset.
    static func iconvDecode(_ bytes: [UInt8], from charset: String) -> String? {
        // Only names of letters, digits and - _ . : reach iconv (no "//" conversion suffixes).
        guard !charset.isEmpty, charset.count <= 40,
              charset.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.:".contains($0)) }) else { return nil }
        let converter = iconv_open("UTF-8", charset)
        guard converter != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(converter) }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count * 2)
        var input = bytes
        var inputIndex = 0
        var buffer = [UInt8](repeating: 0, count: 4096)
        let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]
        while inputIndex < input.count {
            let (status, consumed, produced, error) = input.withUnsafeMutableBufferPointer { inBuffer -> (Int, Int, Int, Int32) in
                buffer.withUnsafeMutableBufferPointer { outBuffer -> (Int, Int, Int, Int32) in
                    var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuffer.baseAddress! + inputIndex).assumingMemoryBound(to: CChar.self)
                    var inLeft = inBuffer.count - inputIndex
                    var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuffer.baseAddress!).assumingMemoryBound(to: CChar.self)
                    var outLeft = outBuffer.count
                    let startIn = inLeft
                    let result = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
                    return (result, startIn - inLeft, outBuffer.count - outLeft, result == -1 ? errno : 0)
                }
            }
            output.append(contentsOf: buffer[0..<produced])
            inputIndex += consumed
            if status != -1 { break }
            switch error {
            case E2BIG:
                continue
            case EILSEQ, EINVAL:
                // A byte the charset cannot read (or a sequence cut off at the end): mark it, go on.
                output.append(contentsOf: replacement)
                inputIndex += 1
                iconv(converter, nil, nil, nil, nil)
            default:
                return nil
            }
        }
        // Flush a stateful charset's shift back to its initial state (ISO-2022-JP).
        var flushLeft = buffer.count
        let flushed = buffer.withUnsafeMutableBufferPointer { outBuffer -> Int in
            var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            _ = iconv(converter, nil, nil, &outPointer, &flushLeft)
            return outBuffer.count - flushLeft
        }
        output.append(contentsOf: buffer[0..<flushed])
        return String(decoding: output, as: UTF8.self)
    }
}
