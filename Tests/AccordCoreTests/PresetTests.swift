import Testing
@testable import AccordCore
import BusinessTime

/// Every number the seed contracts promise, as the presets carry it.
@Suite struct PresetTests {
    static func target(_ policy: Policy, _ metric: String, _ plan: String, _ priority: String?) -> String {
        switch policy.metric(metric)!.target(plan: plan, priority: priority) {
        case .target(let t): t.description
        case .noTarget: "no target"
        case .priorityRequired: "priority required"
        }
    }

    @Test(arguments: Presets.names)
    func presetLoadsWithoutIssues(name: String) throws {
        do {
            let policy = try Presets.policy(name)
            #expect(policy.id == name)
        } catch let issues as PolicyIssues {
            Issue.record("\(issues)")
        }
    }

    @Test func plexInitialResponseTable() throws {
        let plex = try Presets.policy("plex")
        #expect(plex.zoneIdentifier == "America/Detroit")
        #expect(plex.plans.map(\.id) == ["silver", "gold", "platinum"])
        #expect(plex.priorities.map(\.id) == ["p1", "p2", "p3", "p4"])
        let expected: [String: [String]] = [
            "silver": ["1 calendar hour", "24 business hours", "48 business hours", "5 business days"],
            "gold": ["1 calendar hour", "12 business hours", "24 business hours", "48 business hours"],
            // The document's Platinum table repeats Silver's.
            "platinum": ["1 calendar hour", "24 business hours", "48 business hours", "5 business days"],
        ]
        for (plan, targets) in expected {
            #expect(["p1", "p2", "p3", "p4"].map { Self.target(plex, "initial-response", plan, $0) } == targets, "\(plan)")
        }
        let calendar = plex.calendars["business-days"]!.versions[0].calendar.definition
        #expect(calendar.weekly[.monday] == .wholeDay && calendar.weekly[.friday] == .wholeDay)
        #expect(calendar.weekly[.saturday].isClosed && calendar.weekly[.sunday].isClosed)
        #expect(calendar.holidaySets.map(\.id) == ["US"])
        #expect(plex.priority("p1")!.definition.hasPrefix("Critical production issue affecting all Users"))
    }

    @Test func plexEntitlementsAndRules() throws {
        let plex = try Presets.policy("plex")
        let silver = plex.plan("silver")!.entitlements
        let gold = plex.plan("gold")!.entitlements
        let platinum = plex.plan("platinum")!.entitlements
        #expect([silver, gold, platinum].map { $0.authorizedContacts!.included } == [2, 4, 6])
        #expect([silver, gold, platinum].allSatisfy { $0.authorizedContacts!.extraAtFee })
        #expect([silver, gold, platinum].map(\.ticketPriority) == ["standard", "higher", "highest"])
        #expect([silver, gold, platinum].map(\.technicalAccountManager) == ["none", "reactive", "named"])
        #expect([silver, gold, platinum].map(\.businessReviews) == [[], ["quarterly"], ["monthly", "quarterly"]])
        #expect([silver, gold, platinum].map(\.premiumCommunity) == [false, true, true])
        #expect([silver, gold, platinum].map(\.escalationAdvocate) == [false, true, true])
        #expect([silver, gold, platinum].map(\.automationFairPasses) == [0, 0, 1])
        let rules = plex.rules
        #expect(rules.intake == [
            IntakeRule(priorities: ["p1"], who: ["user", "authorized-contact"], channels: ["phone", "web"]),
            IntakeRule(priorities: ["p2", "p3", "p4"], who: ["authorized-contact"], channels: ["web"]),
        ])
        #expect(rules.phoneSupport == PhoneSupport(priorities: ["p1"], hours: "24x7", languages: ["en"]))
        var renewal = Renewal(automatic: true, noticeDays: 90, afterLapse: "no-support")
        renewal.reactivation = Reactivation(termStartsAtExpiry: true, requiresFeesCurrent: true)
        #expect(rules.renewal == renewal)
        #expect(rules.maintenanceLimits == [MaintenanceLimit(minutes: 60, monthsPerYear: 10), MaintenanceLimit(minutes: 240, monthsPerYear: 2)])
        #expect(rules.visibility == .authorizedContactsOversee)
    }

    @Test func plixerTargets() throws {
        let plixer = try Presets.policy("plixer")
        #expect(plixer.zoneIdentifier == "America/New_York")
        let hours = plixer.calendars["business-hours"]!.versions[0].calendar.definition
        #expect(hours.weekly[.wednesday].description == "08:00-17:00")
        #expect(hours.weekly[.saturday].isClosed)
        #expect(plixer.calendars["always"]!.versions[0].calendar.definition.weekly.isAlwaysOpen)
        #expect(plixer.plan("tier-2")!.calendar == "always")
        #expect(Self.target(plixer, "initial-response", "standard", "severity-1") == "1 business day")
        #expect(Self.target(plixer, "initial-response", "tier-2", "severity-4") == "1 business day")
        for plan in ["standard", "tier-2"] {
            #expect(["severity-1", "severity-2", "severity-3", "severity-4"].map { Self.target(plixer, "resolution", plan, $0) }
                    == ["5 days", "10 days", "2 weeks", "4 weeks"])
        }
        let resolution = plixer.metric("resolution")!
        #expect(resolution.start == .defectConfirmed && resolution.notifyWhenLate)
        let patch = plixer.metric("patch")!
        #expect(patch.start == .laterOfNotificationAndPatchAvailable)
        let bands: [(Double, String, String)] = [
            (10, "critical", "7 days"), (9.0, "critical", "7 days"), (8.9, "high", "60 days"), (7.0, "high", "60 days"),
            (6.9, "medium", "90 days"), (5.0, "medium", "90 days"), (4.9, "low", "120 days"), (0, "low", "120 days"),
        ]
        for (score, name, target) in bands {
            let band = try #require(patch.band(forCVSS: score))
            #expect(band.name == name && band.target.description == target && band.target.kind == .calendarDays, "CVSS \(score)")
        }
        #expect(plixer.priorities.map(\.id) == ["severity-1", "severity-2", "severity-3", "severity-4"])
    }

    @Test func plmGroupRegionsHoursAndTargets() throws {
        let plm = try Presets.policy("plm-group")
        let expected: [(String, String, String, String, String, String)] = [
            ("norway", "Europe/Oslo", "NO", "support@plmgroup.no", "08:00-16:00", "08:00-16:00"),
            ("iceland", "Atlantic/Reykjavik", "IS", "support@plmgroup.no", "08:00-16:00", "08:00-16:00"),
            ("denmark", "Europe/Copenhagen", "DK", "support@plmgroup.dk", "08:00-12:00, 13:00-16:00", "08:00-12:00, 13:00-15:00"),
            ("sweden", "Europe/Stockholm", "SE", "support@plmgroup.se", "08:00-12:00, 13:00-16:00", "08:00-12:00, 13:00-16:00"),
            ("finland", "Europe/Helsinki", "FI", "support@plmgroup.fi", "08:00-15:00", "08:00-15:00"),
            ("estonia", "Europe/Tallinn", "EE", "support@plmgroup.ee", "08:00-12:00, 13:00-16:00", "08:00-12:00, 13:00-16:00"),
            ("latvia", "Europe/Riga", "LV", "support@plmgroup.lv", "08:00-12:00, 13:00-16:00", "08:00-12:00, 13:00-16:00"),
        ]
        #expect(plm.regions.map(\.id) == expected.map(\.0))
        for (id, zone, holidays, mailbox, monToThu, friday) in expected {
            let region = try #require(plm.region(id))
            let calendar = plm.calendars[region.calendar]!.versions[0].calendar.definition
            #expect(calendar.zoneIdentifier == zone)
            #expect(calendar.holidaySets.map(\.id) == [holidays])
            #expect(region.mailbox == mailbox)
            #expect(calendar.weekly[.monday].description == monToThu && calendar.weekly[.thursday].description == monToThu)
            #expect(calendar.weekly[.friday].description == friday)
            #expect(calendar.weekly[.saturday].isClosed && calendar.weekly[.sunday].isClosed)
        }
        #expect(plm.priorities.map(\.id) == ["critical", "high", "medium", "low", "question"])
        let priorities = plm.priorities.map(\.id)
        #expect(priorities.map { Self.target(plm, "initial-response", "standard", $0) }
                == ["4 business hours", "8 business hours", "16 business hours", "4 business days", "no target"])
        #expect(priorities.map { Self.target(plm, "initial-response", "premium", $0) }
                == ["2 business hours", "4 business hours", "8 business hours", "2 business days", "no target"])
        let rules = plm.rules
        #expect(rules.visibility == .requesterOnly)
        #expect(rules.supportedVersions == SupportedVersions(current: 2026, prior: 2))
        #expect(rules.supportedVersions!.isSupported(2024) && !rules.supportedVersions!.isSupported(2023))
        #expect(rules.scopeExclusions?.classification == "consultancy" && rules.scopeExclusions?.items.count == 12)
        #expect(rules.requiredInformation.filter(\.required).map(\.field)
                == ["contact-name", "phone", "email", "version", "service-pack", "english-consent", "description", "steps-to-reproduce"])
        let version = try Regex(rules.requiredInformation.first { $0.field == "version" }!.pattern!)
        let servicePack = try Regex(rules.requiredInformation.first { $0.field == "service-pack" }!.pattern!)
        #expect(try version.wholeMatch(in: "2025") != nil && version.wholeMatch(in: "25") == nil)
        #expect(try servicePack.wholeMatch(in: "SP3.1") != nil && servicePack.wholeMatch(in: "SP 3") == nil)
    }

    @Test func proPlusCalendarsAndTargets() throws {
        let pro = try Presets.policy("pro-plus")
        #expect(pro.zoneIdentifier == "America/Chicago")
        #expect(pro.priorities.isEmpty)
        let tier1 = pro.calendars["tier-1"]!.versions[0].calendar.definition
        let tier23 = pro.calendars["tier-2-3"]!.versions[0].calendar.definition
        #expect(tier1.weekly[.monday].description == "07:00-19:00" && tier1.weekly[.saturday].isClosed)
        #expect(tier23.weekly[.friday].description == "09:00-17:00")
        #expect([tier1, tier23].allSatisfy { $0.holidaySets.map(\.id) == ["US"] && $0.zoneIdentifier == "America/Chicago" })
        #expect(Self.target(pro, "initial-response", "pro-plus", nil) == "24 business hours")
        #expect(Self.target(pro, "initial-response", "free", nil) == "no target")
        #expect(pro.metric("initial-response")!.calendar == "tier-1")
        #expect(pro.plan("pro-plus")!.entitlements.priorityQueue && !pro.plan("free")!.entitlements.priorityQueue)
        #expect(pro.rules.renewal?.afterLapse == "free")
        #expect(pro.rules.priorityQueue == PriorityQueueRule(matchBy: ["sender-address", "sender-domain"], maintainedBy: "primary-contact"))
        #expect(pro.teams.map(\.tier) == [1, 2, 3])
        #expect(pro.teams.map(\.calendar) == ["tier-1", "tier-2-3", "tier-2-3"])
        #expect(pro.routing.queueOrder == [.queue, .arrival])
    }

    /// What each contract says it does not cover, as the classification staff record.
    @Test func scopeExclusionsAsTheContractsListThem() throws {
        let plex = try #require(try Presets.policy("plex").rules.scopeExclusions)
        #expect(plex.classification == "professional-services" && plex.leavesSLA)
        #expect(plex.items.count == 9)
        #expect(plex.items.contains { $0.hasPrefix("EDI beyond initial triage") })
        #expect(plex.items.contains("A version of the Subscription Services for which support has been discontinued"))
        let plixer = try #require(try Presets.policy("plixer").rules.scopeExclusions)
        #expect(plixer.classification == "development-services" && plixer.items == ["New features", "Custom development"])
        #expect(try Presets.policy("pro-plus").rules.scopeExclusions == nil, "the Pro Plus terms list no exclusions")
    }
}
