/// A part's `Content-Type`: type and subtype lower-cased, with its parameters. A missing or
/// unreadable value is the context's default — `text/plain`, or `message/rfc822` inside a
/// `multipart/digest` (RFC 2046 §5.1.5).
public struct MediaType: Sendable, Equatable {
    public let type: String
    public let subtype: String
    public let parameters: HeaderParameters

    /// `type/subtype`.
    public var name: String { type + "/" + subtype }

    public subscript(_ parameter: String) -> String? { parameters[parameter] }

    init(header: String?, default fallback: String) {
        let parsed = HeaderParameters(parsing: header ?? fallback)
        let pieces = parsed.value.lowercased().split(separator: "/", omittingEmptySubsequences: false)
        if header != nil, pieces.count == 2, !pieces[0].isEmpty, !pieces[1].isEmpty,
           pieces.allSatisfy({ $0.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F } }) {
            type = String(pieces[0])
            subtype = String(pieces[1])
            parameters = parsed
        } else {
            // Python's email and mail readers alike read a value without exactly one '/' as text/plain.
            let fallbackPieces = fallback.split(separator: "/")
            type = header == nil ? String(fallbackPieces[0]) : "text"
            subtype = header == nil ? String(fallbackPieces[1]) : "plain"
            parameters = parsed
        }
    }
}
