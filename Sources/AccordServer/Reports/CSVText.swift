import Vapor

/// CSV as RFC 4180 writes it, for spreadsheets: CRLF line ends, a field quoted when it holds a
/// comma, quote or line end — and a field a spreadsheet would run as a formula (leading = + - @)
/// written with a leading quote mark, so a case title never becomes one.
enum CSVText {
    static func lines(_ rows: [[String]]) -> String {
        rows.map { $0.map(field).joined(separator: ",") + "\r\n" }.joined()
    }

    /// `text` as a CSV download named `filename`.
    static func response(_ text: String, filename: String) -> Response {
        let response = Response(status: .ok)
        response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8", "header": "present"])
        response.headers.contentDisposition = .init(.attachment, filename: filename)
        response.body = .init(string: text)
        return response
    }

    static func field(_ text: String) -> String {
        var text = text
        if let first = text.first, "=+-@".contains(first) { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
