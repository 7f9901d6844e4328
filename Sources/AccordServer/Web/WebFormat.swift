import Foundation
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
        self.init(viewerZone: name.count <= 64 ? TimeZone(identifier: name) : nil)
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
        let viewer = viewerZone ?? TimeZone(identifier: "UTC")!
        let contract = contractZone.flatMap(TimeZone.init(identifier:))
        let viewerText = Self.text(date, in: viewer) + " " + (viewerZone.map { "your time (\($0.identifier))" } ?? "UTC")
        var contractText: String?
        if let contract, contract.identifier != viewer.identifier {
            contractText = Self.text(date, in: contract) + " " + contract.identifier
        }
        return Time(iso: Self.iso(date), viewer: viewerText, contract: contractText)
    }

    /// A time in the viewer's zone only.
    static func instant(_ date: Date, zone: TimeZone? = nil) -> String {
        text(date, in: zone ?? TimeZone(identifier: "UTC")!) + (zone == nil ? " UTC" : "")
    }

    static func text(_ date: Date, in zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB")
        formatter.timeZone = zone
        formatter.dateFormat = "EEE d MMM yyyy HH:mm"
        return formatter.string(from: date)
    }

    static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

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
