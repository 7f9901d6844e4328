import Foundation
import PropertyBased
import Testing
@testable import AccordStore

/// New rows get version 7 UUIDs so that rows written together sit together in every id index.
struct TimeOrderedIDTests {
    static func bytes(_ id: UUID) -> [UInt8] {
        withUnsafeBytes(of: id.uuid) { Array($0) }
    }

    @Test func anIdCarriesItsMillisecondVersionAndVariant() async {
        await propertyCheck(count: 500, input: Gen.int(in: 0...4_102_444_800_000_000)) { microseconds in
            let instant = Date(timeIntervalSince1970: Double(microseconds) / 1_000_000)
            let bytes = Self.bytes(UUID.timeOrdered(at: instant))
            let milliseconds = bytes[0..<6].reduce(0) { $0 << 8 | Int($1) }
            #expect(abs(milliseconds - microseconds / 1000) <= 1, "the first 48 bits are the Unix time in milliseconds")
            #expect(bytes[6] >> 4 == 7, "version 7")
            #expect(bytes[8] >> 6 == 0b10, "RFC 9562 variant")
        }
    }

    @Test func laterInstantsSortAfterEarlierOnesAsBytesAndAsText() async {
        await propertyCheck(count: 1000, input: Gen.int(in: 0...4_102_444_800_000_000), Gen.int(in: 2...86_400_000_000)) { microseconds, gap in
            let earlier = UUID.timeOrdered(at: Date(timeIntervalSince1970: Double(microseconds) / 1_000_000))
            let later = UUID.timeOrdered(at: Date(timeIntervalSince1970: Double(microseconds + gap) / 1_000_000))
            #expect(Self.bytes(earlier).lexicographicallyPrecedes(Self.bytes(later)), "PostgreSQL compares uuid bytes")
            #expect(earlier.uuidString < later.uuidString, "SQLite compares the uppercase text")
        }
    }

    @Test func idsOfOneInstantDifferInTheirRandomBits() {
        let instant = Date(timeIntervalSince1970: 1_795_000_000.123456)
        let ids = (0..<10_000).map { _ in UUID.timeOrdered(at: instant) }
        #expect(Set(ids).count == ids.count)
        #expect(Set(ids.map { Self.bytes($0)[0..<8] }).count == 1, "time and version bits are the same")
    }

    @Test func instantsBeforeTheEpochClampToIt() {
        let bytes = Self.bytes(UUID.timeOrdered(at: Date(timeIntervalSince1970: -5)))
        #expect(bytes[0..<6].allSatisfy { $0 == 0 })
        #expect(bytes[6] == 0x70 && bytes[7] == 0)
    }
}
