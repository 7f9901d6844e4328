public import Foundation

/// Reads a multipart body (RFC 2046: a mail's `multipart/*`, an upload's `multipart/form-data` of
/// RFC 7578) as it arrives, piece by piece, with bounded memory: a part's bytes are handed on as
/// they come, never gathered, and only a delimiter's length is held back between pieces (it may be
/// the start of the next delimiter).
///
/// ```swift
/// var reader = try MultipartReader(boundary: "xyz")
/// for piece in pieces {
///     for event in try reader.read(piece) { … }   // .part(headers), .bytes(…), .partEnd
/// }
/// try reader.finish()                              // the closing delimiter must have come
/// ```
///
/// Written here because MultipartKit's parser traps on a header name byte of 0x80 or above and
/// parses whole bodies in memory; this reader refuses such a name with an error instead. Pure: no
/// I/O, fuzzed (`Fuzz/`, `MultipartReaderFuzzer`).
public struct MultipartReader: Sendable {
    /// What a piece of the body brought.
    public enum Event: Equatable, Sendable {
        /// A part begins, with its headers (names as sent; values as UTF-8, unfolded).
        case part(PartHeaders)
        /// Bytes of the current part's content.
        case bytes([UInt8])
        /// The current part ended.
        case partEnd
    }

    /// Why a body is not a readable multipart body.
    public struct Malformed: Error, Equatable, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Largest header block of one part.
    public static let maxHeaderBytes = 16 * 1024
    /// Most parts in one body.
    public static let maxParts = 64

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
    public init(boundary: String) throws {
        guard (1...70).contains(boundary.utf8.count), boundary.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
            throw Malformed(description: "the multipart boundary must be 1 to 70 printable ASCII characters")
        }
        delimiter = Array("\r\n--\(boundary)".utf8)
        // The first delimiter may open the body without a line break before it.
        held = [13, 10]
    }

    /// The events `piece` completes, in order.
    public mutating func read<Bytes: Sequence<UInt8>>(_ piece: Bytes) throws -> [Event] {
        held.append(contentsOf: piece)
        var events: [Event] = []
        var progressed = true
        while progressed {
            progressed = try step(&events)
        }
        return events
    }

    /// Checks that the body ended where it may: after its closing delimiter.
    public func finish() throws {
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
                    if found > 0 { events.append(.bytes(Array(held[0..<found]))) }
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
                if case .content = state { events.append(.bytes(Array(held[0..<release]))) }
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
            let headers = try PartHeaders(block: held[0..<end], part: parts)
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
    public static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
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

