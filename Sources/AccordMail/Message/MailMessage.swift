/// A whole RFC 5322 message read into its MIME tree (RFC 2045, 2046): multiparts of any kind —
/// mixed, alternative, related, digest, nested — split at their boundaries, a part whose closing
/// boundary never came ended where its content ends, a multipart whose boundary never appears read
/// as one text; `message/rfc822` parts read as messages; base64, quoted-printable and uuencode
/// undone leniently. Bytes in, values out: no I/O; never throws.
///
/// ```swift
/// let message = MailMessage(parsing: bytes)
/// message.headers.text("Subject")
/// for part in message.root.leaves { part.contentType.name; part.filename; part.content.count }
/// ```
///
/// A hostile message cannot make it work without bound: past `Limits.parts` parts the rest are
/// not read (the raw message, which the desk keeps, still has them), past `Limits.depth` levels a
/// multipart or enclosed message is kept as content, and `limitsReached` says so.
public struct MailMessage: Sendable {
    public struct Limits: Sendable {
        /// Most entities read in one message.
        public var parts: Int
        /// Deepest nesting of multiparts and enclosed messages.
        public var depth: Int
        public static let standard = Limits(parts: 1000, depth: 32)
        public init(parts: Int, depth: Int) {
            self.parts = parts
            self.depth = depth
        }
    }

    public let root: MIMEPart
    /// True when the message had more parts or deeper nesting than the limits read.
    public let limitsReached: Bool

    public var headers: MessageHeaders { root.headers }

    public init(parsing bytes: [UInt8], limits: Limits = .standard) {
        var parser = Parser(limits: limits)
        root = parser.entity(bytes, in: 0..<bytes.count, part: false, default: "text/plain", depth: 0)
        limitsReached = parser.limitsReached
    }

    private struct Parser {
        let limits: Limits
        var count = 0
        var limitsReached = false

        mutating func entity(_ bytes: [UInt8], in range: Range<Int>, part: Bool, default fallback: String, depth: Int) -> MIMEPart {
            count += 1
            let headers = MessageHeaders(parsing: bytes, in: range, part: part)
            let type = MediaType(header: headers.value("Content-Type"), default: fallback)
            let bodyRange = headers.bodyOffset..<range.upperBound
            let encoding = (headers.value("Content-Transfer-Encoding") ?? "").trimmingCharacters(in: .whitespaces).lowercased()
            let nested = depth + 1 < limits.depth && count < limits.parts
            if type.type == "multipart", nested {
                if let boundary = type["boundary"], !boundary.isEmpty,
                   let parts = multipart(bytes, in: bodyRange, boundary: boundary, digest: type.subtype == "digest", depth: depth) {
                    return MIMEPart(headers: headers, contentType: type, body: parts)
                }
            } else if type.type == "message", type.subtype != "delivery-status", nested {
                if ["base64", "quoted-printable"].contains(encoding) {
                    let inner = Self.decode(bytes[bodyRange], encoding: encoding).bytes
                    let message = entity(inner, in: 0..<inner.count, part: false, default: "text/plain", depth: depth + 1)
                    return MIMEPart(headers: headers, contentType: type, body: .message(message), enclosedBytes: inner[...])
                }
                let message = entity(bytes, in: bodyRange, part: false, default: "text/plain", depth: depth + 1)
                return MIMEPart(headers: headers, contentType: type, body: .message(message), enclosedBytes: bytes[bodyRange])
            } else if !nested, type.type == "multipart" || type.type == "message" {
                limitsReached = true
            }
            let decoded = Self.decode(bytes[bodyRange], encoding: encoding)
            return MIMEPart(headers: headers, contentType: type, body: .content(decoded.bytes), uuencodedName: decoded.name)
        }

        /// The parts between `boundary`'s delimiter lines, or nil when no delimiter line opens a part.
        mutating func multipart(_ bytes: [UInt8], in range: Range<Int>, boundary: String, digest: Bool, depth: Int) -> MIMEPart.Body? {
            let delimiter = Array(("--" + boundary).utf8)
            var parts: [MIMEPart] = []
            /// Where the current part's content starts, once a delimiter opened one.
            var open: Int?
            var closed = false
            var lineStart = range.lowerBound
            var preambleEnd: Int?
            while lineStart < range.upperBound {
                var lineEnd = lineStart
                while lineEnd < range.upperBound, bytes[lineEnd] != 0x0A { lineEnd += 1 }
                let next = lineEnd < range.upperBound ? lineEnd + 1 : lineEnd
                if let close = Self.delimiterLine(bytes, lineStart..<lineEnd, delimiter) {
                    // The line end before a delimiter line belongs to the delimiter.
                    var contentEnd = lineStart
                    if contentEnd > range.lowerBound, bytes[contentEnd - 1] == 0x0A { contentEnd -= 1 }
                    if contentEnd > range.lowerBound, bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
                    if let start = open, start == lineStart {
                        // A delimiter line right after another opens no part (as Python reads it).
                    } else if let start = open {
                        if count >= limits.parts {
                            limitsReached = true
                        } else {
                            parts.append(entity(bytes, in: start..<max(start, contentEnd), part: true,
                                                default: digest ? "message/rfc822" : "text/plain", depth: depth + 1))
                        }
                    } else if preambleEnd == nil {
                        preambleEnd = max(range.lowerBound, contentEnd)
                    }
                    if close {
                        closed = true
                        open = nil
                        break
                    }
                    open = next
                }
                lineStart = next
            }
            if let start = open, !closed {
                // No closing delimiter: the last part runs to the end.
                if count >= limits.parts {
                    limitsReached = true
                } else {
                    parts.append(entity(bytes, in: start..<range.upperBound, part: true, default: digest ? "message/rfc822" : "text/plain", depth: depth + 1))
                }
            }
            guard let preambleEnd else { return nil }
            if parts.isEmpty {
                // Closed before any part: what there is, the preamble, is the content.
                return .content(Array(bytes[range.lowerBound..<preambleEnd]))
            }
            return .parts(parts)
        }

        /// Whether the line is `--boundary` (false) or `--boundary--` (true), white space after
        /// allowed; nil when it is neither.
        static func delimiterLine(_ bytes: [UInt8], _ line: Range<Int>, _ delimiter: [UInt8]) -> Bool? {
            guard line.count >= delimiter.count, bytes[line.lowerBound] == 0x2D, bytes[line.lowerBound + 1] == 0x2D else { return nil }
            for offset in 0..<delimiter.count where bytes[line.lowerBound + offset] != delimiter[offset] { return nil }
            var index = line.lowerBound + delimiter.count
            var close = false
            if index + 1 < line.upperBound, bytes[index] == 0x2D, bytes[index + 1] == 0x2D {
                close = true
                index += 2
            }
            while index < line.upperBound {
                let byte = bytes[index]
                guard byte == 0x20 || byte == 0x09 || (byte == 0x0D && index + 1 == line.upperBound) else { return nil }
                index += 1
            }
            return close
        }

        static func decode(_ body: ArraySlice<UInt8>, encoding: String) -> UUEncoding.Decoded {
            switch encoding {
            case "base64": UUEncoding.Decoded(bytes: Base64Lenient.decode(body), name: nil)
            case "quoted-printable": UUEncoding.Decoded(bytes: QuotedPrintable.decode(body), name: nil)
            case "x-uuencode", "uuencode", "x-uue", "uue": UUEncoding.decode(body)
            default: UUEncoding.Decoded(bytes: Array(body), name: nil)
            }
        }
    }
}

import Foundation
