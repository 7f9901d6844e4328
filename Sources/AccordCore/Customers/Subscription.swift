public import BusinessTime

/// A customer's subscription to a policy's plan: the first term, automatic renewal, a notice of
/// non-renewal, dated plan changes, and the terms recorded since — renewals, extensions and
/// reactivations after a lapse. Dates are days in the policy's zone; the last day of a term is
/// covered. Pure: the desk asks what holds on a given day.
///
/// A subscription that renews automatically renews for terms as long as the first, counted from the
/// end of the latest recorded term. A lapse (the last day covered before a reactivation) separates
/// one run of terms from the next; the days between are not covered.
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
    /// Terms recorded since the first, by start: a renewal or reactivation starts a new term, an
    /// extension records a later end for a term that starts on the same day (the first term too).
    public private(set) var recordedTerms: [Term]
    /// The last days covered before each reactivation, oldest first.
    public private(set) var lapses: [LocalDate]

    public init(plan: String, termStart: LocalDate, termEnd: LocalDate, automaticRenewal: Bool,
                nonRenewalNotice: LocalDate? = nil, planChanges: [PlanChange] = [], recordedTerms: [Term] = [], lapses: [LocalDate] = []) {
        self.plan = plan
        self.termStart = termStart
        self.termEnd = termEnd
        self.automaticRenewal = automaticRenewal
        self.nonRenewalNotice = nonRenewalNotice
        self.planChanges = planChanges
        var byStart: [LocalDate: Term] = [:]
        for term in recordedTerms where term.start >= termStart { byStart[term.start] = term }
        self.recordedTerms = byStart.values.sorted { $0.start < $1.start }
        self.lapses = lapses.sorted()
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

    /// The first term and the recorded ones, by start.
    public var terms: [Term] {
        var all = [Term(start: termStart, end: recordedTerms.first { $0.start == termStart }?.end ?? termEnd)]
        all.append(contentsOf: recordedTerms.filter { $0.start > termStart })
        return all
    }

    /// Automatic renewal terms are as long as the first: whole months when the first term is whole
    /// months (2026-01-01 to 2026-12-31 renews for a year), otherwise the same number of days.
    private var termMonths: Int? {
        let next = termEnd.adding(days: 1)
        let months = (next.year - termStart.year) * 12 + next.month - termStart.month
        guard months > 0, Self.adding(months: months, to: termStart) == next else { return nil }
        return months
    }

    /// The start of the `index`-th automatic renewal after `term` (0 is the first renewal).
    private func start(ofRenewal index: Int, after term: Term) -> LocalDate {
        if let months = termMonths {
            return term == Term(start: termStart, end: termEnd) ? Self.adding(months: months * (index + 1), to: termStart)
                             : Self.adding(months: months * index, to: term.end.adding(days: 1))
        }
        let days = termEnd.dayNumber - termStart.dayNumber + 1
        return term.end.adding(days: 1 + days * index)
    }

    /// The latest recorded term (or the first) starting on or before `day`, and the one after it.
    private func recorded(around day: LocalDate) -> (term: Term, next: Term?)? {
        let all = terms
        guard let index = all.lastIndex(where: { $0.start <= day }) else { return nil }
        return (all[index], index + 1 < all.count ? all[index + 1] : nil)
    }

    /// The term (recorded, or an automatic renewal of one) that contains `day`, ignoring whether it
    /// is still in force.
    public func term(containing day: LocalDate) -> Term? {
        guard let (term, _) = recorded(around: day) else { return nil }
        if day <= term.end { return term }
        var index = 0
        if let months = termMonths {
            let from = term.end.adding(days: 1)
            index = max(0, ((day.year - from.year) * 12 + day.month - from.month) / months - 1)
        } else {
            index = (day.dayNumber - term.end.dayNumber - 1) / (termEnd.dayNumber - termStart.dayNumber + 1)
        }
        while start(ofRenewal: index + 1, after: term) <= day { index += 1 }
        return Term(start: start(ofRenewal: index, after: term), end: start(ofRenewal: index + 1, after: term).adding(days: -1))
    }

    /// The last day covered, or nil while the subscription renews indefinitely.
    public var finalDay: LocalDate? {
        guard automaticRenewal else { return terms[terms.count - 1].end }
        guard let notice = nonRenewalNotice else { return nil }
        return term(endedByNoticeOn: notice)?.end
    }

    /// The term a notice of non-renewal given on `day` does not renew: the one in force then, or
    /// the latest recorded term when a renewal was recorded in advance (a commitment already made).
    public func term(endedByNoticeOn day: LocalDate) -> Term? {
        term(containing: max(day, terms[terms.count - 1].start))
    }

    /// The plan on `day` from the dated plan changes, ignoring lapses.
    public func plan(on day: LocalDate) -> String {
        planChanges.filter { $0.effective <= day }.max { $0.effective < $1.effective }?.plan ?? plan
    }

    /// Whether `day` is covered by a term: a recorded one, an automatic renewal before the final
    /// day, or a renewal before a later recorded term that no lapse separates from it.
    private func lapsed(on day: LocalDate) -> LocalDate? {
        guard let (term, next) = recorded(around: day), day > term.end else { return nil }
        guard let next else {
            guard let last = finalDay else { return nil }
            return day > last ? last : nil
        }
        // Between two recorded terms: covered unless a lapse ended the run of terms before `day`.
        guard let lapse = lapses.first(where: { $0 >= term.end && $0 < next.start }) else {
            return automaticRenewal ? nil : term.end
        }
        return day > lapse ? lapse : nil
    }

    /// What applies on `day`, given what the policy says happens after a lapse (`no-support` or a plan).
    public func coverage(on day: LocalDate, afterLapse: String) -> Coverage {
        guard day >= termStart else { return .notStarted(startsOn: termStart) }
        if let last = lapsed(on: day) {
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
        guard automaticRenewal else { throw .doesNotRenew(endsOn: finalDay ?? termEnd) }
        if let ended = lapsed(on: day) { throw .lapsed(endedOn: ended) }
        guard day >= termStart, let term = term(endedByNoticeOn: day) else { throw .notStarted(startsOn: termStart) }
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

    /// This subscription renewed on `today` for a new term from the day after the term in force ends
    /// through `end`. Refused while a notice of non-renewal stands (withdraw it first) and after a
    /// lapse (reactivate instead).
    public func renewing(through end: LocalDate, on today: LocalDate) throws(SubscriptionError) -> (Subscription, Term) {
        if let ended = lapsed(on: today) { throw .lapsed(endedOn: ended) }
        if let given = nonRenewalNotice { throw .noticeStands(given: given, endsOn: finalDay ?? termEnd) }
        guard let current = term(containing: max(today, termStart)) else { throw .notStarted(startsOn: termStart) }
        let term = try Self.checked(Term(start: current.end.adding(days: 1), end: end))
        var changed = self
        changed.record(term)
        return (changed, term)
    }

    /// This subscription with the term in force on `today` extended through `end`.
    public func extending(through end: LocalDate, on today: LocalDate) throws(SubscriptionError) -> (Subscription, Term) {
        if let ended = lapsed(on: today) { throw .lapsed(endedOn: ended) }
        guard let current = term(containing: max(today, termStart)) else { throw .notStarted(startsOn: termStart) }
        guard end > current.end else { throw .extensionNotLater(end: end, termEnd: current.end) }
        if let next = recordedTerms.first(where: { $0.start > current.start && $0.start <= end }) {
            throw .overlapsRecordedTerm(start: next.start, end: next.end)
        }
        let term = try Self.checked(Term(start: current.start, end: end))
        var changed = self
        changed.record(term)
        return (changed, term)
    }

    /// This subscription reactivated on `today` after a lapse, with `plan` for a new term through
    /// `end` that starts as the policy says: on the day after the lapse (the expiry of the previous
    /// term, so nothing between is free) or on `today`. A notice of non-renewal that ended the
    /// previous run of terms no longer stands. Also returns the lapse: the last day covered before.
    public func reactivating(plan: String, through end: LocalDate, on today: LocalDate,
                             startingAtExpiry: Bool) throws(SubscriptionError) -> (Subscription, Term, lapsedAfter: LocalDate) {
        guard let ended = lapsed(on: today) else {
            if today < termStart { throw .notStarted(startsOn: termStart) }
            throw .notLapsed
        }
        let start = startingAtExpiry ? ended.adding(days: 1) : today
        let term = try Self.checked(Term(start: start, end: end))
        guard end >= today else { throw .reactivatedTermOver(start: start, end: end, today: today) }
        var changed = self
        changed.record(term)
        changed.lapses.append(ended)
        changed.nonRenewalNotice = nil
        changed.planChanges.removeAll { $0.effective == start }
        changed.planChanges.append(PlanChange(plan: plan, effective: start))
        changed.planChanges.sort { $0.effective < $1.effective }
        return (changed, term, ended)
    }

    private mutating func record(_ term: Term) {
        recordedTerms.removeAll { $0.start == term.start }
        recordedTerms.append(term)
        recordedTerms.sort { $0.start < $1.start }
    }

    private static func checked(_ term: Term) throws(SubscriptionError) -> Term {
        guard term.end >= term.start else { throw .termEndTooEarly(end: term.end, start: term.start) }
        // The longest term Accord records is ten years.
        guard term.end < adding(months: 120, to: term.start) else { throw .termTooLong(start: term.start, end: term.end) }
        return term
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
    case noticeStands(given: LocalDate, endsOn: LocalDate)
    case lapsed(endedOn: LocalDate)
    case notLapsed
    case extensionNotLater(end: LocalDate, termEnd: LocalDate)
    case termEndTooEarly(end: LocalDate, start: LocalDate)
    case termTooLong(start: LocalDate, end: LocalDate)
    case reactivatedTermOver(start: LocalDate, end: LocalDate, today: LocalDate)
    case overlapsRecordedTerm(start: LocalDate, end: LocalDate)

    /// The field of the request whose value was refused, when the refusal is of a date asked for
    /// (a new term's last day) rather than of the subscription's state.
    public var field: String? {
        switch self {
        case .extensionNotLater, .termEndTooEarly, .termTooLong, .reactivatedTermOver, .overlapsRecordedTerm: "termEnd"
        default: nil
        }
    }

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
        case .noticeStands(let given, let ends):
            "a notice of non-renewal given on \(given) stands: the subscription ends on \(ends); withdraw the notice before renewing"
        case .lapsed(let ended):
            "the subscription lapsed: it ended on \(ended); reactivate it instead"
        case .notLapsed:
            "the subscription is in force; renew or extend it instead of reactivating"
        case .extensionNotLater(let end, let termEnd):
            "an extension must end after the current term's last day \(termEnd), not on \(end)"
        case .termEndTooEarly(let end, let start):
            "the new term starts on \(start); its last day \(end) must not be before that"
        case .termTooLong(let start, let end):
            "a term from \(start) to \(end) is longer than ten years"
        case .reactivatedTermOver(let start, let end, let today):
            "a term from \(start) to \(end) would be over already on \(today); it must reach today"
        case .overlapsRecordedTerm(let start, let end):
            "the term would run into the term already recorded from \(start) to \(end); end it before \(start)"
        }
    }
}
