import Foundation

extension UUID {
    /// A version 7 UUID (RFC 9562): the Unix time in milliseconds in its first 48 bits, a further
    /// 12 bits of sub-millisecond time (the RFC's "increased clock precision"), and 62 random bits.
    ///
    /// Rows written together get neighbouring keys, so a batch of new cases, events, clocks and
    /// alarms adds to the last pages of each id index instead of dirtying one random page per row
    /// (a version 4 UUID scatters them over the whole index). Ids of instants a microsecond or more
    /// apart sort in time order, both as bytes (PostgreSQL's `uuid`) and as SQLite's uppercase text.
    static func timeOrdered<Generator: RandomNumberGenerator>(at instant: Date, using generator: inout Generator) -> UUID {
        let milliseconds = max(0, instant.timeIntervalSince1970 * 1000)
        let whole = UInt64(milliseconds.rounded(.down)) & 0xFFFF_FFFF_FFFF
        let fraction = UInt16(min(4095, ((milliseconds - milliseconds.rounded(.down)) * 4096).rounded(.down)))
        let random = generator.next()
        var bytes: [UInt8] = (0..<6).map { UInt8(truncatingIfNeeded: whole >> (40 - 8 * $0)) }
        bytes.append(0x70 | UInt8(fraction >> 8))
        bytes.append(UInt8(truncatingIfNeeded: fraction))
        bytes.append(0x80 | UInt8(truncatingIfNeeded: random >> 58))
        bytes += (0..<7).map { UInt8(truncatingIfNeeded: random >> (48 - 8 * $0)) }
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }

    /// A version 7 UUID for `instant` (by default, the moment the row is written) with the system's random bits.
    static func timeOrdered(at instant: Date = Date()) -> UUID {
        var generator = SystemRandomNumberGenerator()
        return timeOrdered(at: instant, using: &generator)
    }
}
