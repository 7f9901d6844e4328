import Foundation

/// Converts between instants (seconds since 1970 UTC) and wall-clock times of one IANA zone.
/// Only calendar-table construction calls into Foundation; deadline arithmetic reads the tables.
struct ZoneClock: Sendable {
    let zone: TimeZone

    init(identifier: String) throws(CalendarError) {
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
}
