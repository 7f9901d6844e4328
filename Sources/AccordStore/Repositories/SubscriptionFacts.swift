import AccordCore
import BusinessTime

/// The dated facts of a subscription beyond its organization's columns, read back from the
/// organization's audit trail, where each is recorded once with who and why: plan changes, the
/// terms recorded since the first (renewals, extensions, reactivations) and the lapses before
/// reactivations.
struct SubscriptionFacts: Sendable, Equatable {
    /// The audit entry kinds that carry these facts.
    static let kinds = ["plan-change", "renewal", "extension", "reactivation", "lapse"]

    var planChanges: [Subscription.PlanChange] = []
    var terms: [Subscription.Term] = []
    var lapses: [LocalDate] = []

    /// The facts in `rows`, oldest first: a later plan change (or term) for the same day replaces an
    /// earlier one; rows of other kinds, or without a readable day, are skipped.
    init(_ rows: [(kind: String?, value: String?, effective: String?)]) {
        var plans: [LocalDate: Subscription.PlanChange] = [:]
        var terms: [LocalDate: Subscription.Term] = [:]
        for (kind, value, effective) in rows {
            guard let kind, let day = effective.flatMap({ LocalDate(iso: $0) }) else { continue }
            switch kind {
            case "plan-change":
                if let value { plans[day] = Subscription.PlanChange(plan: value, effective: day) }
            case "renewal", "extension", "reactivation":
                if let end = value.flatMap({ LocalDate(iso: $0) }) { terms[day] = Subscription.Term(start: day, end: end) }
            case "lapse":
                lapses.append(day)
            default:
                continue
            }
        }
        planChanges = plans.values.sorted { $0.effective < $1.effective }
        self.terms = terms.values.sorted { $0.start < $1.start }
    }
}
