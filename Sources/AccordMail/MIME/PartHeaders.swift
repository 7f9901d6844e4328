import Foundation

/// The headers of one part of a multipart body, with what `Content-Disposition` says of a form
/// field's name and file name.
public struct PartHeaders: Equatable, Sendable {
    /// The headers as sent, in order (names as sent; look them up with `value(_:)`).
    public let fields: [(name: String, value: String)]

    public static func == (lhs: Self, rhs: Self) -> Bool {
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
                throw MultipartReader.Malformed(description: "part \(part) has a header line without a colon")
            }
            let name = line[0..<colon]
            guard !name.isEmpty, name.allSatisfy(Self.isTokenByte) else {
                throw MultipartReader.Malformed(description: "part \(part) has a header name that is not ASCII")
            }
            let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingCharacters(in: .whitespaces)
            fields.append((String(decoding: name, as: UTF8.self), value))
        }
        self.fields = fields
    }

    /// The first value of the header `name` (compared without case).
    public func value(_ name: String) -> String? {
        fields.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// The form field this part carries (`Content-Disposition: form-data; name="…"`).
    public var name: String? { dispositionParameters["name"] }

    /// The file name the client gave (`filename*` in RFC 5987 form wins over `filename`).
    public var filename: String? {
        let parameters = dispositionParameters
        if let extended = parameters["filename*"], let decoded = Self.decodeExtended(extended) { return decoded }
        return parameters["filename"]
    }

    /// The part's content type, if it said one.
    public var contentType: String? { value("Content-Type") }

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
