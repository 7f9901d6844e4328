import Foundation

/// The readable text of an RTF document — what a message sent only as Outlook's rich text says:
/// its characters (`\'hh` in the document's code page, `\uN` Unicode with `\ucN` fallbacks
/// skipped), paragraphs and tabs; font and colour tables, pictures, objects, document information
/// and every `{\*…}` destination (HTML tags of HTML Outlook wrapped in RTF among them) left out.
/// Unbalanced braces and unknown control words are read past, never fatal.
enum RTFText {
    /// Groups whose content is never text.
    static let skipped: Set<String> = ["fonttbl", "colortbl", "stylesheet", "info", "pict", "object", "header", "footer", "headerl", "headerr",
                                       "footerl", "footerr", "footnote", "listtable", "listoverridetable", "rsidtbl", "generator", "xmlnstbl",
                                       "themedata", "colorschememapping", "latentstyles", "datastore", "filetbl", "revtbl", "fldinst", "bkmkstart",
                                       "bkmkend", "field-inst", "mmathPr", "pntext", "pntxta", "pntxtb"]

    private struct Group {
        var skip = false
        var fallback = 1
    }

    static func text(_ rtf: [UInt8]) -> String {
        var codepage = 1252
        var stack: [Group] = []
        var group = Group()
        var out = ""
        var pending: [UInt8] = []
        var skipCharacters = 0
        func flush() {
            guard !pending.isEmpty else { return }
            out += Charsets.decode(pending, charset: codepage == 65001 ? "utf-8" : "windows-\(codepage)").text
            pending.removeAll()
        }
        func emit(_ byte: UInt8) {
            guard !group.skip else { return }
            if skipCharacters > 0 { skipCharacters -= 1; return }
            pending.append(byte)
        }
        func emit(_ text: String) {
            guard !group.skip else { return }
            flush()
            out += text
        }
        var index = 0
        while index < rtf.count {
            let byte = rtf[index]
            index += 1
            switch byte {
            case UInt8(ascii: "{"):
                stack.append(group)
            case UInt8(ascii: "}"):
                group = stack.popLast() ?? Group()
                skipCharacters = 0
            case 0x0D, 0x0A:
                break
            case UInt8(ascii: "\\"):
                guard index < rtf.count else { break }
                let next = rtf[index]
                index += 1
                switch next {
                case UInt8(ascii: "\\"), UInt8(ascii: "{"), UInt8(ascii: "}"):
                    emit(next)
                case UInt8(ascii: "'"):
                    if let first = rtf[safe: index], let second = rtf[safe: index + 1], let high = HexDigit.value(first), let low = HexDigit.value(second) {
                        emit(high << 4 | low)
                        index += 2
                    }
                case UInt8(ascii: "*"):
                    group.skip = true
                case UInt8(ascii: "~"):
                    emit("\u{00A0}")
                case UInt8(ascii: "_"):
                    emit("-")
                case 0x0D, 0x0A:
                    emit("\n")
                case _ where Self.isLetter(next):
                    var word = [next]
                    while index < rtf.count, Self.isLetter(rtf[index]), word.count < 32 { word.append(rtf[index]); index += 1 }
                    var digits: [UInt8] = []
                    if index < rtf.count, rtf[index] == UInt8(ascii: "-") { digits.append(rtf[index]); index += 1 }
                    while index < rtf.count, (0x30...0x39).contains(rtf[index]), digits.count < 11 { digits.append(rtf[index]); index += 1 }
                    if index < rtf.count, rtf[index] == UInt8(ascii: " ") { index += 1 }
                    let name = String(decoding: word, as: UTF8.self)
                    let parameter = Int(String(decoding: digits, as: UTF8.self))
                    switch name {
                    case "par", "line", "row", "sect", "page": emit("\n")
                    case "tab", "cell": emit("\t")
                    case "emdash": emit("\u{2014}")
                    case "endash": emit("\u{2013}")
                    case "bullet": emit("\u{2022}")
                    case "lquote": emit("\u{2018}")
                    case "rquote": emit("\u{2019}")
                    case "ldblquote": emit("\u{201C}")
                    case "rdblquote": emit("\u{201D}")
                    case "ansicpg": flush(); codepage = parameter ?? codepage
                    case "uc": group.fallback = max(0, min(parameter ?? 1, 8))
                    case "u":
                        if let parameter {
                            let value = parameter < 0 ? parameter + 65_536 : parameter
                            emit(Unicode.Scalar(UInt32(clamping: value)).map { String(Character($0)) } ?? "\u{FFFD}")
                            skipCharacters = group.skip ? 0 : group.fallback
                        }
                    case "bin":
                        // Binary data: skipped whole.
                        index += max(0, min(parameter ?? 0, rtf.count - index))
                    default:
                        if Self.skipped.contains(name) { group.skip = true }
                    }
                default:
                    break
                }
            default:
                emit(byte)
            }
        }
        flush()
        return out.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func isLetter(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) }
}

private extension Array where Element == UInt8 {
    subscript(safe index: Int) -> UInt8? { indices.contains(index) ? self[index] : nil }
}
