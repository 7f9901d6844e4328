/// A message's HTML made safe to show inside the desk: rebuilt from its tokens with only the
/// elements and attributes of an allow-list, so nothing the sender wrote can run or reach out —
/// no scripts, styles, frames, forms or event handlers; links only to `http`, `https` and
/// `mailto` (opened in a new context, without the desk as referrer); images only from the
/// message itself (`cid:` parts, resolved by the caller to the case's attachments). A remote
/// image is not loaded (it would tell the sender the mail was read): its address is kept in
/// `data-remote-src` for a reader who asks, and counted. Every element opened is closed, so the
/// page around it keeps its shape.
public enum HTMLSanitizer {
    public struct Sanitized: Sendable, Equatable {
        public let html: String
        /// Images from the web left unloaded.
        public let remoteImages: Int
    }

    static let allowed: Set<String> = [
        "a", "abbr", "b", "bdi", "bdo", "big", "blockquote", "br", "caption", "center", "cite", "code", "col", "colgroup", "dd",
        "del", "dfn", "div", "dl", "dt", "em", "font", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
        "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "table", "tbody", "td",
        "tfoot", "th", "thead", "tr", "tt", "u", "ul", "var", "wbr",
    ]
    /// Elements dropped with everything inside them.
    static let droppedWithContent: Set<String> = [
        "script", "style", "head", "title", "iframe", "frame", "frameset", "object", "embed", "applet", "noscript", "template",
        "svg", "math", "textarea", "select", "button", "noembed", "noframes", "xmp", "canvas", "audio", "video",
    ]
    static let void: Set<String> = ["br", "col", "hr", "img", "wbr"]
    static let attributes: Set<String> = ["title", "alt", "colspan", "rowspan", "align", "valign", "width", "height", "dir", "lang", "cite", "start", "type", "color", "size"]

    /// `image(contentID)` gives the address to show a `cid:` image at, or nil to drop it.
    public static func sanitize(_ html: String, image: (String) -> String?) -> Sanitized {
        var out = ""
        var open: [String] = []
        var droppedDepth = 0
        var droppedName = ""
        var remote = 0
        for token in HTMLTokenizer.tokens(html) {
            if droppedDepth > 0 {
                switch token {
                case .start(let name, _, let selfClosing) where name == droppedName && !selfClosing: droppedDepth += 1
                case .end(let name) where name == droppedName: droppedDepth -= 1
                default: break
                }
                continue
            }
            switch token {
            case .text(let text):
                out += HTMLEscaping.escape(text)
            case .start(let name, let attributes, let selfClosing):
                if droppedWithContent.contains(name) {
                    if !selfClosing {
                        droppedDepth = 1
                        droppedName = name
                    }
                    continue
                }
                guard allowed.contains(name) else { continue }
                var kept: [(String, String)] = []
                for (attribute, value) in attributes where Self.attributes.contains(attribute) {
                    kept.append((attribute, value))
                }
                if name == "a", let href = attributes.first(where: { $0.name == "href" })?.value {
                    let trimmed = href.trimmingCharacters(in: .whitespacesAndNewlines)
                    let lower = trimmed.lowercased()
                    if lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("mailto:") {
                        kept += [("href", trimmed), ("target", "_blank"), ("rel", "noopener noreferrer nofollow")]
                    }
                }
                if name == "img" {
                    let source = attributes.first(where: { $0.name == "src" })?.value.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
                    let lower = source.lowercased()
                    if lower.hasPrefix("cid:") {
                        let id = String(source.dropFirst(4)).removingPercentEncoding ?? String(source.dropFirst(4))
                        guard let address = image(id) else { continue }
                        kept.append(("src", address))
                    } else if lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("//") {
                        remote += 1
                        kept.append(("data-remote-src", source))
                    } else {
                        continue   // data:, javascript:, file: and the like
                    }
                }
                out += "<" + name
                for (attribute, value) in kept { out += " \(attribute)=\"\(HTMLEscaping.escape(value))\"" }
                out += ">"
                if !void.contains(name) { open.append(name) }
            case .end(let name):
                guard allowed.contains(name), !void.contains(name), let position = open.lastIndex(of: name) else { continue }
                // Close what was left open inside it, then it.
                for inner in open[position...].reversed() { out += "</\(inner)>" }
                open.removeSubrange(position...)
            }
        }
        for name in open.reversed() { out += "</\(name)>" }
        return Sanitized(html: out, remoteImages: remote)
    }
}

/// Text and attribute values escaped for HTML.
enum HTMLEscaping {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\u{0}": out += "\u{FFFD}"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }
}

import Foundation
