import AccordMail
import FuzzDriver

/// One input: a winmail.dat stream, unpacked as a mail's part is — its files, text, HTML, the
/// compressed RTF decompressed and read as text.
func fuzz(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    guard let tnef = TNEF(bytes) else { return 0 }
    // Every file needs an attribute of at least 11 bytes (level, id, length, checksum): never more
    // files than the stream could hold, and never more bytes in them than it has.
    precondition(tnef.files.count <= bytes.count / 11)
    precondition(tnef.files.reduce(0) { $0 + $1.bytes.count } <= bytes.count)
    _ = (tnef.text, tnef.html, tnef.richText)
    // Decompression is bounded by its input: each input byte makes at most 17 (a run's 2 bytes make up to 17).
    if let rtf = tnef.rtf { precondition(rtf.count <= bytes.count * 9) }
    return 0
}

exit(FuzzDriver.run { data, count in fuzz(data, count) })
