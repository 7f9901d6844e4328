/// The cases logged on one day, packed as attainment reports read them: what `AttainmentCase`
/// holds, in a compact binary form the store keeps per day, so that a report over a year of a
/// million cases reads a few hundred packed days instead of three million clock rows, and counts
/// them (`AttainmentTally`) to the same numbers as the case-by-case report.
///
/// The form (version 1), every number a LEB128 varint (signed ones zigzagged):
///
/// ```
/// version                      1
/// strings                      count, then each: byte length, UTF-8
/// profiles                     count, then each 15 string numbers + 1 (0: none): the policy
///                              version; provider, policy, customer, plan, region, priority,
///                              channel, team, tier, agent; the names of policy, plan, region, team
/// cases                        count, then each, in report order (`AttainmentCase.inReportOrder`):
///   id                         16 bytes
///   number                     byte length, UTF-8
///   loggedAt                   signed seconds
///   profile                    its number
///   clocks                     count, then each:
///     metric                   string number
///     flags                    one byte: state (bits 0–3), OLA (bit 4), measure (bits 5–6: none,
///                              business, calendar), a due (bit 7)
///     due                      signed seconds after loggedAt, with a due
///     used                     seconds + 1 (0: none)
///     team, tier, team's name  string numbers + 1, for an OLA
/// ```
public enum AttainmentFacts {
    /// The version of the form `pack` writes; facts of another are packed again.
    public static let version: UInt8 = 1

    /// The states of a stored clock, by their number in the flags.
    static let states = ["met", "breached", "running", "paused", "cancelled", "not-started", "no-target", "excluded"]
    /// The cuts a profile holds, in their order after the policy version.
    static let profileCuts: [AttainmentCut] = [.provider, .policy, .customer, .plan, .region, .priority, .channel, .team, .tier, .agent]
    /// The cuts whose names a profile holds, in their order after the cuts.
    static let namedCuts: [AttainmentCut] = [.policy, .plan, .region, .team]

    /// Facts that are not of this form (cut short, or of another version).
    public struct Malformed: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// `cases` packed, in report order.
    public static func pack(_ cases: [AttainmentCase]) throws(AttainmentCase.UnknownState) -> [UInt8] {
        var strings: [String: Int] = [:]
        var table: [String] = []
        func string(_ text: String) -> Int {
            if let known = strings[text] { return known }
            strings[text] = table.count
            table.append(text)
            return table.count - 1
        }
        func optional(_ text: String?) -> UInt64 { text.map { UInt64(string($0)) + 1 } ?? 0 }
        var profiles: [[UInt64]: Int] = [:]
        var profileList: [[UInt64]] = []
        var body = Writer()
        let ordered = cases.sorted(by: AttainmentCase.inReportOrder)
        body.varint(UInt64(ordered.count))
        for item in ordered {
            let profile = [optional(item.policyVersion)] + profileCuts.map { optional(item.cut[$0]) } + namedCuts.map { optional(item.names[$0]) }
            let number: Int
            if let known = profiles[profile] { number = known } else {
                number = profileList.count
                profiles[profile] = number
                profileList.append(profile)
            }
            body.uuid(item.caseID)
            let digits = Array(item.number.utf8)
            body.varint(UInt64(digits.count))
            body.bytes(digits)
            body.zigzag(item.loggedAt)
            body.varint(UInt64(number))
            body.varint(UInt64(item.clocks.count))
            for clock in item.clocks {
                guard let state = states.firstIndex(of: clock.state) else {
                    throw AttainmentCase.UnknownState(number: item.number, metric: clock.metric, state: clock.state)
                }
                body.varint(UInt64(string(clock.metric)))
                let measure: UInt8 = switch clock.measure { case nil: 0; case .business: 1; case .calendar: 2 }
                let flags = UInt8(state) | (clock.agreement == .ola ? 0x10 : 0) | measure << 5 | (clock.due == nil ? 0 : 0x80)
                body.byte(flags)
                if let due = clock.due { body.zigzag(due &- item.loggedAt) }
                body.varint(clock.used.map { UInt64(bitPattern: $0) &+ 1 } ?? 0)
                if clock.agreement == .ola {
                    body.varint(optional(clock.team))
                    body.varint(optional(clock.tier.map(String.init)))
                    body.varint(optional(clock.teamName))
                }
            }
        }
        var head = Writer()
        head.byte(version)
        head.varint(UInt64(table.count))
        for text in table {
            let utf8 = Array(text.utf8)
            head.varint(UInt64(utf8.count))
            head.bytes(utf8)
        }
        head.varint(UInt64(profileList.count))
        for profile in profileList { profile.forEach { head.varint($0) } }
        return head.data + body.data
    }

    struct Writer {
        var data: [UInt8] = []

        mutating func byte(_ value: UInt8) { data.append(value) }

        mutating func bytes(_ values: [UInt8]) { data += values }

        mutating func varint(_ value: UInt64) {
            var value = value
            while value >= 0x80 {
                data.append(UInt8(truncatingIfNeeded: value) | 0x80)
                value >>= 7
            }
            data.append(UInt8(value))
        }

        mutating func zigzag(_ value: Int64) { varint(UInt64(bitPattern: (value << 1) ^ (value >> 63))) }

        /// A UUID written as its 16 bytes (its text, upper- or lower-case, with hyphens).
        mutating func uuid(_ text: String) {
            var nibbles: [UInt8] = []
            nibbles.reserveCapacity(32)
            for unit in text.utf8 {
                switch unit {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): nibbles.append(unit - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): nibbles.append(unit - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): nibbles.append(unit - UInt8(ascii: "A") + 10)
                default: continue
                }
            }
            nibbles += Array(repeating: 0, count: max(0, 32 - nibbles.count))
            for index in 0..<16 { data.append(nibbles[2 * index] << 4 | nibbles[2 * index + 1]) }
        }
    }

    /// Reads packed facts, never past their end.
    struct Reader {
        let data: UnsafeBufferPointer<UInt8>
        var position = 0

        init(_ data: UnsafeBufferPointer<UInt8>) {
            self.data = data
        }

        mutating func byte() throws(Malformed) -> UInt8 {
            guard position < data.count else { throw Malformed(description: "attainment facts cut short at byte \(position)") }
            defer { position += 1 }
            return data[position]
        }

        @inline(__always)
        mutating func varint() throws(Malformed) -> UInt64 {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard position < data.count, shift < 64 else { throw Malformed(description: "attainment facts hold a bad number at byte \(position)") }
                let byte = data[position]
                position += 1
                result |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return result }
                shift += 7
            }
        }

        mutating func int() throws(Malformed) -> Int {
            let value = try varint()
            guard value <= UInt64(Int32.max) else { throw Malformed(description: "attainment facts hold a count of \(value) at byte \(position)") }
            return Int(value)
        }

        /// A count of things each at least a byte long: never more than the bytes left.
        mutating func count() throws(Malformed) -> Int {
            let count = try int()
            guard count <= data.count - position else { throw Malformed(description: "attainment facts count \(count) things in \(data.count - position) bytes") }
            return count
        }

        mutating func zigzag() throws(Malformed) -> Int64 {
            let value = try varint()
            return Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
        }

        mutating func skip(_ count: Int) throws(Malformed) {
            guard count >= 0, count <= data.count - position else { throw Malformed(description: "attainment facts cut short at byte \(position)") }
            position += count
        }

        mutating func string() throws(Malformed) -> String {
            let count = try int()
            let start = position
            try skip(count)
            return String(decoding: UnsafeBufferPointer(rebasing: data[start..<start + count]), as: UTF8.self)
        }
    }

    /// The case id (upper-case, as reports write ids) and number of the case packed at `offset` of `facts`.
    static func caseIdentity(in facts: [UInt8], at offset: Int) -> (id: String, number: String) {
        facts.withUnsafeBufferPointer { buffer in
            var reader = Reader(buffer)
            reader.position = offset
            let hex = Array("0123456789ABCDEF".utf8)
            var text: [UInt8] = []
            for index in 0..<16 {
                if [4, 6, 8, 10].contains(index) { text.append(UInt8(ascii: "-")) }
                let byte = buffer[offset + index]
                text += [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            }
            reader.position = offset + 16
            let number = (try? reader.string()) ?? ""
            return (String(decoding: text, as: UTF8.self), number)
        }
    }
}
