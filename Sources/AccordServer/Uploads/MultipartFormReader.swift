import Foundation
import NIOCore

/// Reads a `multipart/form-data` body (RFC 7578) as it arrives, piece by piece, with bounded
/// memory: a part's bytes are handed on as they come, never gathered, and only a delimiter's length
/// is held back between pieces (it may be the start of the next delimiter).
///
/// ```swift
/// var reader = try MultipartFormReader(boundary: "xyz")
/// for piece in pieces {
///     for event in try reader.read(piece) { … }   // .part(headers), .bytes(…), .partEnd
/// }
/// try reader.finish()                              // the closing delimiter must have come
/// ```
///
/// Written here because MultipartKit's parser traps on a header name byte of 0x80 or above and
/// parses whole bodies in memory; this reader refuses such a name with an error instead.
struct MultipartFormReader {
    /// What a piece of the body brought.
    enum Event: Equatable {
        /// A part begins, with its headers (names as sent; values as UTF-8, unfolded).
        case part(MultipartPartHeaders)
        /// Bytes of the current part's content.
        case bytes(ByteBuffer)
        /// The current part ended.
        case partEnd
    }

    /// Why a body is not a readable multipart/form-data body.
    struct Malformed: Error, Equatable, CustomStringConvertible {
        let description: String
    }

    /// Largest header block of one part.
    static let maxHeaderBytes = 16 * 1024
    /// Most parts in one body.
    static let maxParts = 64

    private enum State {
        case preamble
        /// Just after a delimiter: `--` ends the body, otherwise optional padding and CRLF.
        case afterDelimiter
        case headers
        case content
        case epilogue
    }

    private let delimiter: [UInt8]
    private var state = State.preamble
    /// Bytes received but not yet handed on: a possible delimiter start, or an unfinished header block.
    private var held: [UInt8]
    private var parts = 0

    /// A reader for bodies whose `Content-Type` names `boundary` (1 to 70 characters, RFC 2046).
    init(boundary: String) throws {
        guard (1...70).contains(boundary.utf8.count), boundary.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
            throw Malformed(description: "the multipart boundary must be 1 to 70 printable ASCII characters")
        }
        delimiter = Array("\r\n--\(boundary)".utf8)
        // The first delimiter may open the body without a line break before it.
        held = [13, 10]
    }

    /// The events `piece` completes, in order.
    mutating func read(_ piece: ByteBuffer) throws -> [Event] {
        held.append(contentsOf: piece.readableBytesView)
        var events: [Event] = []
        var progressed = true
        while progressed {
            progressed = try step(&events)
        }
        return events
    }

    /// Checks that the body ended where it may: after its closing delimiter.
    func finish() throws {
        guard case .epilogue = state else {
            throw Malformed(description: parts == 0 ? "the body holds no multipart part" : "the body ends before its closing boundary")
        }
    }

    /// Moves on as far as the held bytes allow; false when more bytes are needed.
    private mutating func step(_ events: inout [Event]) throws -> Bool {
        switch state {
        case .preamble, .content:
            if let found = Self.find(delimiter, in: held) {
                if case .content = state {
                    if found > 0 { events.append(.bytes(ByteBuffer(bytes: held[0..<found]))) }
                    events.append(.partEnd)
                }
                held.removeFirst(found + delimiter.count)
                state = .afterDelimiter
                return true
            }
            // Everything but a possible start of the delimiter can go.
            let keep = min(held.count, delimiter.count - 1)
            let release = held.count - keep
            if release > 0 {
                if case .content = state { events.append(.bytes(ByteBuffer(bytes: held[0..<release]))) }
                held.removeFirst(release)
            }
            return false
        case .afterDelimiter:
            guard held.count >= 2 else { return false }
            if held[0] == UInt8(ascii: "-"), held[1] == UInt8(ascii: "-") {
                state = .epilogue
                held = []
                return false
            }
            // Transport padding (spaces and tabs), then CRLF.
            var index = 0
            while index < held.count, held[index] == 32 || held[index] == 9 { index += 1 }
            guard index + 1 < held.count else {
                guard index < 256 else { throw Malformed(description: "a multipart boundary line is too long") }
                return false
            }
            guard held[index] == 13, held[index + 1] == 10 else {
                throw Malformed(description: "a multipart boundary is followed by something other than a line break")
            }
            held.removeFirst(index + 2)
            parts += 1
            guard parts <= Self.maxParts else { throw Malformed(description: "the body has more than \(Self.maxParts) parts") }
            state = .headers
            return true
        case .headers:
            let end: Int
            let skip: Int
            if held.count >= 2, held[0] == 13, held[1] == 10 {
                (end, skip) = (0, 2)
            } else if let found = Self.find([13, 10, 13, 10], in: held) {
                (end, skip) = (found, 4)
            } else {
                guard held.count <= Self.maxHeaderBytes else {
                    throw Malformed(description: "part \(parts) has more than \(Self.maxHeaderBytes / 1024) KB of headers")
                }
                return false
            }
            guard end <= Self.maxHeaderBytes else {
                throw Malformed(description: "part \(parts) has more than \(Self.maxHeaderBytes / 1024) KB of headers")
            }
            let headers = try MultipartPartHeaders(block: held[0..<end], part: parts)
            held.removeFirst(end + skip)
            events.append(.part(headers))
            state = .content
            return true
        case .epilogue:
            held = []
            return false
        }
    }

    /// Where `needle` first occurs in `haystack`: candidates by the needle's first byte, each then
    /// compared whole.
    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        let last = haystack.count - needle.count
        return haystack.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { pin in
                var index = 0
                while index <= last {
                    guard let candidate = hay[index...last].firstIndex(of: first) else { return nil }
                    if memcmp(hay.baseAddress! + candidate, pin.baseAddress!, pin.count) == 0 { return candidate }
                    index = candidate + 1
                }
                return nil
            }
        }
    }
}

/// The headers of one part of a multipart/form-data body, with its form-field name and filename.
struct MultipartPartHeaders: Equatable {
    /// The headers as sent, in order (names as sent; look them up with `value(_:)`).
    let fields: [(name: String, value: String)]

    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.fields.map(\.name) == rhs.fields.map(\.name) && lhs.fields.map(\.value) == rhs.fields.map(\.value)
    }

    /// Parses a header block (lines joined by CRLF, without the blank line that ends it).
    init<Bytes: Collection<UInt8>>(block: Bytes, part: Int) throws {
        var fields: [(name: String, value: String)] = []
        let text = Array(block)
        var lines: [[UInt8]] = []
        var start = 0
        var index = 0
        while index < text.count {
            if text[index] == 13, index + 1 < text.count, text[index + 1] == 10 {
                lines.append(Array(text[start..<index]))
                index += 2
                start = index
            } else {
                index += 1
            }
        }
        if start < text.count { lines.append(Array(text[start...])) }
        for line in lines where !line.isEmpty {
            // A line beginning with space or tab continues the previous header (obsolete folding).
            if line[0] == 32 || line[0] == 9, let last = fields.popLast() {
                fields.append((last.name, last.value + " " + String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespaces)))
                continue
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
                throw MultipartFormReader.Malformed(description: "part \(part) has a header line without a colon")
            }
            let name = line[0..<colon]
            guard !name.isEmpty, name.allSatisfy(Self.isTokenByte) else {
                throw MultipartFormReader.Malformed(description: "part \(part) has a header name that is not ASCII")
            }
            let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingCharacters(in: .whitespaces)
            fields.append((String(decoding: name, as: UTF8.self), value))
        }
        self.fields = fields
    }

    /// The first value of the header `name` (compared without case).
    func value(_ name: String) -> String? {
        fields.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// The form field this part carries (`Content-Disposition: form-data; name="…"`).
    var name: String? { dispositionParameters["name"] }

    /// The file name the client gave (`filename*` in RFC 5987 form wins over `filename`).
    var filename: String? {
        let parameters = dispositionParameters
        if let extended = parameters["filename*"], let decoded = Self.decodeExtended(extended) { return decoded }
        return parameters["filename"]
    }

    /// The part's content type, if it said one.
    var contentType: String? { value("Content-Type") }

    private var dispositionParameters: [String: String] {
        guard let disposition = value("Content-Disposition") else { return [:] }
        var parameters: [String: String] = [:]
        var index = disposition.startIndex
        // Skip the disposition type.
        while index < disposition.endIndex, disposition[index] != ";" { index = disposition.index(after: index) }
        while index < disposition.endIndex {
            index = disposition.index(after: index)   // past ';'
            while index < disposition.endIndex, disposition[index] == " " || disposition[index] == "\t" { index = disposition.index(after: index) }
            var key = ""
            while index < disposition.endIndex, disposition[index] != "=", disposition[index] != ";" {
                key.append(disposition[index])
                index = disposition.index(after: index)
            }
            var value = ""
            if index < disposition.endIndex, disposition[index] == "=" {
                index = disposition.index(after: index)
                if index < disposition.endIndex, disposition[index] == "\"" {
                    index = disposition.index(after: index)
                    while index < disposition.endIndex, disposition[index] != "\"" {
                        if disposition[index] == "\\", disposition.index(after: index) < disposition.endIndex {
                            index = disposition.index(after: index)
                        }
                        value.append(disposition[index])
                        index = disposition.index(after: index)
                    }
                    if index < disposition.endIndex { index = disposition.index(after: index) }
                    while index < disposition.endIndex, disposition[index] != ";" { index = disposition.index(after: index) }
                } else {
                    while index < disposition.endIndex, disposition[index] != ";" {
                        value.append(disposition[index])
                        index = disposition.index(after: index)
                    }
                    value = value.trimmingCharacters(in: .whitespaces)
                }
            }
            let name = key.trimmingCharacters(in: .whitespaces).lowercased()
            if !name.isEmpty, parameters[name] == nil { parameters[name] = value }
        }
        return parameters
    }

    /// `UTF-8''%E6%97%A5.txt` (RFC 5987) decoded; nil for another charset or bad escapes.
    private static func decodeExtended(_ text: String) -> String? {
        let pieces = text.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
        guard pieces.count == 3, pieces[0].lowercased() == "utf-8" else { return nil }
        return String(pieces[2]).removingPercentEncoding
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        byte > 32 && byte < 127 && byte != UInt8(ascii: ":")
    }
}
