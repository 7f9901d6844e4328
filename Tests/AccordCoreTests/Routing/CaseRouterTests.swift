import Foundation
import Testing
@testable import AccordCore
import BusinessTime

/// Every routing rule of every preset: mailboxes to regions and teams, follow-the-sun, the P1
/// desk, the Tier 2 plan's around-the-clock team, the English overflow and escalation by tier.
@Suite struct CaseRouterTests {
    static func at(_ text: String) -> Int64 {
        Int64(ISO8601DateFormatter().date(from: text)!.timeIntervalSince1970)
    }

    static func route(_ preset: String, _ arrival: CaseRouter.Arrival, _ instant: String, backlog: Int = 0) throws -> CaseRouter.Decision {
        try CaseRouter(policy: try Presets.policy(preset)).route(arrival, at: at(instant), backlog: { _ in backlog })
    }

    // MARK: PLM Group: mailboxes and regions

    @Test func eachCountrysMailboxReachesThatCountrysTeam() throws {
        let countries = ["no": "norway", "dk": "denmark", "se": "sweden", "fi": "finland", "ee": "estonia", "lv": "latvia"]
        for (domain, team) in countries {
            let decision = try Self.route("plm-group", .init(channel: "email", mailbox: "support@plmgroup.\(domain)", region: "latvia"),
                                          "2026-11-24T10:00:00Z")
            #expect(decision.team == team && decision.tier == 1, "support@plmgroup.\(domain)")
            #expect(decision.region == (domain == "lv" ? "latvia" : team), "the mailbox names the region and so the calendar")
        }
    }

    @Test func norwaysMailboxServesIcelandWithoutMovingItsCustomers() throws {
        let iceland = try Self.route("plm-group", .init(channel: "email", mailbox: "Support@PLMgroup.no", region: "iceland"), "2026-11-24T10:00:00Z")
        #expect(iceland.region == "iceland" && iceland.team == "norway")
        #expect(iceland.language == "is")
        #expect(iceland.reasons.first == "sent to support@plmgroup.no, which serves the customer's region iceland")
        let web = try Self.route("plm-group", .init(channel: "web", region: "iceland"), "2026-11-24T10:00:00Z")
        #expect(web.region == "iceland" && web.team == "norway", "by the customer's region, rule 1")
        #expect(web.reasons.contains("routing rule 1 (region norway or iceland) names norway"))
    }

    @Test func anUnknownMailboxIsRefusedWithTheKnownAddresses() throws {
        #expect(throws: RoutingError.unknownMailbox(
            "'help@plmgroup.com' is not a support address of PLM Group Support SLA; addresses: support@plmgroup.dk, support@plmgroup.ee, support@plmgroup.fi, support@plmgroup.lv, support@plmgroup.no, support@plmgroup.se"
        )) {
            try Self.route("plm-group", .init(channel: "email", mailbox: "help@plmgroup.com", region: "norway"), "2026-11-24T10:00:00Z")
        }
    }

    @Test func aLongRegionalBacklogSendsConsentingRequestersToGlobalEnglishSupport() throws {
        let arrival = CaseRouter.Arrival(channel: "web", region: "sweden", englishConsent: true)
        #expect(try Self.route("plm-group", arrival, "2026-11-24T10:00:00Z", backlog: 25).team == "sweden", "25 is not more than 25")
        let moved = try Self.route("plm-group", arrival, "2026-11-24T10:00:00Z", backlog: 26)
        #expect(moved.team == "global-english" && moved.region == "sweden", "the contract clocks keep Sweden's calendar")
        #expect(moved.reasons.last == "Support Sweden has 26 cases waiting, more than 25, and the requester accepts English support: Global English support takes it")
        var refused = arrival
        refused.englishConsent = false
        #expect(try Self.route("plm-group", refused, "2026-11-24T10:00:00Z", backlog: 500).team == "sweden")
        refused.englishConsent = nil
        #expect(try Self.route("plm-group", refused, "2026-11-24T10:00:00Z", backlog: 500).team == "sweden")
    }

    // MARK: Plex: the P1 desk and follow-the-sun

    @Test func criticalCasesGoToTheRoundTheClockP1Desk() throws {
        for instant in ["2026-11-28T03:00:00Z", "2026-11-24T15:00:00Z", "2026-12-25T12:00:00Z"] {
            let decision = try Self.route("plex", .init(channel: "phone", region: "global", language: "de", priority: "p1"), instant)
            #expect(decision.team == "p1-desk", "\(instant)")
        }
    }

    @Test func followTheSunPicksTheDeskThatSpeaksTheLanguageAndIsOpenNow() throws {
        // Tuesday 09:00 UTC: 10:00 in Bratislava, 17:00 in Shanghai, 04:00 in Detroit.
        #expect(try Self.route("plex", .init(channel: "web", region: "global", language: "de", priority: "p2"), "2026-11-24T09:00:00Z").team == "europe")
        #expect(try Self.route("plex", .init(channel: "web", region: "global", language: "en", priority: "p2"), "2026-11-24T09:00:00Z").team == "europe",
                "the Americas desk is closed, Europe is the first open")
        // Tuesday 02:00 UTC: 10:00 in Shanghai; Europe and the Americas are closed.
        let japanese = try Self.route("plex", .init(channel: "web", region: "global", language: "ja", priority: "p3"), "2026-11-24T02:00:00Z")
        #expect(japanese.team == "asia")
        #expect(japanese.reasons.last == "Asia desk takes it", "only Asia speaks Japanese")
        // Tuesday 14:00 UTC: 09:00 in Detroit, 15:00 in Bratislava: both open, the Americas listed first.
        let english = try Self.route("plex", .init(channel: "web", region: "global", language: "en", priority: "p3"), "2026-11-24T14:00:00Z")
        #expect(english.team == "americas")
        #expect(english.reasons.last == "follow-the-sun: Americas desk speaks en and is open now")
    }

    @Test func whenNoDeskIsOpenTheOneThatOpensFirstTakesTheCase() throws {
        // Saturday noon UTC: Asia opens first, Monday 09:00 in Shanghai = Monday 01:00 UTC.
        let english = try Self.route("plex", .init(channel: "web", region: "global", language: "en", priority: "p4"), "2026-11-28T12:00:00Z")
        #expect(english.team == "asia")
        #expect(english.reasons.last == "follow-the-sun: no candidate is open now; Asia desk opens first, at 2026-11-30T01:00:00Z")
        // Spanish is spoken in the Americas and Europe; Europe opens Monday 08:00 CET = 07:00 UTC, before Detroit's 12:00 UTC.
        #expect(try Self.route("plex", .init(channel: "web", region: "global", language: "es", priority: "p4"), "2026-11-28T12:00:00Z").team == "europe")
        // A language no desk speaks: every desk is considered.
        let dutch = try Self.route("plex", .init(channel: "web", region: "global", language: "nl", priority: "p4"), "2026-11-28T12:00:00Z")
        #expect(dutch.team == "asia" && dutch.reasons.contains("no candidate team speaks 'nl'; all candidates considered"))
    }

    @Test func withoutALanguageTheRegionsFirstLanguageIsUsed() throws {
        let decision = try Self.route("plex", .init(channel: "web", region: "global", priority: "p2"), "2026-11-24T02:00:00Z")
        #expect(decision.language == "en" && decision.team == "asia")
    }

    // MARK: Plixer and Pro Plus

    @Test func plixersTierTwoPlanGoesToTheDeskWhileOpenAndToTheTwentyFourSevenTeamOtherwise() throws {
        let tier2 = CaseRouter.Arrival(channel: "phone", region: "us-east", priority: "severity-1", plan: "tier-2")
        #expect(try Self.route("plixer", tier2, "2026-11-24T15:00:00Z").team == "support", "10:00 ET Tuesday")
        #expect(try Self.route("plixer", tier2, "2026-11-24T23:00:00Z").team == "around-the-clock", "18:00 ET Tuesday")
        #expect(try Self.route("plixer", tier2, "2026-11-26T15:00:00Z").team == "around-the-clock", "Thanksgiving")
        var standard = tier2
        standard.plan = "standard"
        let night = try Self.route("plixer", standard, "2026-11-24T23:00:00Z")
        #expect(night.team == "support", "standard maintenance waits for the desk")
        #expect(night.reasons.first == "no routing rule matches; the default teams are support")
    }

    @Test func proPlusCasesArriveAtTierOneAndEscalateToTierTwoOrThree() throws {
        let router = CaseRouter(policy: try Presets.policy("pro-plus"))
        #expect(try router.route(.init(channel: "email", region: "us-central"), at: Self.at("2026-11-24T15:00:00Z")).team == "tier-1")
        #expect(try router.escalate(language: "en", to: 2, at: Self.at("2026-11-24T15:00:00Z")).team.id == "tier-2")
        #expect(try router.escalate(language: "en", to: 3, at: Self.at("2026-11-24T15:00:00Z")).team.calendar == "tier-2-3")
        #expect(throws: RoutingError.noTeam("Pro Plus Support Plan has no tier-4 team; tiers: 1, 2, 3")) {
            try router.escalate(language: "en", to: 4, at: Self.at("2026-11-24T15:00:00Z"))
        }
    }

    // MARK: Priority senders

    @Test func prioritySendersMatchByAddressOrDomainAsThePolicySays() {
        let both = PriorityQueueRule(matchBy: ["sender-address", "sender-domain"], maintainedBy: "primary-contact")
        let list = ["ann@acme.example", "Widgets.example"]
        #expect(both.matchingEntry(for: "ANN@acme.example", in: list) == "ann@acme.example")
        #expect(both.matchingEntry(for: "bob@widgets.example", in: list) == "Widgets.example")
        #expect(both.matchingEntry(for: "bob@acme.example", in: list) == nil)
        #expect(both.matchingEntry(for: "bob@sub.widgets.example", in: list) == nil, "a domain entry is that domain only")
        let addressesOnly = PriorityQueueRule(matchBy: ["sender-address"], maintainedBy: "primary-contact")
        #expect(addressesOnly.matchingEntry(for: "bob@widgets.example", in: list) == nil)
    }
}
