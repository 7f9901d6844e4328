import AccordCore
import AccordStore
import BusinessTime
import Foundation
import Logging

/// Prepares each service review when its period ends: for every customer whose plan grants review
/// cadences, the periods that ended within the last `lookBack` days (in the policy's zone) get a
/// first draft for the TAM to note and publish, unless one is kept already. Every server runs it;
/// the store keeps one first version per customer and period, whichever server comes first.
struct ReviewPreparation: Sendable {
    let service: CaseService
    let logger: Logger
    /// How far back a pass looks for ended periods (a desk down over a period's end still prepares it).
    static let lookBack = 62

    /// One pass at `instant`; returns the reviews it prepared, as "organization period".
    func pass(at instant: Date) async throws -> [String] {
        let store = service.store
        var prepared: [String] = []
        for organization in try await store.organizations() {
            let policy = try await service.catalog.current(organization.policyID, store: store)
            let today = try policy.day(at: CaseService.seconds(instant))
            let cadences = CaseService.reviewCadences(organization, policy, on: today)
            guard !cadences.isEmpty else { continue }
            for period in ReviewPeriod.ended(cadences, from: today.adding(days: -Self.lookBack), through: today) {
                guard try await !store.hasReview(of: organization.id, period: period.description) else { continue }
                let review = try await service.review(of: organization.id, period: period.description)
                if try await store.keepFirstReview(of: organization.id, period: period.description, content: try review.json, at: instant) {
                    prepared.append("\(organization.id) \(period)")
                }
            }
        }
        return prepared
    }

    /// Passes every `interval` until cancelled.
    func run(every interval: Duration, now: @escaping @Sendable () -> Date) async {
        while !Task.isCancelled {
            do {
                let prepared = try await pass(at: now())
                if !prepared.isEmpty { logger.info("service reviews prepared: \(prepared.joined(separator: ", "))") }
            } catch {
                logger.warning("service review preparation failed: \(error)")
            }
            try? await Task.sleep(for: interval)
        }
    }
}
