/// The header section of an RFC 5322 message — the lines before the first empty one — as its
/// fields, in order, with folded lines joined (the line break removed, the white space kept).
/// Line ends may be CRLF or LF alone (a pipe from a mail server delivers LF). A first line
/// `From …` (an mbox envelope) is not a field; a line that is neither a field nor a continuation
/// starts the body (the empty line was left out), as Python's `email` and mail readers read it; a
/// continuation with no field before it is kept aside as damage. Values are read as UTF-8 (RFC
/// 6532), an invalid byte as U+FFFD; `text(_:)` decodes encoded words.
public struct MessageHeaders: Sendable {
    public struct Field: Sendable, Equatable {
        public let name: String
        /// The value as sent, unfolded, with the one space after the colon removed.
        public let value: String
    }

    public let fields: [Field]
    /// Where the body starts in the message's bytes (after the empty line), or the end.
    public let bodyOffset: Int
    /// Continuation lines with no field to continue.
    public let damaged: [String]

    public init(parsing message: [UInt8]) {
        self.init(parsing: message, in: 0..<message.count, part: false)
    }

    /// The header section starting at `range`'s start and ending by `range`'s end; a MIME `part`
    /// has no mbox line.
    init(parsing message: [UInt8], in range: Range<Int>, part: Bool) {
        var fields: [Field] = []
        var damaged: [String] = []
        var current: (name: String, value: [UInt8])?
        var index = range.lowerBound
        var first = true
        var bodyOffset = range.upperBound
        func finish() {
            if let field = current {
                var value = String(decoding: field.value, as: UTF8.self)
                while value.first == " " || value.first == "\t" { value.removeFirst() }
                while value.last == " " || value.last == "\t" { value.removeLast() }
                fields.append(Field(name: field.name, value: value))
            }
            current = nil
        }
        while index < range.upperBound {
            var end = index
            while end < range.upperBound, message[end] != 0x0A { end += 1 }
            let next = end < range.upperBound ? end + 1 : end
            var line = message[index..<end]
            if line.last == 0x0D { line = line.dropLast() }
            defer { first = false }
            if line.isEmpty {
                bodyOffset = next
                break
            }
            if line.first == 0x20 || line.first == 0x09 {
                if current != nil {
                    current!.value += line
                } else {
                    damaged.append(String(decoding: line, as: UTF8.self))
                }
            } else if first, !part, line.starts(with: Array("From ".utf8)) {
                // An mbox envelope line.
            } else if let colon = line.firstIndex(of: UInt8(ascii: ":")),
                      colon > line.startIndex, line[line.startIndex..<colon].allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
                finish()
                current = (String(decoding: line[line.startIndex..<colon], as: UTF8.self), Array(line[(colon + 1)...]))
            } else {
                // Neither a field nor a continuation: the empty line is missing, the body starts
                // here (as Python's email and mail readers read it).
                bodyOffset = index
                break
            }
            index = next
        }
        finish()
        self.fields = fields
        self.bodyOffset = bodyOffset
        self.damaged = damaged
    }

    /// The first field named `name` (any case), as sent.
    public func value(_ name: String) -> String? {
        let wanted = name.lowercased()
        return fields.first { $0.name.lowercased() == wanted }?.value
    }

    /// Every field named `name`, in order.
    public func values(_ name: String) -> [String] {
        let wanted = name.lowercased()
        return fields.filter { $0.name.lowercased() == wanted }.map(\.value)
    }

    /// An unstructured field's text (`Subject`, `Comments`): encoded words decoded, runs of white
    /// space left by folding kept as sent.
    public func text(_ name: String) -> String? {
        value(name).map(EncodedWords.decode)
    }
}
