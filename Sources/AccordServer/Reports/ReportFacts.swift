import AccordCore
import AccordStore
import Foundation
import Logging

/// The packed days staff's attainment reports count (`AttainmentFacts`): each UTC day's cases as
/// the case-by-case report reads them (`CaseService.attainmentCases`, OLAs included), packed again
/// whenever a case of the day changed (`CreateReportFacts` notes the day). A report packs the
/// changed days of its period before it counts; the desk packs changed days but today in the
/// background too (`packChangedDays`), so that a report seldom waits.
struct ReportFacts: Sendable {
    let service: CaseService

    static let version = Int(AttainmentFacts.version)
    static let secondsPerDay: Int64 = 86_400

    /// The UTC day of `instant` (seconds since 1970), as the store numbers days.
    static func day(of instant: Int64) -> Int64 {
        instant >= 0 ? instant / secondsPerDay : (instant - secondsPerDay + 1) / secondsPerDay
    }

    /// The packed facts of every day with cases logged in `[from, to)`, current, in day order.
    func facts(from: Int64, to: Int64) async throws -> [[UInt8]] {
        let days = Self.day(of: from)...Self.day(of: to - 1)
        var fresh: [Int64: [UInt8]] = [:]
        // The changes first, the facts after (see `DeskStore.reportFacts`).
        for day in try await service.store.changedReportDays(days, version: Self.version) { fresh[day] = try await pack(day) }
        for (day, facts) in try await service.store.reportFacts(days, version: Self.version) where fresh[day] == nil {
            fresh[day] = facts
        }
        return fresh.keys.sorted().map { fresh[$0]! }
    }

    /// Packs `day` again (unless another server just did).
    func pack(_ day: Int64) async throws -> [UInt8] {
        let (catalog, now) = (service.catalog, service.now)
        return try await service.store.packReportDay(day, version: Self.version) { store in
            let start = day * Self.secondsPerDay
            let cases = try await CaseService(store: store, catalog: catalog, now: now)
                .attainmentCases(loggedFrom: start, to: start + Self.secondsPerDay, CaseFilter(), olas: true)
            do throws(AttainmentCase.UnknownState) { return try AttainmentFacts.pack(cases) } catch {
                throw Problem(.internalServerError, error.description)
            }
        }
    }

    /// Packs up to `limit` changed days, oldest first; returns how many. Today is left to the
    /// reports that ask for it: a busy desk changes it all day, and packing it after every change
    /// would read it again and again for nobody.
    func packChangedDays(limit: Int) async throws -> Int {
        let today = Self.day(of: CaseService.seconds(service.now()))
        let days = try await service.store.changedReportDays(limit: limit, except: today, version: Self.version)
        for day in days { _ = try await pack(day) }
        return days.count
    }

    /// Packs changed days every `interval` until cancelled — at once again while a pass found a
    /// full batch (after an import, say), so that a year's days are packed within minutes. Every
    /// server runs it; a day two servers pack at once is packed once after the other (`pack`).
    func run(every interval: Duration, logger: Logger) async {
        while !Task.isCancelled {
            var packed = 0
            do {
                packed = try await packChangedDays(limit: 50)
                if packed > 0 { logger.debug("attainment facts packed for \(packed) changed days") }
            } catch {
                logger.warning("packing attainment facts failed: \(error)")
            }
            if packed < 50 { try? await Task.sleep(for: interval) }
        }
    }
}
