/// HTML as mail carries it, read into tokens without ever failing: text, start tags with their
/// attributes (names lower-cased, values with character references decoded), end tags; comments,
/// doctypes and processing instructions are skipped. The raw-text elements (`script`, `style`,
/// `textarea`, `title`, `xmp`) hold text up to their own end tag, as browsers read them. Enough of
/// the HTML standard's tokenizer for converting and sanitising a message; not a DOM.
struct HTMLTokenizer {
    enum Token: Equatable {
        case text(String)
        case start(name: String, attributes: [(name: String, value: String)], selfClosing: Bool)
        case end(name: String)

        static func == (lhs: Token, rhs: Token) -> Bool {
            switch (lhs, rhs) {
            case (.text(let a), .text(let b)): a == b
            case (.end(let a), .end(let b)): a == b
            case (.start(let a, let x, let s), .start(let b, let y, let t)):
                a == b && s == t && x.map(\.name) == y.map(\.name) && x.map(\.value) == y.map(\.value)
            default: false
            }
        }
    }

    static let rawText: Set<String> = ["script", "style", "textarea", "title", "xmp", "noscript", "iframe", "noembed", "noframes"]

    static func tokens(_ html: String) -> [Token] {
        let bytes = Array(html.utf8)
        var tokens: [Token] = []
        var index = 0
        var textStart = 0
        func flushText(_ end: Int) {
            if textStart < end { tokens.append(.text(HTMLEntities.decode(String(decoding: bytes[textStart..<end], as: UTF8.self)))) }
        }
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "<"), index + 1 < bytes.count else {
                index += 1
                continue
            }
            let next = bytes[index + 1]
            if next == UInt8(ascii: "!") || next == UInt8(ascii: "?") {
                flushText(index)
                // <!-- comment -->, <!DOCTYPE …>, <?xml …?>, <![CDATA[…]]>
                if bytes[index...].starts(with: Array("<!--".utf8)) {
                    index = find(bytes, Array("-->".utf8), from: index + 4).map { $0 + 3 } ?? bytes.count
                } else {
                    index = (bytes[index...].firstIndex(of: UInt8(ascii: ">")) ?? bytes.count - 1) + 1
                }
                textStart = index
                continue
            }
            let isEnd = next == UInt8(ascii: "/")
            let nameStart = index + (isEnd ? 2 : 1)
            guard nameStart < bytes.count, isLetter(bytes[nameStart]) else {
                index += 1   // a '<' that opens no tag is text
                continue
            }
            flushText(index)
            var cursor = nameStart
            while cursor < bytes.count, !isSpace(bytes[cursor]), bytes[cursor] != UInt8(ascii: ">"), bytes[cursor] != UInt8(ascii: "/") { cursor += 1 }
            let name = String(decoding: bytes[nameStart..<cursor], as: UTF8.self).lowercased()
            var attributes: [(name: String, value: String)] = []
            var selfClosing = false
            // Attributes up to '>'.
            while cursor < bytes.count, bytes[cursor] != UInt8(ascii: ">") {
                if isSpace(bytes[cursor]) { cursor += 1; continue }
                if bytes[cursor] == UInt8(ascii: "/") {
                    selfClosing = cursor + 1 < bytes.count && bytes[cursor + 1] == UInt8(ascii: ">")
                    cursor += 1
                    continue
                }
                let attributeStart = cursor
                while cursor < bytes.count, !isSpace(bytes[cursor]), bytes[cursor] != UInt8(ascii: ">"), bytes[cursor] != UInt8(ascii: "="),
                      cursor == attributeStart || bytes[cursor] != UInt8(ascii: "/") { cursor += 1 }
                let attributeName = String(decoding: bytes[attributeStart..<cursor], as: UTF8.self).lowercased()
                while cursor < bytes.count, isSpace(bytes[cursor]) { cursor += 1 }
                var value = ""
                if cursor < bytes.count, bytes[cursor] == UInt8(ascii: "=") {
                    cursor += 1
                    while cursor < bytes.count, isSpace(bytes[cursor]) { cursor += 1 }
                    if cursor < bytes.count, bytes[cursor] == UInt8(ascii: "\"") || bytes[cursor] == UInt8(ascii: "'") {
                        let quote = bytes[cursor]
                        let valueStart = cursor + 1
                        cursor = bytes[valueStart...].firstIndex(of: quote) ?? bytes.count
                        value = String(decoding: bytes[valueStart..<cursor], as: UTF8.self)
                        if cursor < bytes.count { cursor += 1 }
                    } else {
                        let valueStart = cursor
                        while cursor < bytes.count, !isSpace(bytes[cursor]), bytes[cursor] != UInt8(ascii: ">") { cursor += 1 }
                        value = String(decoding: bytes[valueStart..<cursor], as: UTF8.self)
                    }
                }
                if !attributeName.isEmpty, !attributes.contains(where: { $0.name == attributeName }) {
                    attributes.append((attributeName, HTMLEntities.decode(value)))
                }
            }
            index = min(cursor + 1, bytes.count)
            textStart = index
            if isEnd {
                tokens.append(.end(name: name))
                continue
            }
            tokens.append(.start(name: name, attributes: attributes, selfClosing: selfClosing))
            if rawText.contains(name), !selfClosing {
                // Everything up to </name> is this element's text.
                let close = Array("</\(name)".utf8)
                var search = index
                var found: Int?
                while let candidate = findCaseless(bytes, close, from: search) {
                    let after = candidate + close.count
                    if after >= bytes.count || isSpace(bytes[after]) || bytes[after] == UInt8(ascii: ">") || bytes[after] == UInt8(ascii: "/") {
                        found = candidate
                        break
                    }
                    search = candidate + 1
                }
                let end = found ?? bytes.count
                let raw = String(decoding: bytes[index..<end], as: UTF8.self)
                if !raw.isEmpty { tokens.append(.text(name == "textarea" || name == "title" ? HTMLEntities.decode(raw) : raw)) }
                tokens.append(.end(name: name))
                index = found.map { (bytes[$0...].firstIndex(of: UInt8(ascii: ">")) ?? bytes.count - 1) + 1 } ?? bytes.count
                textStart = index
            }
        }
        flushText(bytes.count)
        return tokens
    }

    private static func isLetter(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) }
    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C }

    private static func find(_ bytes: [UInt8], _ needle: [UInt8], from start: Int) -> Int? {
        guard needle.count <= bytes.count else { return nil }
        var index = start
        while index + needle.count <= bytes.count {
            if bytes[index] == needle[0], bytes[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    private static func findCaseless(_ bytes: [UInt8], _ needle: [UInt8], from start: Int) -> Int? {
        var index = start
        while index + needle.count <= bytes.count {
            var matches = true
            for offset in 0..<needle.count {
                var byte = bytes[index + offset]
                if (0x41...0x5A).contains(byte) { byte += 0x20 }
                if byte != needle[offset] { matches = false; break }
            }
            if matches { return index }
            index += 1
        }
        return nil
    }
}
