import Foundation

/// Converts between instants (seconds since 1970 UTC) and wall-clock times of one IANA zone.
/// Only calendar-table construction calls into Foundation; deadline arithmetic reads the tables.
/// Also used where a date of a contract (a term's end, say) must become an instant in the contract's zone.
public struct ZoneClock: Sendable {
    let zone: TimeZone

    public init(identifier: String) throws(CalendarError) {
        guard let zone = TimeZone(identifier: identifier) else { throw .unknownTimeZone(identifier) }
        self.zone = zone
    }

    func offset(at instant: Int64) -> Int64 {
        Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant))))
    }

    /// The instant of a local wall time given as seconds since 1970-01-01T00:00 local.
    /// A wall time that occurs twice (DST ends) resolves to the earlier instant; one that does not
    /// occur (DST starts) moves forward by the length of the gap.
    func instant(localSeconds local: Int64) -> Int64 {
        let before = offset(at: local - 86_400)
        let after = offset(at: local + 86_400)
        let early = local - before
        if offset(at: early) == before { return early }
        let late = local - after
        if offset(at: late) == after { return late }
        return early
    }

    /// The instant local midnight begins `date` (or the first instant of the day when a DST gap
    /// swallows midnight).
    public func startOfDay(_ date: LocalDate) -> Int64 {
        instant(localSeconds: Int64(date.dayNumber) * 86_400)
    }

    /// `instant` as ISO 8601 with this zone's offset at that instant: `2026-12-04T00:00:00-05:00`.
    public func format(_ instant: Int64) -> String {
        ISO8601.format(instant, offset: Int(offset(at: instant)))
    }

    /// The local date at `instant`.
    public func date(at instant: Int64) -> LocalDate {
        let local = instant + offset(at: instant)
        return LocalDate(dayNumber: Int(local.floorDiv(86_400)))
    }
}

extension Int64 {
    fileprivate func floorDiv(_ divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor < 0) ? quotient - 1 : quotient
    }
}
