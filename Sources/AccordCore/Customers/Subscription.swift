public import BusinessTime

/// A customer's subscription to a policy's plan: the first term, automatic renewal, a notice of
/// non-renewal and dated plan changes. Dates are days in the policy's zone; the last day of a term is
/// covered. Pure: the desk asks what holds on a given day.
public struct Subscription: Sendable, Hashable {
    /// The plan at the start of the first term.
    public var plan: String
    public var termStart: LocalDate
    /// The last day of the first term.
    public var termEnd: LocalDate
    public var automaticRenewal: Bool
    /// The day a notice of non-renewal was accepted.
    public var nonRenewalNotice: LocalDate?
    /// Plan changes, each from its effective day on.
    public var planChanges: [PlanChange]

    public init(plan: String, termStart: LocalDate, termEnd: LocalDate, automaticRenewal: Bool,
                nonRenewalNotice: LocalDate? = nil, planChanges: [PlanChange] = []) {
        self.plan = plan
        self.termStart = termStart
        self.termEnd = termEnd
        self.automaticRenewal = automaticRenewal
        self.nonRenewalNotice = nonRenewalNotice
        self.planChanges = planChanges
    }

    public struct PlanChange: Sendable, Hashable {
        public let plan: String
        public let effective: LocalDate

        public init(plan: String, effective: LocalDate) {
            self.plan = plan
            self.effective = effective
        }
    }

    /// One term of use, both days included.
    public struct Term: Sendable, Hashable {
        public let start: LocalDate
        public let end: LocalDate

        public init(start: LocalDate, end: LocalDate) {
            self.start = start
            self.end = end
        }
    }

    /// What the customer is entitled to on a day.
    public enum Coverage: Sendable, Hashable {
        /// The subscription is in force with this plan.
        case plan(String)
        /// The subscription ended on `endedOn`; the policy falls back to `plan`.
        case fallback(plan: String, endedOn: LocalDate)
        /// The subscription ended on `endedOn` and the policy gives no support afterwards.
        case none(endedOn: LocalDate)
        /// The first term starts on `startsOn`.
        case notStarted(startsOn: LocalDate)
    }

    // MARK: Terms

    /// Renewal terms are as long as the first: whole months when the first term is whole months
    /// (2026-01-01 to 2026-12-31 renews for a year), otherwise the same number of days.
    private var termMonths: Int? {
        let next = termEnd.adding(days: 1)
        let months = (next.year - termStart.year) * 12 + next.month - termStart.month
        guard months > 0, Self.adding(months: months, to: termStart) == next else { return nil }
        return months
    }

    /// The start of the `index`-th term (0 is the first).
    private func start(ofTerm index: Int) -> LocalDate {
        if let months = termMonths { return Self.adding(months: months * index, to: termStart) }
        let days = termEnd.dayNumber - termStart.dayNumber + 1
        return termStart.adding(days: days * index)
    }

    /// The term (first or renewed) that contains `day`, ignoring whether it is still in force.
    public func term(containing day: LocalDate) -> Term? {
        guard day >= termStart else { return nil }
        var index = 0
        if let months = termMonths {
            index = max(0, ((day.year - termStart.year) * 12 + day.month - termStart.month) / months - 1)
        } else {
            index = (day.dayNumber - termStart.dayNumber) / (termEnd.dayNumber - termStart.dayNumber + 1)
        }
        while start(ofTerm: index + 1) <= day { index += 1 }
        return Term(start: start(ofTerm: index), end: start(ofTerm: index + 1).adding(days: -1))
    }

    /// The last day covered, or nil while the subscription renews indefinitely.
    public var finalDay: LocalDate? {
        guard automaticRenewal else { return termEnd }
        guard let notice = nonRenewalNotice else { return nil }
        return term(containing: notice)?.end ?? termEnd
    }

    /// The plan on `day` from the dated plan changes, ignoring lapses.
    public func plan(on day: LocalDate) -> String {
        planChanges.filter { $0.effective <= day }.max { $0.effective < $1.effective }?.plan ?? plan
    }

    /// What applies on `day`, given what the policy says happens after a lapse (`no-support` or a plan).
    public func coverage(on day: LocalDate, afterLapse: String) -> Coverage {
        guard day >= termStart else { return .notStarted(startsOn: termStart) }
        if let last = finalDay, day > last {
            return afterLapse == "no-support" ? .none(endedOn: last) : .fallback(plan: afterLapse, endedOn: last)
        }
        return .plan(plan(on: day))
    }

    // MARK: Changes

    /// The last day on which notice of non-renewal of `term` may be given: `noticeDays` before the
    /// term expires at the end of its last day.
    public static func noticeDeadline(for term: Term, noticeDays: Int) -> LocalDate {
        term.end.adding(days: 1 - noticeDays)
    }

    /// This subscription with a notice of non-renewal given on `day`; refused when the subscription
    /// does not renew anyway, notice was already given, or `day` is past the notice period.
    public func givingNotice(on day: LocalDate, noticeDays: Int) throws(SubscriptionError) -> Subscription {
        if let given = nonRenewalNotice { throw .noticeAlreadyGiven(on: given, endsOn: finalDay ?? termEnd) }
        guard automaticRenewal else { throw .doesNotRenew(endsOn: termEnd) }
        guard let term = term(containing: day) else { throw .notStarted(startsOn: termStart) }
        let deadline = Self.noticeDeadline(for: term, noticeDays: noticeDays)
        guard day <= deadline else {
            throw .noticeTooLate(givenOn: day, deadline: deadline, noticeDays: noticeDays, termEnd: term.end)
        }
        var changed = self
        changed.nonRenewalNotice = day
        return changed
    }

    /// This subscription renewing again: the notice of non-renewal withdrawn on `day`, which must be
    /// no later than the subscription's last day (after it, the customer is reactivated instead).
    public func withdrawingNotice(on day: LocalDate) throws(SubscriptionError) -> Subscription {
        guard let given = nonRenewalNotice, let last = finalDay else { throw .noNotice }
        guard day <= last else { throw .alreadyEnded(given: given, endedOn: last) }
        var changed = self
        changed.nonRenewalNotice = nil
        return changed
    }

    /// This subscription with `plan` from `effective` on; a later change on the same day replaces it.
    public func changingPlan(to plan: String, effective: LocalDate) throws(SubscriptionError) -> Subscription {
        guard effective >= termStart else { throw .beforeTermStart(effective: effective, termStart: termStart) }
        if let last = finalDay, effective > last { throw .afterFinalDay(effective: effective, finalDay: last) }
        var changed = self
        changed.planChanges.removeAll { $0.effective == effective }
        changed.planChanges.append(PlanChange(plan: plan, effective: effective))
        changed.planChanges.sort { $0.effective < $1.effective }
        return changed
    }

    /// `date` plus whole months, the day clamped to the month's length.
    static func adding(months: Int, to date: LocalDate) -> LocalDate {
        let total = date.year * 12 + (date.month - 1) + months
        let year = total / 12
        let month = total % 12 + 1
        return LocalDate(year: year, month: month, day: min(date.day, LocalDate.daysIn(month: month, year: year)))!
    }
}

/// Why a subscription change was refused, worded for the person who asked.
public enum SubscriptionError: Error, Equatable, Sendable, CustomStringConvertible {
    case noticeTooLate(givenOn: LocalDate, deadline: LocalDate, noticeDays: Int, termEnd: LocalDate)
    case noticeAlreadyGiven(on: LocalDate, endsOn: LocalDate)
    case doesNotRenew(endsOn: LocalDate)
    case notStarted(startsOn: LocalDate)
    case beforeTermStart(effective: LocalDate, termStart: LocalDate)
    case afterFinalDay(effective: LocalDate, finalDay: LocalDate)
    case noNotice
    case alreadyEnded(given: LocalDate, endedOn: LocalDate)

    public var description: String {
        switch self {
        case .noticeTooLate(let given, let deadline, let days, let end):
            "notice of non-renewal given on \(given) is too late: it must arrive at least \(days) days before the term ends on \(end), that is by \(deadline); the subscription renews on \(end.adding(days: 1))"
        case .noticeAlreadyGiven(let on, let ends):
            "notice of non-renewal was already given on \(on); the subscription ends on \(ends)"
        case .doesNotRenew(let ends):
            "the subscription does not renew automatically; it ends on \(ends) without notice"
        case .notStarted(let starts):
            "the subscription starts on \(starts)"
        case .beforeTermStart(let effective, let start):
            "a plan change effective \(effective) is before the subscription starts on \(start)"
        case .afterFinalDay(let effective, let last):
            "a plan change effective \(effective) is after the subscription ends on \(last)"
        case .noNotice:
            "no notice of non-renewal stands: the subscription renews"
        case .alreadyEnded(let given, let ended):
            "the notice given on \(given) took effect: the subscription ended on \(ended); reactivate it instead"
        }
    }
}
