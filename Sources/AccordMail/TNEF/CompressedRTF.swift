/// Outlook's compressed RTF ([MS-OXRTFCP]): a 16-byte header (compressed size, raw size, the type
/// `LZFu` or `MELA` for stored as is, a CRC), then LZ77 runs against a 4,096-byte ring that starts
/// filled with a fixed RTF prefix. A damaged stream gives what was decompressed before the damage.
enum CompressedRTF {
    static let compressed: UInt32 = 0x7546_5A4C   // "LZFu"
    static let uncompressed: UInt32 = 0x414C_454D // "MELA"

    /// The ring's first 207 bytes.
    static let prefix = Array(("{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript "
        + "\\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par "
        + "\\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx").utf8)

    static func decompress(_ bytes: [UInt8]) -> [UInt8]? {
        var reader = ByteReader(bytes)
        guard let _ = reader.uint32(), let rawSize = reader.uint32(), let type = reader.uint32(), reader.uint32() != nil else { return nil }
        // The raw size is the sender's word: never let it reserve more than the input could make.
        let limit = min(Int(rawSize), bytes.count * 8)
        if type == uncompressed { return reader.bytes(min(limit, reader.remaining)) }
        guard type == compressed else { return nil }
        var ring = [UInt8](repeating: 0x20, count: 4096)
        ring.replaceSubrange(0..<prefix.count, with: prefix)
        var write = prefix.count
        var out: [UInt8] = []
        out.reserveCapacity(limit)
        while out.count < limit, let control = reader.uint8() {
            for bit in 0..<8 where out.count < limit {
                if control & (1 << bit) == 0 {
                    guard let byte = reader.uint8() else { return out }
                    out.append(byte)
                    ring[write] = byte
                    write = (write + 1) & 0xFFF
                } else {
                    guard let high = reader.uint8(), let low = reader.uint8() else { return out }
                    let word = Int(high) << 8 | Int(low)
                    let offset = word >> 4
                    // A reference to the write position itself marks the end.
                    if offset == write { return out }
                    for step in 0..<(word & 0xF) + 2 {
                        let byte = ring[(offset + step) & 0xFFF]
                        out.append(byte)
                        ring[write] = byte
                        write = (write + 1) & 0xFFF
                    }
                }
            }
        }
        return Array(out.prefix(limit))
    }
}
