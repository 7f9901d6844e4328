import NIOCore

/// One response line of an IMAP server (RFC 9051 §7), its literals taken out: `text` is the line
/// with each `{N}` literal's marker kept and its bytes in `literals`, in order — a FETCH of a
/// message is `* 3 FETCH (UID 7 BODY[] {2048})` with the message as the one literal.
struct IMAPResponse: Sendable, Equatable {
    var text: String
    var literals: [[UInt8]]

    /// The tag of a tagged response (`A7 OK …` → `A7`); "*" and "+" for untagged and continuation.
    var tag: Substring { text.prefix { $0 != " " } }
}

/// Splits the server's bytes into responses: a line ends at CRLF unless it ends with a literal's
/// `{N}` (or `{N+}`), whose N bytes follow and the line goes on after them. Literals beyond
/// `maxLiteral` bytes are refused: a server cannot make the desk hold more than it would take.
struct IMAPResponseDecoder: ByteToMessageDecoder {
    typealias InboundOut = IMAPResponse

    let maxLiteral: Int
    /// Longest line text besides literals (a SEARCH of many thousands of UIDs stays far below).
    let maxLine = 4 * 1024 * 1024

    struct TooLarge: Error, CustomStringConvertible {
        let description: String
    }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let response = try Self.parse(&buffer, maxLiteral: maxLiteral, maxLine: maxLine) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(response))
        return .continue
    }

    /// The first whole response in `buffer`, consumed; nil (and nothing consumed) when more bytes are needed.
    static func parse(_ buffer: inout ByteBuffer, maxLiteral: Int, maxLine: Int) throws -> IMAPResponse? {
        let view = buffer.readableBytesView
        var text: [UInt8] = []
        var literals: [[UInt8]] = []
        var index = view.startIndex
        while true {
            guard let newline = view[index...].firstIndex(of: UInt8(ascii: "\n")) else {
                if view.endIndex - view.startIndex > maxLine + literals.reduce(0) { $0 + $1.count } + maxLiteral {
                    throw TooLarge(description: "an IMAP response line longer than \(maxLine) bytes")
                }
                return nil
            }
            var line = Array(view[index..<newline])[...]
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            text += line
            guard text.count <= maxLine else { throw TooLarge(description: "an IMAP response line longer than \(maxLine) bytes") }
            guard let size = literalSize(line) else {
                buffer.moveReaderIndex(forwardBy: newline + 1 - view.startIndex)
                return IMAPResponse(text: String(decoding: text, as: UTF8.self), literals: literals)
            }
            guard size <= maxLiteral else { throw TooLarge(description: "an IMAP literal of \(size) bytes, over the desk's \(maxLiteral)") }
            let start = newline + 1
            guard view.endIndex - start >= size else { return nil }
            literals.append(Array(view[start..<(start + size)]))
            index = start + size
        }
    }

    /// N of a line ending in `{N}` or `{N+}`.
    static func literalSize(_ line: ArraySlice<UInt8>) -> Int? {
        guard line.last == UInt8(ascii: "}"), let open = line.lastIndex(of: UInt8(ascii: "{")) else { return nil }
        var digits = line[(open + 1)..<(line.endIndex - 1)]
        if digits.last == UInt8(ascii: "+") { digits = digits.dropLast() }
        guard !digits.isEmpty, digits.count <= 12, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }
}
