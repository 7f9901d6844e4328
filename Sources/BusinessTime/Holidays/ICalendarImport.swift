/// Reads holidays from an iCalendar (`.ics`) file: all-day `VEVENT`s (`DTSTART;VALUE=DATE:YYYYMMDD`)
/// with their `SUMMARY`, repeating every year when they carry `RRULE:FREQ=YEARLY` (optionally
/// bounded by `UNTIL` or `COUNT`). Timed events are refused: a holiday is a whole day.
public enum ICalendarImport {
    public static func holidaySet(id: String, name: String, ics text: String) throws(CalendarError) -> HolidaySet {
        // Unfold continuation lines (RFC 5545 §3.1).
        var lines: [(number: Int, text: String)] = []
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            if (raw.hasPrefix(" ") || raw.hasPrefix("\t")), !lines.isEmpty {
                lines[lines.count - 1].text += raw.dropFirst()
            } else if !raw.isEmpty {
                lines.append((index + 1, String(raw)))
            }
        }
        var rules: [HolidayRule] = []
        var event: (line: Int, start: LocalDate?, summary: String?, yearly: Bool, until: Int?, count: Int?)?
        var sawCalendar = false
        for (number, line) in lines {
            let (key, value) = split(line)
            let name = (key.split(separator: ";", omittingEmptySubsequences: false).first.map(String.init) ?? "").uppercased()
            switch (name, value.uppercased()) {
            case ("BEGIN", "VCALENDAR"): sawCalendar = true
            case ("BEGIN", "VEVENT"): event = (number, nil, nil, false, nil, nil)
            case ("END", "VEVENT"):
                guard let current = event else { throw .malformedICalendar(line: number, "END:VEVENT without BEGIN:VEVENT") }
                guard let start = current.start else { throw .malformedICalendar(line: current.line, "VEVENT has no DTSTART") }
                let summary = current.summary ?? "Holiday"
                if current.yearly {
                    let last = current.until ?? current.count.map { min(9999, start.year + $0 - 1) } ?? 9999
                    guard last >= start.year else { throw .malformedICalendar(line: current.line, "RRULE ends before DTSTART") }
                    rules.append(HolidayRule(summary, .fixed(month: start.month, day: start.day), years: start.year...last))
                } else {
                    rules.append(HolidayRule(summary, .once(start)))
                }
                event = nil
            default:
                guard event != nil else { continue }
                switch name {
                case "DTSTART":
                    guard key.uppercased().contains("VALUE=DATE"), value.count == 8, let date = compactDate(value) else {
                        throw .malformedICalendar(line: number, "DTSTART '\(value)' is not an all-day date (DTSTART;VALUE=DATE:YYYYMMDD)")
                    }
                    event?.start = date
                case "SUMMARY":
                    event?.summary = value.replacingOccurrences(of: "\\,", with: ",").replacingOccurrences(of: "\\;", with: ";")
                case "RRULE":
                    let parts = Dictionary(value.split(separator: ";").compactMap { part -> (String, String)? in
                        let kv = part.split(separator: "=", maxSplits: 1)
                        return kv.count == 2 ? (kv[0].uppercased(), String(kv[1])) : nil
                    }, uniquingKeysWith: { a, _ in a })
                    guard parts["FREQ"]?.uppercased() == "YEARLY" else {
                        throw .malformedICalendar(line: number, "only RRULE:FREQ=YEARLY is supported, got '\(value)'")
                    }
                    guard Set(parts.keys).isSubset(of: ["FREQ", "UNTIL", "COUNT", "INTERVAL"]), (parts["INTERVAL"] ?? "1") == "1" else {
                        throw .malformedICalendar(line: number, "RRULE '\(value)' uses parts other than FREQ=YEARLY with UNTIL or COUNT")
                    }
                    event?.yearly = true
                    if let until = parts["UNTIL"] {
                        guard let date = compactDate(until.prefix(8)) else {
                            throw .malformedICalendar(line: number, "RRULE UNTIL '\(until)' is not a date")
                        }
                        event?.until = date.year
                    }
                    if let count = parts["COUNT"] {
                        guard let n = Int(count), n > 0 else { throw .malformedICalendar(line: number, "RRULE COUNT '\(count)' is not a positive number") }
                        // Years run to 9999: a larger count is not a calendar, and would overflow the year.
                        guard n <= 9999 else { throw .malformedICalendar(line: number, "RRULE COUNT '\(count)' is more than 9999 occurrences; a holiday repeats at most until the year 9999") }
                        event?.count = n
                    }
                default: continue
                }
            }
        }
        guard sawCalendar else { throw .malformedICalendar(line: 1, "no BEGIN:VCALENDAR: this is not an iCalendar file") }
        if let open = event { throw .malformedICalendar(line: open.line, "VEVENT is never closed with END:VEVENT") }
        return HolidaySet(id: id, name: name, rules: rules)
    }

    private static func split(_ line: String) -> (String, String) {
        guard let colon = line.firstIndex(of: ":") else { return (line, "") }
        return (String(line[..<colon]), String(line[line.index(after: colon)...]))
    }

    private static func compactDate(_ text: some StringProtocol) -> LocalDate? {
        let s = String(text)
        guard s.count == 8, s.allSatisfy(\.isNumber) else { return nil }
        return LocalDate(iso: "\(s.prefix(4))-\(s.dropFirst(4).prefix(2))-\(s.suffix(2))")
    }
}
