extension OrganizationResponse.SubscriptionState {
    /// The term a page shows as the subscription's: the one in force, else the last one (after a
    /// lapse or notice), else the first (not started yet) — never the first term once renewals,
    /// extensions or reactivations followed it.
    var termShown: OrganizationResponse.Term {
        if let currentTerm { return currentTerm }
        let term = status == "not-started" ? terms.first : terms.last
        return term ?? OrganizationResponse.Term(start: termStart, end: termEnd)
    }
}
