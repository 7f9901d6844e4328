import BusinessTime
import Foundation
import Synchronization
import Vapor

/// How pages write times and durations: in the viewer's zone (the browser tells it through the
/// `accord_zone` cookie the page script sets, or the person picks it on their account page) and,
/// beside it, in the contract's zone when that differs. Without either, UTC, said so.
struct WebFormat: Sendable {
    /// The viewer's zone, or nil when unknown.
    let viewerZone: TimeZone?

    static let zoneCookie = "accord_zone"

    init(viewerZone: TimeZone?) {
        self.viewerZone = viewerZone
    }

    init(_ request: Request) {
        let name = request.cookies[Self.zoneCookie]?.string.removingPercentEncoding ?? ""
        self.init(viewerZone: Self.zone(name))
    }

    /// A time in the viewer's zone, and in the contract's when that is another zone: "Tue 3 Mar 2026
    /// 10:00 your time (Europe/Oslo)" and "Tue 3 Mar 2026 10:00 Europe/Copenhagen".
    struct Time: Encodable, Sendable {
        /// Machine-readable (ISO 8601, UTC) for `<time datetime>` and the countdown script.
        let iso: String
        let viewer: String
        let contract: String?
    }

    func time(_ date: Date, contractZone: String?) -> Time {
        let viewer = viewerZone ?? Self.utcZone
        let contract = contractZone.flatMap(Self.zone)
        let viewerText = Self.text(date, in: viewer) + " " + (viewerZone.map { "your time (\($0.identifier))" } ?? "UTC")
        var contractText: String?
        if let contract, contract.identifier != viewer.identifier {
            contractText = Self.text(date, in: contract) + " " + contract.identifier
        }
        return Time(iso: Self.iso(date), viewer: viewerText, contract: contractText)
    }

    /// A time in the viewer's zone only.
    static func instant(_ date: Date, zone: TimeZone? = nil) -> String {
        text(date, in: zone ?? utcZone) + (zone == nil ? " UTC" : "")
    }

    /// "Tue 3 Mar 2026 10:00" on `zone`'s wall clock. Written out here rather than by a
    /// `DateFormatter`: making one per time cost a page of fifty times more than all else together.
    static func text(_ date: Date, in zone: TimeZone) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down)) + Int64(zone.secondsFromGMT(for: date))
        let days = Int((seconds - ((seconds % 86_400) + 86_400) % 86_400) / 86_400)
        let second = Int(((seconds % 86_400) + 86_400) % 86_400)
        let day = LocalDate(dayNumber: days)
        let weekday = day.weekday.shortName.prefix(1).uppercased() + day.weekday.shortName.dropFirst()
        let hour = second / 3600, minute = second / 60 % 60
        return "\(weekday) \(day.day) \(months[day.month - 1]) \(day.year) \(hour < 10 ? "0" : "")\(hour):\(minute < 10 ? "0" : "")\(minute)"
    }

    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    static let utcZone = TimeZone(identifier: "UTC")!

    /// ISO 8601 in UTC, to the second.
    static func iso(_ date: Date) -> String {
        ISO8601.utc(Int64(date.timeIntervalSince1970.rounded(.down)))
    }

    /// A zone by name, each made once (making one reads the zone database).
    static func zone(_ identifier: String) -> TimeZone? {
        if let known = zones.withLock({ $0[identifier] }) { return known }
        guard identifier.count <= 64, let zone = TimeZone(identifier: identifier) else { return nil }
        zones.withLock { if $0.count < 1_000 { $0[identifier] = zone } }
        return zone
    }

    private static let zones = Mutex<[String: TimeZone]>([:])

    /// A duration in words, to the minute: "2 h 15 min", "3 d 4 h".
    static func duration(seconds: Int64) -> String {
        let negative = seconds < 0
        var rest = abs(seconds) / 60
        let days = rest / 1440
        rest %= 1440
        let hours = rest / 60, minutes = rest % 60
        var parts: [String] = []
        if days > 0 { parts.append("\(days) d") }
        if hours > 0 { parts.append("\(hours) h") }
        if minutes > 0 || parts.isEmpty { parts.append("\(minutes) min") }
        if days > 0 { parts = Array(parts.prefix(2)) }
        return (negative ? "−" : "") + parts.joined(separator: " ")
    }
}
