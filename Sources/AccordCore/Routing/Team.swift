/// A support team: the tier it works at, the calendar it is available on, and the languages it
/// speaks. Members are people of the desk; the policy says what the team is.
public struct Team: Sendable, Hashable {
    public let id: String
    public let name: String
    /// 1 takes cases as they arrive; higher tiers take escalated cases.
    public let tier: Int
    /// The team's availability: when it works cases and the calendar its internal targets (OLAs) count on.
    public let calendar: String
    /// Languages the team works in (ISO 639-1 codes); empty means any.
    public let languages: [String]

    public init(id: String, name: String, tier: Int, calendar: String, languages: [String]) {
        self.id = id
        self.name = name
        self.tier = tier
        self.calendar = calendar
        self.languages = languages
    }

    public func speaks(_ language: String?) -> Bool {
        guard let language, !languages.isEmpty else { return true }
        return languages.contains(language)
    }
}
