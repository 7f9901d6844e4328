/// An HTML message turned into the text a person reads: scripts, styles and the head dropped;
/// paragraphs, line breaks, list items, table rows and headings as line breaks; a link as its text
/// with the address after it when they differ; an image as its alternative text; a blockquote's
/// lines led by "> " (so that quoted history folds as in a text message); runs of white space
/// (no-break spaces among them) collapsed outside `pre`; at most one empty line in a row.
public enum HTMLText {
    static let blocks: Set<String> = ["p", "div", "tr", "table", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
                                      "hr", "pre", "blockquote", "section", "article", "header", "footer", "address", "center", "form", "fieldset", "li"]
    static let hidden: Set<String> = ["script", "style", "head", "title", "template", "noscript", "iframe", "object", "svg", "math"]

    public static func text(_ html: String) -> String {
        var lines: [String] = []
        var line = ""
        var pendingSpace = false
        var hiddenDepth = 0
        var preDepth = 0
        var quoteDepth = 0
        var links: [(href: String, textStart: String.Index?, lineCount: Int)] = []
        func breakLine() {
            lines.append(String(repeating: "> ", count: quoteDepth) + line)
            line = ""
            pendingSpace = false
        }
        func append(_ text: String) {
            if preDepth > 0 {
                let pieces = text.split(separator: "\n", omittingEmptySubsequences: false)
                for (offset, piece) in pieces.enumerated() {
                    if offset > 0 { breakLine() }
                    line += piece
                }
                return
            }
            for character in text {
                if character.isWhitespace {
                    pendingSpace = !line.isEmpty
                } else {
                    if pendingSpace { line.append(" ") }
                    pendingSpace = false
                    line.append(character)
                }
            }
        }
        for token in HTMLTokenizer.tokens(html) {
            switch token {
            case .text(let text):
                if hiddenDepth == 0 { append(text) }
            case .start(let name, let attributes, let selfClosing):
                if hidden.contains(name) {
                    if !selfClosing { hiddenDepth += 1 }
                    continue
                }
                guard hiddenDepth == 0 else { continue }
                if blocks.contains(name), !line.isEmpty { breakLine() }
                switch name {
                case "br": breakLine()
                case "p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol":
                    if lines.last.map({ !$0.trimmingCharacters(in: .whitespaces).isEmpty && $0 != String(repeating: "> ", count: quoteDepth).trimmingCharacters(in: .whitespaces) }) ?? false {
                        breakLine()
                    }
                case "hr": line = "————————"; breakLine()
                case "li": line = "- "
                case "pre": if !selfClosing { preDepth += 1 }
                case "blockquote": if !selfClosing { quoteDepth += 1 }
                case "td", "th": if !line.isEmpty { pendingSpace = false; line += "\t" }
                case "img":
                    if let alt = attributes.first(where: { $0.name == "alt" })?.value, !alt.isEmpty { append("[\(alt)]") }
                case "a":
                    let href = attributes.first(where: { $0.name == "href" })?.value ?? ""
                    links.append((href, line.endIndex, lines.count))
                default: break
                }
            case .end(let name):
                if hidden.contains(name) {
                    hiddenDepth = max(0, hiddenDepth - 1)
                    continue
                }
                guard hiddenDepth == 0 else { continue }
                switch name {
                case "pre": preDepth = max(0, preDepth - 1)
                case "blockquote":
                    if !line.isEmpty { breakLine() }
                    quoteDepth = max(0, quoteDepth - 1)
                case "a":
                    if let link = links.popLast(), Self.showsAddress(link.href) {
                        let shown = link.lineCount == lines.count && link.textStart.map { $0 <= line.endIndex } == true
                            ? String(line[link.textStart!...]) : ""
                        let address = link.href.hasPrefix("mailto:") ? String(link.href.dropFirst(7)) : link.href
                        if shown.trimmingCharacters(in: .whitespaces) != address { append(" <\(address)>") }
                    }
                default:
                    if blocks.contains(name), !line.isEmpty { breakLine() }
                    if ["p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol"].contains(name) { breakLine() }
                }
            }
        }
        if !line.isEmpty { breakLine() }
        // Trim each line's end; at most one empty line in a row; none at the start or end.
        var result: [String] = []
        for raw in lines {
            var text = raw
            while text.last == " " || text.last == "\t" { text.removeLast() }
            if text.isEmpty || text.allSatisfy({ $0 == ">" || $0 == " " }) {
                if let last = result.last, !last.isEmpty, !(last.allSatisfy { $0 == ">" || $0 == " " }) { result.append(text) }
            } else {
                result.append(text)
            }
        }
        while let last = result.last, last.isEmpty || last.allSatisfy({ $0 == ">" || $0 == " " }) { result.removeLast() }
        return result.joined(separator: "\n")
    }

    private static func showsAddress(_ href: String) -> Bool {
        let lower = href.lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("mailto:")
    }
}

import Foundation
