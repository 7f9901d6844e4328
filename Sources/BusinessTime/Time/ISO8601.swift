/// Reads and writes ISO 8601 instants without Foundation's formatters, which are slow on Linux.
public enum ISO8601 {
    /// A parsed timestamp: either an instant (it carried `Z` or an offset) or a wall-clock time
    /// to be read in some zone.
    public enum Parsed: Hashable, Sendable {
        case instant(Int64)
        case local(LocalDate, second: Int)
    }

    /// Parses `YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH:MM|±HHMM]` (a space may stand for `T`; fractions of a
    /// second are dropped).
    public static func parse(_ text: some StringProtocol) -> Parsed? {
        var copy = String(text)
        return copy.withUTF8 { parse(bytes: $0) }
    }

    private static func parse(bytes b: UnsafeBufferPointer<UInt8>) -> Parsed? {
        func digits(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var value = 0
            for i in from..<(from + count) {
                let c = b[i]
                guard c >= 48, c <= 57 else { return nil }
                value = value * 10 + Int(c - 48)
            }
            return value
        }
        guard b.count >= 16, let y = digits(0, 4), b[4] == 45, let mo = digits(5, 2), b[7] == 45, let d = digits(8, 2),
              b[10] == 84 || b[10] == 116 || b[10] == 32, let h = digits(11, 2), b[13] == 58, let mi = digits(14, 2),
              let date = LocalDate(year: y, month: mo, day: d), h <= 24, mi <= 59 else { return nil }
        var i = 16
        var s = 0
        if i < b.count, b[i] == 58 {
            guard let sec = digits(i + 1, 2), sec <= 59 else { return nil }
            s = sec
            i += 3
            if i < b.count, b[i] == 46 || b[i] == 44 {
                i += 1
                let start = i
                while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
                guard i > start else { return nil }
            }
        }
        guard h < 24 || (mi == 0 && s == 0) else { return nil }
        let second = h * 3600 + mi * 60 + s
        if i == b.count { return .local(date, second: second) }
        let localSeconds = Int64(date.dayNumber) * 86_400 + Int64(second)
        if b[i] == 90 || b[i] == 122 { return i + 1 == b.count ? .instant(localSeconds) : nil }
        guard b[i] == 43 || b[i] == 45, let oh = digits(i + 1, 2), oh <= 18 else { return nil }
        var om = 0
        if i + 3 == b.count {
        } else if b.count == i + 6, b[i + 3] == 58, let m = digits(i + 4, 2), m <= 59 {
            om = m
        } else if b.count == i + 5, let m = digits(i + 3, 2), m <= 59 {
            om = m
        } else {
            return nil
        }
        let offset = Int64(oh * 3600 + om * 60) * (b[i] == 45 ? -1 : 1)
        return .instant(localSeconds - offset)
    }

    /// Formats an instant with the given UTC offset: `2026-03-06T15:00:00-05:00` (`Z` for zero offset
    /// only when `zulu` is true).
    public static func format(_ instant: Int64, offset: Int, zulu: Bool = false) -> String {
        let local = instant + Int64(offset)
        let days = Int(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400)
        let second = Int(local - Int64(days) * 86_400)
        let date = LocalDate(dayNumber: days)
        let zero = UInt8(ascii: "0")
        return String(unsafeUninitializedCapacity: 32) { buffer in
            var i = 0
            func put(_ value: Int, _ width: Int) {
                var v = value
                for position in stride(from: i + width - 1, through: i, by: -1) {
                    buffer[position] = zero + UInt8(v % 10)
                    v /= 10
                }
                i += width
            }
            func put(_ byte: UInt8) { buffer[i] = byte; i += 1 }
            put(max(0, min(9999, date.year)), 4); put(UInt8(ascii: "-")); put(date.month, 2); put(UInt8(ascii: "-")); put(date.day, 2)
            put(UInt8(ascii: "T")); put(second / 3600, 2); put(UInt8(ascii: ":")); put(second / 60 % 60, 2); put(UInt8(ascii: ":")); put(second % 60, 2)
            if zulu && offset == 0 {
                put(UInt8(ascii: "Z"))
            } else {
                let magnitude = abs(offset)
                put(offset < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+")); put(magnitude / 3600, 2); put(UInt8(ascii: ":")); put(magnitude / 60 % 60, 2)
            }
            return i
        }
    }

    /// Formats an instant in UTC with `Z`.
    public static func utc(_ instant: Int64) -> String { format(instant, offset: 0, zulu: true) }
}
