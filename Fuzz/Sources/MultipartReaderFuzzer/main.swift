import AccordMail
import FuzzDriver

/// One input: the first byte picks how the rest is cut into pieces (1 to 256 bytes each), the
/// rest is a multipart body with the boundary `b`, read as an upload or a mail would be.
func fuzz(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard count > 0, var reader = try? MultipartReader(boundary: "b") else { return 0 }
    let step = Int(data[0]) + 1
    let body = UnsafeBufferPointer(start: data + 1, count: count - 1)
    var offset = 0
    var total = 0
    do {
        while offset < body.count {
            let end = min(body.count, offset + step)
            for event in try reader.read(body[offset..<end]) {
                if case .bytes(let bytes) = event { total += bytes.count }
                if case .part(let headers) = event { _ = (headers.name, headers.filename, headers.contentType) }
            }
            offset = end
        }
        try reader.finish()
    } catch {}
    // Content handed on is never more than the body.
    precondition(total <= body.count)
    return 0
}

exit(FuzzDriver.run { data, count in fuzz(data, count) })
