/// An HTTP/1.1 answer read to the end of its connection: the status and the body, with a chunked
/// body put together.
enum HTTPAnswer {
    static func parse(_ bytes: [UInt8]) throws(GateFailure) -> DeskReply {
        guard let end = find([0x0D, 0x0A, 0x0D, 0x0A], in: bytes[...]) else {
            throw GateFailure(bytes.isEmpty ? "the desk closed the connection without an answer" : "the desk's answer was cut short")
        }
        let head = String(decoding: bytes[..<end], as: UTF8.self)
        let lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusParts = lines[0].split(separator: " ", maxSplits: 2)
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), let status = Int(statusParts[1]), (100...599).contains(status) else {
            throw GateFailure("the desk's answer is not HTTP: '\(lines[0].prefix(60))'")
        }
        var length: Int?
        var chunked = false
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingWhitespace()
            if name == "content-length" { length = Int(value) }
            if name == "transfer-encoding" && value.lowercased().contains("chunked") { chunked = true }
        }
        var body = bytes[(end + 4)...]
        if chunked {
            return DeskReply(status: status, body: try dechunk(body))
        }
        if let length {
            guard length <= body.count else { throw GateFailure("the desk's answer was cut short") }
            body = body.prefix(length)
        }
        return DeskReply(status: status, body: Array(body))
    }

    /// A chunked body's data.
    static func dechunk(_ bytes: ArraySlice<UInt8>) throws(GateFailure) -> [UInt8] {
        var body: [UInt8] = []
        var rest = bytes
        while true {
            guard let lineEnd = find([0x0D, 0x0A], in: rest) else { throw GateFailure("the desk's answer was cut short") }
            let sizeText = String(decoding: rest[..<lineEnd], as: UTF8.self).split(separator: ";").first.map { $0.trimmingWhitespace() } ?? ""
            guard let size = Int(sizeText, radix: 16), size >= 0 else { throw GateFailure("the desk's answer has a bad chunk size '\(sizeText.prefix(20))'") }
            rest = rest[(lineEnd + 2)...]
            if size == 0 { return body }
            guard rest.count >= size + 2 else { throw GateFailure("the desk's answer was cut short") }
            body.append(contentsOf: rest.prefix(size))
            rest = rest.dropFirst(size + 2)
        }
    }

    static func find(_ needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var index = haystack.startIndex
        while index + needle.count <= haystack.endIndex {
            if haystack[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
