import Foundation
import Synchronization

/// How many uploads each person may have under way at once on this server: a client cannot tie up
/// the server's disk and connections with uploads in parallel. Past the limit: 429.
final class UploadSlots: Sendable {
    let limit: Int
    private let inUse = Mutex<[UUID: Int]>([:])

    init(limit: Int) {
        self.limit = limit
    }

    /// Takes a slot for `person`, or nil when they have `limit` uploads under way.
    func take(for person: UUID) -> Slot? {
        let taken = inUse.withLock { inUse in
            guard inUse[person, default: 0] < limit else { return false }
            inUse[person, default: 0] += 1
            return true
        }
        return taken ? Slot(slots: self, person: person) : nil
    }

    fileprivate func give(back person: UUID) {
        inUse.withLock { inUse in
            let left = inUse[person, default: 1] - 1
            inUse[person] = left > 0 ? left : nil
        }
    }

    /// One upload's slot, given back once with `release()`.
    final class Slot: Sendable {
        private let slots: UploadSlots
        private let person: UUID
        private let released = Mutex(false)

        fileprivate init(slots: UploadSlots, person: UUID) {
            self.slots = slots
            self.person = person
        }

        func release() {
            let first = released.withLock { released in
                defer { released = true }
                return !released
            }
            if first { slots.give(back: person) }
        }

        deinit { release() }
    }
}
