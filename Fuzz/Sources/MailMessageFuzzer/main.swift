import AccordMail
import FuzzDriver

/// One input: a whole message, read as the desk reads mail — its MIME tree, every header the desk
/// looks at, what it says (text, sanitised HTML, files) and the reply split from its history.
func fuzz(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    let message = MailMessage(parsing: bytes)
    if let date = message.headers.value("Date").flatMap(MailDate.init(parsing:)) {
        // What is written reads back the same.
        precondition(MailDate(parsing: date.text) == date)
    }
    for field in ["Subject", "From", "To", "Cc", "Reply-To"] {
        _ = message.headers.text(field)
        _ = message.headers.values(field).flatMap(MailAddress.list)
    }
    var stored = 0
    for leaf in message.root.leaves {
        _ = (leaf.filename, leaf.contentID, leaf.text)
        stored += leaf.content.count
    }
    let content = MessageContent(message, image: { "/i/\($0)" })
    _ = content.reply
    // The sanitised HTML holds nothing that runs.
    // Text is escaped, so every '<' of the sanitised HTML opens a tag the sanitiser wrote: none
    // that runs or loads anything, none with a handler or a script address.
    if let html = content.html?.html.lowercased() {
        for tag in html.split(separator: "<").dropFirst() {
            let inside = tag.prefix { $0 != ">" }
            let words = inside.split(separator: " ")
            let name = words.first.map { $0.hasPrefix("/") ? $0.dropFirst() : $0 } ?? ""
            precondition(!["script", "style", "iframe", "object", "embed", "svg", "math", "form", "input", "meta", "base", "link"].contains(name))
            precondition(!words.dropFirst().contains { $0.hasPrefix("on") || $0.hasPrefix("style") })
            precondition(!inside.contains("javascript:") && !inside.contains("src=\"data:"))
        }
    }
    // Decoding never makes content out of nothing: base64 and the rest only shrink, except that a
    // multipart's leaves may overlap nothing, so the sum is bounded by the message.
    precondition(stored <= bytes.count)
    return 0
}

exit(FuzzDriver.run { data, count in fuzz(data, count) })
