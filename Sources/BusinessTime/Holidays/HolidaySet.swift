/// A named set of holiday rules, such as a country's public holidays.
public struct HolidaySet: Hashable, Sendable {
    public let id: String
    public let name: String
    public let rules: [HolidayRule]

    public init(id: String, name: String, rules: [HolidayRule]) {
        self.id = id
        self.name = name
        self.rules = rules
    }

    /// The days off in `year`, one entry per date; holidays sharing a date have their names joined by "; ".
    public func holidays(in year: Int) -> [Holiday] {
        var names: [LocalDate: [String]] = [:]
        for rule in rules {
            for holiday in rule.holidays(in: year) {
                names[holiday.date, default: []].append(holiday.name)
            }
        }
        return names.keys.sorted().map { Holiday(date: $0, name: names[$0]!.sorted().joined(separator: "; ")) }
    }
}
