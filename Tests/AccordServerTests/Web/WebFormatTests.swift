import Foundation
import PropertyBased
import Testing

@testable import AccordServer

/// Pages write times by hand (a `DateFormatter` a time cost a page most of its time): checked
/// against Foundation's formatter, the reference, across zones with daylight saving, odd offsets
/// and two centuries.
@Suite struct WebFormatTests {
    static let zones = ["UTC", "Europe/Oslo", "America/Detroit", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Chatham", "America/St_Johns"]

    @Test func wallClockTextIsFoundationsAnywhere() async {
        await propertyCheck(count: 2000, input: Gen.int(in: -2_000_000_000...4_000_000_000), Gen.int(in: 0...(Self.zones.count - 1))) { seconds, zoneIndex in
            let zone = TimeZone(identifier: Self.zones[zoneIndex])!
            let date = Date(timeIntervalSince1970: TimeInterval(seconds))
            let reference = DateFormatter()
            reference.locale = Locale(identifier: "en_US_POSIX")
            reference.timeZone = zone
            reference.dateFormat = "EEE d MMM yyyy HH:mm"
            #expect(WebFormat.text(date, in: zone) == reference.string(from: date), "\(seconds) in \(zone.identifier)")
        }
    }

    @Test func isoIsUTCToTheSecond() {
        #expect(WebFormat.iso(Date(timeIntervalSince1970: 1_775_050_200.9)) == "2026-04-01T13:30:00Z")
    }

    @Test func theViewersZoneIsNamedAndTheContractsShownWhenItIsAnother() {
        let date = Date(timeIntervalSince1970: 1_775_050_200)
        let oslo = WebFormat(viewerZone: TimeZone(identifier: "Europe/Oslo")).time(date, contractZone: "Europe/Copenhagen")
        #expect(oslo.viewer == "Wed 1 Apr 2026 15:30 your time (Europe/Oslo)")
        #expect(oslo.contract == "Wed 1 Apr 2026 15:30 Europe/Copenhagen", "another zone, though the same offset")
        let same = WebFormat(viewerZone: TimeZone(identifier: "Europe/Copenhagen")).time(date, contractZone: "Europe/Copenhagen")
        #expect(same.contract == nil)
        let unknown = WebFormat(viewerZone: nil).time(date, contractZone: "America/Detroit")
        #expect(unknown.viewer == "Wed 1 Apr 2026 13:30 UTC" && unknown.contract == "Wed 1 Apr 2026 09:30 America/Detroit")
        #expect(WebFormat.zone("Not/AZone") == nil)
    }
}
