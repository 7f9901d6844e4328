import AccordCore
import BusinessTime
import Testing

/// Terms, automatic renewal, the notice period and dated plan changes (plex: 90 days' notice,
/// nothing after a lapse; pro-plus: no automatic renewal, free support after it ends).
@Suite struct SubscriptionTests {
    static func day(_ text: String) -> LocalDate { LocalDate(iso: text)! }

    let yearly = Subscription(plan: "gold", termStart: day("2026-01-01"), termEnd: day("2026-12-31"), automaticRenewal: true)

    @Test func yearlyTermsRenewByWholeYears() {
        #expect(yearly.term(containing: Self.day("2026-06-15")) == .init(start: Self.day("2026-01-01"), end: Self.day("2026-12-31")))
        #expect(yearly.term(containing: Self.day("2028-02-29")) == .init(start: Self.day("2028-01-01"), end: Self.day("2028-12-31")))
        #expect(yearly.term(containing: Self.day("2031-01-01")) == .init(start: Self.day("2031-01-01"), end: Self.day("2031-12-31")))
        #expect(yearly.term(containing: Self.day("2025-12-31")) == nil)
        let odd = Subscription(plan: "x", termStart: Self.day("2026-01-10"), termEnd: Self.day("2026-01-19"), automaticRenewal: true)
        #expect(odd.term(containing: Self.day("2026-01-31")) == .init(start: Self.day("2026-01-30"), end: Self.day("2026-02-08")))
        let monthEnd = Subscription(plan: "x", termStart: Self.day("2026-01-31"), termEnd: Self.day("2026-02-27"), automaticRenewal: true)
        #expect(monthEnd.term(containing: Self.day("2026-03-01")) == .init(start: Self.day("2026-02-28"), end: Self.day("2026-03-30")))
    }

    @Test func plexNoticeMustArriveNinetyDaysBeforeTheTermEnds() throws {
        // The term expires at the end of 2026-12-31; 90 days before is 2026-10-03.
        let term = try #require(yearly.term(containing: Self.day("2026-05-01")))
        #expect(Subscription.noticeDeadline(for: term, noticeDays: 90) == Self.day("2026-10-03"))
        let given = try yearly.givingNotice(on: Self.day("2026-10-03"), noticeDays: 90)
        #expect(given.finalDay == Self.day("2026-12-31"))
        #expect(given.coverage(on: Self.day("2026-12-31"), afterLapse: "no-support") == .plan("gold"))
        #expect(given.coverage(on: Self.day("2027-01-01"), afterLapse: "no-support") == .none(endedOn: Self.day("2026-12-31")))
        #expect(throws: SubscriptionError.noticeTooLate(givenOn: Self.day("2026-10-04"), deadline: Self.day("2026-10-03"), noticeDays: 90, termEnd: Self.day("2026-12-31"))) {
            try yearly.givingNotice(on: Self.day("2026-10-04"), noticeDays: 90)
        }
        #expect(throws: SubscriptionError.noticeAlreadyGiven(on: Self.day("2026-10-03"), endsOn: Self.day("2026-12-31"))) {
            try given.givingNotice(on: Self.day("2026-10-01"), noticeDays: 90)
        }
        // Without notice the subscription renews: covered years later.
        #expect(yearly.finalDay == nil)
        #expect(yearly.coverage(on: Self.day("2030-07-01"), afterLapse: "no-support") == .plan("gold"))
        // Notice in a renewed term ends that term.
        let later = try yearly.givingNotice(on: Self.day("2027-03-01"), noticeDays: 90)
        #expect(later.finalDay == Self.day("2027-12-31"))
        #expect(SubscriptionError.noticeTooLate(givenOn: Self.day("2026-10-04"), deadline: Self.day("2026-10-03"), noticeDays: 90, termEnd: Self.day("2026-12-31")).description
            == "notice of non-renewal given on 2026-10-04 is too late: it must arrive at least 90 days before the term ends on 2026-12-31, that is by 2026-10-03; the subscription renews on 2027-01-01")
    }

    @Test func proPlusEndsWithoutRenewalAndFallsBackToFree() {
        let pro = Subscription(plan: "pro-plus", termStart: Self.day("2026-01-01"), termEnd: Self.day("2026-12-31"), automaticRenewal: false)
        #expect(pro.coverage(on: Self.day("2027-01-01"), afterLapse: "free") == .fallback(plan: "free", endedOn: Self.day("2026-12-31")))
        #expect(pro.coverage(on: Self.day("2025-06-01"), afterLapse: "free") == .notStarted(startsOn: Self.day("2026-01-01")))
        #expect(throws: SubscriptionError.doesNotRenew(endsOn: Self.day("2026-12-31"))) { try pro.givingNotice(on: Self.day("2026-02-01"), noticeDays: 0) }
    }

    @Test func planChangesAreDated() throws {
        let upgraded = try yearly.changingPlan(to: "platinum", effective: Self.day("2026-07-01"))
            .changingPlan(to: "silver", effective: Self.day("2027-01-01"))
        #expect(upgraded.plan(on: Self.day("2026-06-30")) == "gold")
        #expect(upgraded.plan(on: Self.day("2026-07-01")) == "platinum")
        #expect(upgraded.coverage(on: Self.day("2027-05-01"), afterLapse: "no-support") == .plan("silver"))
        #expect(throws: SubscriptionError.beforeTermStart(effective: Self.day("2025-12-01"), termStart: Self.day("2026-01-01"))) {
            try yearly.changingPlan(to: "silver", effective: Self.day("2025-12-01"))
        }
        let ending = try yearly.givingNotice(on: Self.day("2026-02-01"), noticeDays: 90)
        #expect(throws: SubscriptionError.afterFinalDay(effective: Self.day("2027-01-01"), finalDay: Self.day("2026-12-31"))) {
            try ending.changingPlan(to: "silver", effective: Self.day("2027-01-01"))
        }
    }

    // MARK: Renewals, extensions, reactivations

    /// plex: "a new Customer Care plan at then-current prices with a Term of Use beginning on the date
    /// of expiration of the previous" term — the lapse is paid for, nothing between is free.
    @Test func plexReactivationStartsTheNewTermAtTheExpiry() throws {
        let ended = try yearly.givingNotice(on: Self.day("2026-09-01"), noticeDays: 90)
        let today = Self.day("2027-03-10")
        #expect(ended.coverage(on: today, afterLapse: "no-support") == .none(endedOn: Self.day("2026-12-31")))
        #expect(throws: SubscriptionError.lapsed(endedOn: Self.day("2026-12-31"))) { try ended.renewing(through: Self.day("2027-12-31"), on: today) }
        let (back, term, lapse) = try ended.reactivating(plan: "platinum", through: Self.day("2027-12-31"), on: today, startingAtExpiry: true)
        #expect(lapse == Self.day("2026-12-31"))
        #expect(term == .init(start: Self.day("2027-01-01"), end: Self.day("2027-12-31")))
        #expect(back.lapses == [Self.day("2026-12-31")])
        #expect(back.nonRenewalNotice == nil && back.finalDay == nil, "the new run of terms renews again")
        #expect(back.coverage(on: Self.day("2026-06-01"), afterLapse: "no-support") == .plan("gold"))
        #expect(back.coverage(on: Self.day("2027-01-01"), afterLapse: "no-support") == .plan("platinum"))
        #expect(back.coverage(on: Self.day("2028-06-01"), afterLapse: "no-support") == .plan("platinum"))
        #expect(back.term(containing: Self.day("2028-06-01")) == .init(start: Self.day("2028-01-01"), end: Self.day("2028-12-31")))
        // A new notice in the new run ends it.
        let again = try back.givingNotice(on: Self.day("2027-05-01"), noticeDays: 90)
        #expect(again.finalDay == Self.day("2027-12-31"))
        #expect(again.coverage(on: Self.day("2028-01-01"), afterLapse: "no-support") == .none(endedOn: Self.day("2027-12-31")))

        #expect(throws: SubscriptionError.termEndTooEarly(end: Self.day("2026-12-31"), start: Self.day("2027-01-01"))) {
            try ended.reactivating(plan: "gold", through: Self.day("2026-12-31"), on: today, startingAtExpiry: true)
        }
        #expect(throws: SubscriptionError.reactivatedTermOver(start: Self.day("2027-01-01"), end: Self.day("2027-02-28"), today: today)) {
            try ended.reactivating(plan: "gold", through: Self.day("2027-02-28"), on: today, startingAtExpiry: true)
        }
        #expect(throws: SubscriptionError.notLapsed) {
            try yearly.reactivating(plan: "gold", through: Self.day("2027-12-31"), on: Self.day("2026-05-01"), startingAtExpiry: true)
        }
    }

    /// pro-plus: no automatic renewal, free support after a lapse; buying Pro Plus again starts a
    /// term on the day, the days between stay free support.
    @Test func proPlusRenewsByHandAndReactivatesFromTheDay() throws {
        let pro = Subscription(plan: "pro-plus", termStart: Self.day("2026-01-01"), termEnd: Self.day("2026-12-31"), automaticRenewal: false)
        let (renewed, term) = try pro.renewing(through: Self.day("2027-12-31"), on: Self.day("2026-11-01"))
        #expect(term == .init(start: Self.day("2027-01-01"), end: Self.day("2027-12-31")))
        #expect(renewed.finalDay == Self.day("2027-12-31"))
        #expect(renewed.coverage(on: Self.day("2027-06-01"), afterLapse: "free") == .plan("pro-plus"))
        #expect(renewed.coverage(on: Self.day("2028-01-05"), afterLapse: "free") == .fallback(plan: "free", endedOn: Self.day("2027-12-31")))
        let (back, next, lapse) = try renewed.reactivating(plan: "pro-plus", through: Self.day("2029-01-31"), on: Self.day("2028-02-01"), startingAtExpiry: false)
        #expect(lapse == Self.day("2027-12-31"))
        #expect(next.start == Self.day("2028-02-01"))
        #expect(back.coverage(on: Self.day("2028-01-15"), afterLapse: "free") == .fallback(plan: "free", endedOn: Self.day("2027-12-31")))
        #expect(back.coverage(on: Self.day("2028-02-01"), afterLapse: "free") == .plan("pro-plus"))
        #expect(back.coverage(on: Self.day("2027-06-01"), afterLapse: "free") == .plan("pro-plus"), "history stays as it was")
        #expect(back.finalDay == Self.day("2029-01-31"))
        #expect(throws: SubscriptionError.termTooLong(start: Self.day("2027-01-01"), end: Self.day("2037-01-01"))) {
            try pro.renewing(through: Self.day("2037-01-01"), on: Self.day("2026-11-01"))
        }
    }

    @Test func anExtensionMovesTheCurrentTermsEndAndRenewalsFollowIt() throws {
        let (extended, term) = try yearly.extending(through: Self.day("2027-03-31"), on: Self.day("2026-05-01"))
        #expect(term == .init(start: Self.day("2026-01-01"), end: Self.day("2027-03-31")))
        #expect(extended.term(containing: Self.day("2027-02-01")) == term)
        // Automatic renewals keep the first term's length (a year), from the extended end.
        #expect(extended.term(containing: Self.day("2027-05-01")) == .init(start: Self.day("2027-04-01"), end: Self.day("2028-03-31")))
        #expect(throws: SubscriptionError.extensionNotLater(end: Self.day("2026-12-31"), termEnd: Self.day("2026-12-31"))) {
            try yearly.extending(through: Self.day("2026-12-31"), on: Self.day("2026-05-01"))
        }
        // Extending a renewed term: the second year ends in June 2028.
        let (second, _) = try yearly.extending(through: Self.day("2028-06-30"), on: Self.day("2027-05-01"))
        #expect(second.term(containing: Self.day("2028-02-01")) == .init(start: Self.day("2027-01-01"), end: Self.day("2028-06-30")))
        #expect(second.coverage(on: Self.day("2026-03-01"), afterLapse: "no-support") == .plan("gold"))
        #expect(second.term(containing: Self.day("2028-07-01")) == .init(start: Self.day("2028-07-01"), end: Self.day("2029-06-30")))
    }

    /// A renewal agreed in advance is a commitment: a later notice ends the subscription after it.
    @Test func aRenewalInAdvanceIsCommittedAndNoticeCannotStandDuringARenewal() throws {
        let (three, term) = try yearly.renewing(through: Self.day("2029-12-31"), on: Self.day("2026-05-01"))
        #expect(term == .init(start: Self.day("2027-01-01"), end: Self.day("2029-12-31")))
        #expect(three.term(containing: Self.day("2028-06-01")) == term)
        #expect(three.term(containing: Self.day("2030-02-01")) == .init(start: Self.day("2030-01-01"), end: Self.day("2030-12-31")))
        let noticed = try three.givingNotice(on: Self.day("2026-09-01"), noticeDays: 90)
        #expect(noticed.finalDay == Self.day("2029-12-31"))
        #expect(throws: SubscriptionError.noticeStands(given: Self.day("2026-09-01"), endsOn: Self.day("2029-12-31"))) {
            try noticed.renewing(through: Self.day("2030-12-31"), on: Self.day("2026-10-01"))
        }
    }
}
