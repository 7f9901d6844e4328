/// An RFC 5322 date (`Tue, 3 Mar 2026 10:00:00 +0100`) read the way mail needs it — the obsolete
/// forms too: no weekday, no seconds, two- and three-digit years, zone names (`GMT`, `EST`, …),
/// comments such as `(CET)`, extra white space — and written in RFC 5322 form. A message's `Date:`
/// is what its sender's clock said; the desk shows it but never starts a clock from it.
public struct MailDate: Sendable, Equatable {
    /// Seconds since 1970-01-01 00:00 UTC.
    public let seconds: Int64
    /// The sender's offset from UTC, in minutes.
    public let offsetMinutes: Int

    public init(seconds: Int64, offsetMinutes: Int) {
        self.seconds = seconds
        self.offsetMinutes = offsetMinutes
    }

    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    static let zones: [String: Int] = ["UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "EST": -300, "EDT": -240, "CST": -360, "CDT": -300,
                                       "MST": -420, "MDT": -360, "PST": -480, "PDT": -420]

    /// Nil when the text holds no date with a day, month, year and time.
    public init?(parsing text: String) {
        // Comments out; commas and white space separate.
        var cleaned = ""
        var depth = 0
        for character in text {
            if character == "(" { depth += 1; continue }
            if character == ")" { depth = max(0, depth - 1); continue }
            if depth == 0 { cleaned.append(character == "," ? " " : character) }
        }
        var words = cleaned.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }).map(String.init)
        if let first = words.first, first.count >= 3, first.allSatisfy(\.isLetter), Self.months.firstIndex(of: String(first.prefix(3)).lowercased()) == nil {
            words.removeFirst()   // the weekday
        }
        guard words.count >= 4 else { return nil }
        // "3 Mar 2026" or, as some mailers write, "Mar 3 2026".
        var day: Int?
        var month: Int?
        if let number = Int(words[0]), let index = Self.months.firstIndex(of: String(words[1].prefix(3)).lowercased()) {
            day = number
            month = index + 1
        } else if let index = Self.months.firstIndex(of: String(words[0].prefix(3)).lowercased()), let number = Int(words[1]) {
            day = number
            month = index + 1
        }
        guard let day, let month, (1...31).contains(day), var year = Int(words[2]), words[2].count <= 4 else { return nil }
        // "00:01+0000": a zone written against the time.
        if let sign = words[3].firstIndex(where: { $0 == "+" || $0 == "-" }), sign != words[3].startIndex {
            words.insert(String(words[3][sign...]), at: 4)
            words[3] = String(words[3][..<sign])
        }
        if words[2].count <= 2 { year += year < 50 ? 2000 : 1900 } else if words[2].count == 3 { year += 1900 }
        let time = words[3].split(separator: ":").map { Int($0) }
        guard (2...3).contains(time.count), let hour = time[0], let minute = time[1], (0...23).contains(hour), (0...59).contains(minute),
              year >= 1900, year <= 9999 else { return nil }
        let second = time.count == 3 ? (time[2] ?? -1) : 0
        guard (0...60).contains(second) else { return nil }
        var offset = 0
        if words.count > 4 {
            let zone = words[4]
            if let sign = zone.first, sign == "+" || sign == "-", zone.count == 5, let value = Int(zone.dropFirst()) {
                let minutes = (value / 100) * 60 + value % 100
                guard value % 100 < 60, minutes <= 24 * 60 else { return nil }
                offset = sign == "-" ? -minutes : minutes
            } else {
                offset = Self.zones[zone.uppercased()] ?? 0   // military letters and unknown names: UTC (RFC 5322 §4.3)
            }
        }
        guard let date = LocalDate(year: year, month: month, day: day) else { return nil }
        seconds = Int64(date.dayNumber) * 86_400 + Int64(hour * 3600 + minute * 60 + min(second, 59)) - Int64(offset * 60)
        offsetMinutes = offset
    }

    /// RFC 5322's form, in the sender's offset: `Tue, 03 Mar 2026 10:00:00 +0100`.
    public var text: String {
        let local = seconds + Int64(offsetMinutes * 60)
        let days = Int64((Double(local) / 86_400).rounded(.down))
        let secondOfDay = Int(local - days * 86_400)
        let date = LocalDate(dayNumber: Int(days))
        let weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][date.weekday.rawValue - 1]
        let monthName = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][date.month - 1]
        let (year, day) = (date.year, date.day)
        let sign = offsetMinutes < 0 ? "-" : "+"
        let zone = abs(offsetMinutes)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(weekday), \(two(day)) \(monthName) \(year) \(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60)) \(sign)\(two(zone / 60))\(two(zone % 60))"
    }
}

import BusinessTime
