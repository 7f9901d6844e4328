/// What a message says, as the desk shows and stores it: the text a person wrote — the plain-text
/// version where the sender gave one, else the HTML turned into text — the HTML kept sanitised for
/// display, and the attachments with their decoded names. Inline `cid:` images are attachments
/// too, and the sanitised HTML shows them through `image`.
public struct MessageContent: Sendable {
    public struct Attachment: Sendable, Equatable {
        public let filename: String
        public let contentType: String
        public let bytes: [UInt8]
        /// The `Content-ID` an HTML part shows it by, if any.
        public let contentID: String?
        /// Shown inside the HTML (an inline image), not listed as a file sent.
        public let inline: Bool
    }

    /// The whole text (history and signature included), line ends as LF.
    public let text: String
    /// True when `text` came from HTML because no plain-text version was sent.
    public let textFromHTML: Bool
    /// The HTML version as sent (unsafe to show: see `html`), when there was one.
    public let htmlSource: String?
    /// The HTML version sanitised, when there was one: made when asked for (the desk's intake has no use for it).
    public var html: HTMLSanitizer.Sanitized? {
        let ids = Set(attachments.compactMap(\.contentID))
        let image = self.image
        return htmlSource.map { HTMLSanitizer.sanitize($0, image: { id in ids.contains(id) ? image(id) : nil }) }
    }
    private let image: @Sendable (String) -> String?
    public let attachments: [Attachment]
    /// True when some text came in a charset nobody knows and was read by a fallback.
    public let unknownCharset: Bool

    /// The text split into what was written, the signature and quoted history.
    public var reply: ReplyText { ReplyText(text) }

    /// `image(contentID)`: the address the desk will serve an inline image at.
    public init(_ message: MailMessage, image: @escaping @Sendable (String) -> String? = { _ in nil }) {
        self.image = image
        var texts: [String] = []
        var htmls: [String] = []
        var attachments: [Attachment] = []
        var unknown = false
        var fromHTML = false
        // Outlook's winmail.dat parts, unpacked: their files join the attachments; their text is
        // the message's only when it has none of its own.
        var unpacked: [TNEF] = []

        func read(_ part: MIMEPart) -> String {
            guard case .content(let bytes) = part.body else { return "" }
            let charset = part.contentType["charset"]
            let wide = charset.map { $0.lowercased().hasPrefix("utf-16") || $0.lowercased().hasPrefix("utf-32") || $0.lowercased().hasPrefix("ucs") } ?? false
            // Line ends as LF, on the bytes where the charset keeps CR and LF as single bytes (all but UTF-16/32).
            let decoded = Charsets.decode(wide ? bytes : Self.lineFeeds(bytes), charset: charset)
            if !decoded.known { unknown = true }
            return wide ? decoded.text.replacingOccurrences(of: "\r\n", with: "\n") : decoded.text
        }
        func attach(_ part: MIMEPart, inline: Bool = false) {
            let type = part.contentType.name
            if TNEF.isTNEF(contentType: type, filename: part.filename), let tnef = TNEF(Self.bytes(of: part)),
               !tnef.files.isEmpty || tnef.text != nil || tnef.html != nil || tnef.rtf != nil {
                for file in tnef.files {
                    attachments.append(Attachment(filename: file.name ?? "attachment-\(attachments.count + 1).bin", contentType: file.contentType ?? "application/octet-stream",
                                                  bytes: file.bytes, contentID: nil, inline: false))
                }
                unpacked.append(tnef)
                return
            }
            let name = part.filename.flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultName(part, index: attachments.count + 1)
            attachments.append(Attachment(filename: name, contentType: type, bytes: Self.bytes(of: part), contentID: part.contentID, inline: inline))
        }
        func isAttachment(_ part: MIMEPart) -> Bool {
            if part.disposition?.value.lowercased() == "attachment" { return true }
            if part.contentType.type == "text" || part.contentType.type == "multipart" {
                return part.filename != nil && part.disposition?.value.lowercased() != "inline"
            }
            return true
        }
        /// Walks a part in the body's reading order; `alternative` picks one version.
        func walk(_ part: MIMEPart) {
            switch part.body {
            case .content:
                if isAttachment(part) {
                    attach(part, inline: part.contentID != nil && part.disposition?.value.lowercased() != "attachment" && part.contentType.type == "image")
                } else if part.contentType.subtype == "html" {
                    htmls.append(read(part))
                    texts.append(HTMLText.text(htmls.last!))
                    fromHTML = true
                } else if part.contentType.type == "text" && ["plain", "enriched", "rfc822-headers"].contains(part.contentType.subtype) || part.contentType.type == "multipart" {
                    texts.append(read(part))
                } else {
                    attach(part)
                }
            case .message:
                // A forwarded message travels as a file of its own.
                attach(part)
            case .parts(let parts):
                if part.contentType.subtype == "alternative" {
                    // The richest version the desk reads: plain text for the text, HTML kept for display.
                    let plain = parts.last { $0.contentType.name == "text/plain" && !isAttachment($0) }
                    let html = parts.last { $0.contentType.name == "text/html" && !isAttachment($0) }
                    let nested = parts.last { if case .parts = $0.body { return true } else { return false } }
                    if let plain {
                        texts.append(read(plain))
                        if let html { htmls.append(read(html)) } else if let nested { walkForHTML(nested) }
                    } else if let nested {
                        walk(nested)
                    } else if let html {
                        walk(html)
                    } else if let last = parts.last {
                        walk(last)
                    }
                } else if part.contentType.subtype == "report", let first = parts.first {
                    // A delivery report: its human-readable part is the text; the rest are files.
                    walk(first)
                    for other in parts.dropFirst() { attach(other) }
                } else {
                    for child in parts { walk(child) }
                }
            }
        }
        /// In an alternative whose plain text was read, a related HTML version's HTML and images.
        func walkForHTML(_ part: MIMEPart) {
            guard case .parts(let parts) = part.body else { return }
            for child in parts {
                if child.contentType.name == "text/html", !isAttachment(child) {
                    htmls.append(read(child))
                } else if case .parts = child.body {
                    walkForHTML(child)
                } else {
                    attach(child, inline: child.contentID != nil && child.contentType.type == "image")
                }
            }
        }
        walk(message.root)
        // Blank: white space only (looked at from the start, so a text says no at its first letter;
        // trimming would walk the whole text through NSString).
        if texts.allSatisfy({ $0.unicodeScalars.allSatisfy(\.properties.isWhitespace) }) {
            if let plain = unpacked.lazy.compactMap(\.text).first {
                texts.append(plain.replacingOccurrences(of: "\r\n", with: "\n"))
            } else if let html = unpacked.lazy.compactMap(\.html).first {
                htmls.append(html)
                texts.append(HTMLText.text(html))
                fromHTML = true
            } else if let rich = unpacked.lazy.compactMap(\.richText).first {
                texts.append(rich)
            }
        }
        text = texts.filter { !$0.isEmpty }.joined(separator: "\n\n")
        textFromHTML = fromHTML && htmls.count == texts.filter({ !$0.isEmpty }).count
        htmlSource = htmls.isEmpty ? nil : htmls.joined(separator: "<hr>")
        self.attachments = attachments
        unknownCharset = unknown
    }

    /// `bytes` with each CR LF as LF.
    static func lineFeeds(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.contains(0x0D) else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A {
                index += 1
                continue
            }
            out.append(bytes[index])
            index += 1
        }
        return out
    }

    /// The bytes a part is stored as: a leaf's content, or an enclosed message as sent.
    static func bytes(of part: MIMEPart) -> [UInt8] {
        switch part.body {
        case .content(let bytes): bytes
        case .message: Array(part.enclosedBytes)
        case .parts: []
        }
    }

    static func defaultName(_ part: MIMEPart, index: Int) -> String {
        if case .message(let message) = part.body {
            let subject = message.headers.text("Subject")?.trimmingCharacters(in: .whitespaces) ?? ""
            let safe = String(subject.prefix(60).map { "/\\:*?\"<>|".contains($0) || $0.isNewline ? "_" : $0 })
            return (safe.isEmpty ? "message-\(index)" : safe) + ".eml"
        }
        let extensions = ["text/plain": "txt", "text/html": "html", "image/png": "png", "image/jpeg": "jpg", "image/gif": "gif",
                          "application/pdf": "pdf", "message/delivery-status": "txt", "text/rfc822-headers": "txt", "text/calendar": "ics"]
        return "attachment-\(index).\(extensions[part.contentType.name] ?? "bin")"
    }
}

import Foundation
