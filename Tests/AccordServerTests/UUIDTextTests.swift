import Foundation
import PropertyBased
import Testing
@testable import AccordStore

/// Ids written to SQLite by table lookup read exactly as Foundation writes them (and the search
/// index's organization token as Foundation's text lower-cased without dashes).
struct UUIDTextTests {
    @Test func anIdsTextIsFoundationsUUIDString() async {
        await propertyCheck(count: 2000, input: Gen.int(in: Int.min...Int.max), Gen.int(in: Int.min...Int.max)) { high, low in
            let bytes = withUnsafeBytes(of: (high, low)) { Array($0) }
            let id = UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                                 bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
            #expect(id.text == id.uuidString)
            #expect(id.compactHex == id.uuidString.lowercased().replacingOccurrences(of: "-", with: ""))
        }
        #expect(UUID(uuidString: "00000000-0000-0000-0000-000000000000")!.text == "00000000-0000-0000-0000-000000000000")
        #expect(UUID(uuidString: "ffffffff-ffff-ffff-ffff-ffffffffffff")!.text == "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF")
        #expect(UUID(uuidString: "0123ABCD-4567-89EF-0123-456789ABCDEF")!.compactHex == "0123abcd456789ef0123456789abcdef")
    }
}
