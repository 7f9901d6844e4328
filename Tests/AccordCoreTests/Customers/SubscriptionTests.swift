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
}
