import Foundation
import PropertyBased
import Testing
@testable import AccordCore
import BusinessTime

/// Property tests: the engine agrees with the minute-by-minute ``ReferenceModel`` on every preset
/// calendar, at random instants of 2025–2028, around each DST change and around holidays.
@Suite struct EngineAgainstReferenceTests {
    struct PresetCalendar: CustomTestStringConvertible, Sendable {
        let name: String
        let calendar: BusinessCalendar
        var testDescription: String { name }
    }

    static let calendars: [PresetCalendar] = Presets.names.flatMap { name in
        let policy = try! Presets.policy(name)
        return policy.calendars.keys.sorted().map { id in
            PresetCalendar(name: "\(name)/\(id)", calendar: policy.calendars[id]!.versions[0].calendar)
        }
    }

    static let range2025to2028: ClosedRange<Int64> = 1_735_689_600...1_861_919_999

    /// An instant chosen by `mode`: anywhere in 2025–2028, within three days of a DST change, or
    /// within two days of a holiday; always on a whole minute.
    static func instant(_ calendar: BusinessCalendar, mode: Int, pick: Int) -> Int64 {
        let zone = TimeZone(identifier: calendar.zoneIdentifier)!
        var anchors: [Int64] = []
        switch mode {
        case 1:
            var date = Date(timeIntervalSince1970: TimeInterval(range2025to2028.lowerBound))
            while let next = zone.nextDaylightSavingTimeTransition(after: date), next.timeIntervalSince1970 < TimeInterval(range2025to2028.upperBound) {
                anchors.append(Int64(next.timeIntervalSince1970))
                date = next
            }
        case 2:
            for year in 2025...2028 {
                for date in calendar.definition.holidays(in: year).keys {
                    anchors.append(Int64(date.dayNumber) * 86_400)
                }
            }
        default: break
        }
        if anchors.isEmpty {
            let span = (range2025to2028.upperBound - range2025to2028.lowerBound) / 60
            return range2025to2028.lowerBound + Int64(pick) % span * 60
        }
        let anchor = anchors[pick % anchors.count]
        let jitter = Int64(pick / max(1, anchors.count) % (6 * 1440)) - 3 * 1440
        return (anchor / 60 + jitter) * 60
    }

    @Test(arguments: calendars)
    func businessHoursMatchTheReference(preset: PresetCalendar) async throws {
        let reference = ReferenceModel(preset.calendar.definition)
        await propertyCheck(count: 40, input: Gen.int(in: 0...2), Gen.int(in: 0...1_000_000_000), Gen.int(in: 1...2400)) { mode, pick, minutes in
            let event = Self.instant(preset.calendar, mode: mode, pick: pick)
            let target = TimeTarget(kind: .businessTime, amount: Int64(minutes) * 60, description: "\(minutes) business minutes")
            let engine = try DeadlineEngine.deadline(for: target, startingAt: event, on: preset.calendar)
            #expect(engine.due == reference.businessHoursDue(event: event, minutes: minutes, pauses: []),
                    "\(preset.name) from \(ISO8601.utc(event)) + \(minutes) min")
            #expect(engine.clockStart == reference.firstOpen(event))
        }
    }

    @Test(arguments: calendars)
    func businessHoursWithPausesMatchTheReference(preset: PresetCalendar) async throws {
        let reference = ReferenceModel(preset.calendar.definition)
        await propertyCheck(count: 25, input: Gen.int(in: 0...2), Gen.int(in: 0...1_000_000_000), Gen.int(in: 1...1500), Gen.int(in: 0...4000), Gen.int(in: 1...3000)) { mode, pick, minutes, pauseAfter, pauseLength in
            let event = Self.instant(preset.calendar, mode: mode, pick: pick)
            let pause = try Pause(start: event + Int64(pauseAfter) * 60, end: event + Int64(pauseAfter + pauseLength) * 60)
            let target = TimeTarget(kind: .businessTime, amount: Int64(minutes) * 60, description: "\(minutes) business minutes")
            let engine = try DeadlineEngine.deadline(for: target, startingAt: event, pauses: [pause], on: preset.calendar)
            #expect(engine.due == reference.businessHoursDue(event: event, minutes: minutes, pauses: [pause]),
                    "\(preset.name) from \(ISO8601.utc(event)) + \(minutes) min, paused \(ISO8601.utc(pause.start))/\(ISO8601.utc(pause.end))")
        }
    }

    /// The monitor's warning at p% of a business-hours budget falls where a target of p% of it
    /// would be due, pauses and all — checked against the minute-by-minute reference.
    @Test(arguments: calendars)
    func warningsFallWhereTheirShareOfTheBudgetIsUsed(preset: PresetCalendar) async throws {
        let reference = ReferenceModel(preset.calendar.definition)
        await propertyCheck(count: 25, input: Gen.int(in: 0...2), Gen.int(in: 0...1_000_000_000), Gen.int(in: 1...150), Gen.int(in: 0...4000), Gen.int(in: 0...3000)) { mode, pick, tens, pauseAfter, pauseLength in
            let event = Self.instant(preset.calendar, mode: mode, pick: pick)
            let minutes = tens * 20
            let pauses = pauseLength == 0 ? [] : [try Pause(start: event + Int64(pauseAfter) * 60, end: event + Int64(pauseAfter + pauseLength) * 60)]
            let target = TimeTarget(kind: .businessTime, amount: Int64(minutes) * 60, description: "\(minutes) business minutes")
            let clock = SLAClock(target: target, startEvent: event, pauses: pauses, calendar: preset.calendar)
            for (percent, warning) in zip([50, 75, 90], try clock.instants(whenPercentsUsed: [50, 75, 90])) {
                #expect(warning == reference.businessHoursDue(event: event, minutes: minutes * percent / 100, pauses: pauses),
                        "\(preset.name) from \(ISO8601.utc(event)): \(percent)% of \(minutes) min")
                #expect(try clock.status(at: warning).percentElapsed >= Double(percent))
            }
            #expect(try clock.instants(whenPercentsUsed: [100]) == [clock.status(at: event).due])
        }
    }

    @Test(arguments: calendars)
    func businessDaysMatchTheReference(preset: PresetCalendar) async throws {
        let reference = ReferenceModel(preset.calendar.definition)
        await propertyCheck(count: 40, input: Gen.int(in: 0...2), Gen.int(in: 0...1_000_000_000), Gen.int(in: 1...12), Gen.int(in: 0...1)) { mode, pick, days, withPause in
            let event = Self.instant(preset.calendar, mode: mode, pick: pick)
            let pauses = withPause == 1 ? [try Pause(start: event + 3600, end: event + 3600 * 30)] : []
            let target = TimeTarget(kind: .businessDays, amount: Int64(days), description: "\(days) business days")
            let engine = try DeadlineEngine.deadline(for: target, startingAt: event, pauses: pauses, on: preset.calendar)
            #expect(engine.due == reference.businessDaysDue(event: event, days: days, pauses: pauses),
                    "\(preset.name) from \(ISO8601.utc(event)) + \(days) business days, pauses \(pauses.count)")
        }
    }

    @Test(arguments: calendars)
    func calendarDaysMatchTheReference(preset: PresetCalendar) async throws {
        let reference = ReferenceModel(preset.calendar.definition)
        await propertyCheck(count: 40, input: Gen.int(in: 0...2), Gen.int(in: 0...1_000_000_000), Gen.int(in: 1...130)) { mode, pick, days in
            let event = Self.instant(preset.calendar, mode: mode, pick: pick)
            let target = TimeTarget(kind: .calendarDays, amount: Int64(days), description: "\(days) days")
            let engine = try DeadlineEngine.deadline(for: target, startingAt: event, on: preset.calendar)
            #expect(engine.due == reference.calendarDaysDue(event: event, days: days), "\(preset.name) from \(ISO8601.utc(event)) + \(days) days")
        }
    }

    @Test(arguments: calendars)
    func openSecondsAndBusinessHoursAreInverse(preset: PresetCalendar) async throws {
        // Law: the open time between a clock start and its due is exactly the target.
        await propertyCheck(count: 60, input: Gen.int(in: 0...2), Gen.int(in: 0...1_000_000_000), Gen.int(in: 1...400 * 60)) { mode, pick, minutes in
            let event = Self.instant(preset.calendar, mode: mode, pick: pick)
            let target = TimeTarget(kind: .businessTime, amount: Int64(minutes) * 60, description: "")
            let d = try DeadlineEngine.deadline(for: target, startingAt: event, on: preset.calendar)
            #expect(try preset.calendar.openSeconds(from: d.clockStart, to: d.due) == Int64(minutes) * 60)
            #expect(try preset.calendar.isOpen(at: d.due - 1))
        }
    }
}
