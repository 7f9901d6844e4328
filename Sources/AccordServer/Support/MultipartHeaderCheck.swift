import NIOCore

/// Checks the header names of every part of a `multipart/form-data` body before MultipartKit parses
/// it: MultipartKit 4.7 indexes a 128-entry table with each header-name byte, so a byte of 0x80 or
/// above in a name (or in a header line without a colon) traps and kills the server. Header values
/// may be UTF-8 (a browser sends `filename="æøå.txt"` so); names never are.
enum MultipartHeaderCheck {
    /// The first part header whose name is not ASCII, or nil when every name is.
    static func firstNonASCIIName(in body: ByteBuffer, boundary: String) -> Int? {
        let bytes = body.readableBytesView
        let delimiter = Array(("--" + boundary).utf8)
        guard !delimiter.isEmpty else { return nil }
        var part = 1
        var index = bytes.startIndex
        while let start = find(delimiter, in: bytes, from: index) {
            var cursor = start + delimiter.count
            // The closing delimiter ends the body.
            if cursor + 1 < bytes.endIndex, bytes[cursor] == UInt8(ascii: "-"), bytes[cursor + 1] == UInt8(ascii: "-") { return nil }
            if cursor + 1 < bytes.endIndex, bytes[cursor] == 13, bytes[cursor + 1] == 10 { cursor += 2 }
            // Header lines until an empty line (or the end): the name is what comes before ':'.
            while cursor < bytes.endIndex {
                var end = cursor
                while end < bytes.endIndex, !(bytes[end] == 13 && end + 1 < bytes.endIndex && bytes[end + 1] == 10) { end += 1 }
                if end == cursor { break }
                var position = cursor
                while position < end, bytes[position] != UInt8(ascii: ":") {
                    if bytes[position] >= 0x80 { return part }
                    position += 1
                }
                cursor = end + 2
            }
            index = max(cursor, start + delimiter.count)
            part += 1
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in bytes: ByteBufferView, from start: Int) -> Int? {
        guard let first = needle.first, start < bytes.endIndex else { return nil }
        var index = start
        while index + needle.count <= bytes.endIndex {
            if bytes[index] == first, bytes[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
