/// One entity of a message (RFC 2045): its headers, its media type, and its body — content
/// (transfer encoding already undone), the parts of a multipart, or the message a `message/rfc822`
/// part carries.
public struct MIMEPart: Sendable {
    public indirect enum Body: Sendable {
        /// A leaf's bytes, base64, quoted-printable or uuencode decoded.
        case content([UInt8])
        /// A multipart's parts, in order.
        case parts([MIMEPart])
        /// The message a `message/*` part encloses.
        case message(MIMEPart)
    }

    public let headers: MessageHeaders
    public let contentType: MediaType
    public let body: Body
    /// The file name of a uuencoded part's `begin` line, when there was one.
    let uuencodedName: String?
    /// A `message/*` part's enclosed message as sent (transfer encoding undone), sharing the message's storage; else empty.
    public let enclosedBytes: ArraySlice<UInt8>

    init(headers: MessageHeaders, contentType: MediaType, body: Body, uuencodedName: String? = nil, enclosedBytes: ArraySlice<UInt8> = []) {
        self.headers = headers
        self.contentType = contentType
        self.body = body
        self.uuencodedName = uuencodedName
        self.enclosedBytes = enclosedBytes
    }

    /// The parts with content, depth first, entering multiparts and enclosed messages.
    public var leaves: [MIMEPart] {
        switch body {
        case .content: [self]
        case .parts(let parts): parts.flatMap(\.leaves)
        case .message(let message): message.leaves
        }
    }

    /// A leaf's bytes (empty for a container).
    public var content: [UInt8] {
        if case .content(let bytes) = body { return bytes }
        return []
    }

    /// `Content-Disposition`, if sent.
    public var disposition: HeaderParameters? {
        headers.value("Content-Disposition").map(HeaderParameters.init(parsing:))
    }

    /// The file name: the disposition's `filename`, else the type's `name` (older mailers), else a
    /// uuencoded part's own; encoded words and RFC 2231 decoded, white space trimmed.
    public var filename: String? {
        let name = disposition?["filename"] ?? contentType["name"] ?? uuencodedName
        return name.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    /// `Content-ID` without its angle brackets — what a `cid:` link in HTML names.
    public var contentID: String? {
        guard var id = headers.value("Content-ID")?.trimmingCharacters(in: .whitespaces), !id.isEmpty else { return nil }
        if id.hasPrefix("<") { id.removeFirst() }
        if id.hasSuffix(">") { id.removeLast() }
        return id
    }

    /// A leaf's text, read in its charset, when its type is `text/*` (or a multipart that had no
    /// parts, which readers show as text).
    public var text: Charsets.Decoded? {
        guard case .content(let bytes) = body, contentType.type == "text" || contentType.type == "multipart" else { return nil }
        return Charsets.decode(bytes, charset: contentType["charset"])
    }
}

import Foundation
