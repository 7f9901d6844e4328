/// Counts packed days (`AttainmentFacts`) into an attainment report: the same report, to the
/// byte, as `Attainment.report` over the samples of the same cases (`AttainmentTallyTests` checks
/// it on generated cases), but read straight from the packed form — every string a number, each
/// cell found once per day and profile, no sample made — so that a year of a million cases is
/// counted in well under a second.
///
/// ```swift
/// var tally = AttainmentTally(AttainmentTally.Query(cuts: [.priority], from: start, to: end, asOf: now))
/// for day in packedDays { try tally.add(day) }
/// let (report, names, numbers, customers, agents) = tally.result()
/// ```
public struct AttainmentTally {
    /// What to count: the cases logged in `[from, to)` as they stand at `asOf`, cut `by`, only
    /// the clocks whose cut values are `only`'s (and whose metric is `metric`, if given); the OLAs
    /// too with `olas`; each row listing its first `listing` breached cases (nil: all).
    public struct Query: Sendable {
        public var cuts: [AttainmentCut]
        public var only: [AttainmentCut: String] = [:]
        public var metric: String?
        public var olas = true
        public var from: Int64
        public var to: Int64
        public var asOf: Int64
        public var listing: Int?

        public init(cuts: [AttainmentCut], from: Int64, to: Int64, asOf: Int64) {
            self.cuts = cuts
            self.from = from
            self.to = to
            self.asOf = asOf
        }
    }

    /// What a tally found: the report, the names of its codes, the number of each case a row
    /// lists, and the customers and agents of the counted clocks (whose names the store knows).
    public struct Result: Sendable {
        public let report: Attainment.Report
        public let names: AttainmentNames
        public let numbers: [String: String]
        public let customers: Set<String>
        public let agents: Set<String>
    }

    private let query: Query
    private let cuts: [AttainmentCut]
    /// Every string met, numbered in the order met.
    private var strings: [String] = []
    private var numbering: [String: Int32] = [:]
    /// `only` by the position of its cut in a profile, as string numbers.
    private var wanted: [(position: Int, value: Int32)] = []
    private var wantedMetric: Int32?
    private let empty: Int32
    /// The packed days added, kept for the ids and numbers of listed cases.
    private var days: [[UInt8]] = []
    private var rows: [Cell] = []
    private var rowNumbers: [CellKey: Int32] = [:]
    private var totals: [Cell] = []
    private var totalNumbers: [TotalKey: Int32] = [:]
    private var names = AttainmentNames()
    private var customers = Set<Int32>()
    private var agents = Set<Int32>()
    /// Cases counted so far: a case's number in the tally.
    private var caseCount = 0

    private struct CellKey: Hashable {
        let key: [Int32]
        let metric: Int32
        let ola: Bool
    }

    private struct TotalKey: Hashable {
        let metric: Int32
        let ola: Bool
    }

    private struct Cell {
        let key: [Int32]
        let metric: Int32
        let ola: Bool
        var counts = [Int](repeating: 0, count: 8)
        var business: [Int64] = []
        var calendar: [Int64] = []
        var breachCount = 0
        var lastBreach = -1
        /// (day, offset of the case in it, the case's number in the tally)
        var listed: [(day: Int32, offset: Int32, order: Int)] = []
    }

    /// The outcomes, by their place in a cell's counts.
    private static let outcomes: [AttainmentSample.Outcome] = [.met, .breached, .running, .breachedRunning, .notStarted, .cancelled, .outOfScope, .noTarget]

    public init(_ query: Query) {
        self.query = query
        cuts = Attainment.cuts(query.cuts)
        empty = 0
        strings = [""]
        numbering = ["": 0]
        for (cut, value) in query.only {
            guard let position = AttainmentFacts.profileCuts.firstIndex(of: cut) else { continue }
            wanted.append((position, intern(value)))
        }
        wantedMetric = query.metric.map { intern($0) }
    }

    private mutating func intern(_ text: String) -> Int32 {
        if let known = numbering[text] { return known }
        let number = Int32(strings.count)
        strings.append(text)
        numbering[text] = number
        return number
    }

    /// One profile of a day, read: its values as string numbers (-1: none), by `AttainmentFacts.profileCuts`.
    private struct Profile {
        var version: Int32
        var values: [Int32]
        var names: [Int32]
        /// Whether its clocks pass `only` on every cut but team and tier, and on those two.
        var passesCase = true
        var passesTeamAndTier = true
        var counted = false
        var contractCounted = false
    }

    /// Counts one packed day.
    public mutating func add(_ facts: [UInt8]) throws(AttainmentFacts.Malformed) {
        let dayNumber = Int32(days.count)
        days.append(facts)
        let teamPosition = AttainmentFacts.profileCuts.firstIndex(of: .team)!
        let tierPosition = AttainmentFacts.profileCuts.firstIndex(of: .tier)!
        let customerPosition = AttainmentFacts.profileCuts.firstIndex(of: .customer)!
        let agentPosition = AttainmentFacts.profileCuts.firstIndex(of: .agent)!
        let cutPositions = cuts.map { AttainmentFacts.profileCuts.firstIndex(of: $0)! }
        let query = self.query
        var olaTeamNames: [(profile: Int, team: Int32, name: Int32)] = []
        var profiles: [Profile] = []
        // Per day: the cell of each (profile, metric, OLA team, OLA tier), found once.
        var cellOf: [SIMD4<Int32>: (row: Int32, total: Int32)] = [:]
        try facts.withUnsafeBufferPointer { (buffer) throws(AttainmentFacts.Malformed) in
            var reader = AttainmentFacts.Reader(buffer)
            guard try reader.byte() == AttainmentFacts.version else { throw AttainmentFacts.Malformed(description: "attainment facts of another version") }
            var local: [Int32] = []
            let stringCount = try reader.count()
            local.reserveCapacity(stringCount)
            for _ in 0..<stringCount { local.append(intern(try reader.string())) }
            func string(_ number: UInt64) throws(AttainmentFacts.Malformed) -> Int32 {
                guard number > 0 else { return -1 }
                guard number <= UInt64(local.count) else { throw AttainmentFacts.Malformed(description: "attainment facts name string \(number) of \(local.count)") }
                return local[Int(number - 1)]
            }
            let profileCount = try reader.count()
            for _ in 0..<profileCount {
                let version = try string(try reader.varint())
                guard version >= 0 else { throw AttainmentFacts.Malformed(description: "attainment facts hold a profile without a policy version") }
                var values: [Int32] = []
                for _ in AttainmentFacts.profileCuts { values.append(try string(try reader.varint())) }
                var names: [Int32] = []
                for _ in AttainmentFacts.namedCuts { names.append(try string(try reader.varint())) }
                var profile = Profile(version: version, values: values, names: names)
                for (position, value) in wanted where values[position] != value {
                    if position == teamPosition || position == tierPosition { profile.passesTeamAndTier = false } else { profile.passesCase = false }
                }
                profiles.append(profile)
            }
            let caseCount = try reader.count()
            for _ in 0..<caseCount {
                let offset = reader.position
                try reader.skip(16)
                try reader.skip(try reader.int())
                let loggedAt = try reader.zigzag()
                let profileNumber = try reader.int()
                guard profileNumber < profiles.count else { throw AttainmentFacts.Malformed(description: "attainment facts name profile \(profileNumber) of \(profiles.count)") }
                let clockCount = try reader.count()
                let inPeriod = loggedAt >= query.from && loggedAt < query.to
                let order = self.caseCount
                if inPeriod { self.caseCount += 1 }
                for _ in 0..<clockCount {
                    let metric = try string(try reader.varint() &+ 1)
                    guard metric >= 0 else { throw AttainmentFacts.Malformed(description: "attainment facts hold a clock without a metric") }
                    let flags = try reader.byte()
                    let due = flags & 0x80 != 0 ? loggedAt &+ (try reader.zigzag()) : nil
                    let usedPlusOne = try reader.varint()
                    let ola = flags & 0x10 != 0
                    var olaTeam: Int32 = -1, olaTier: Int32 = -1, olaName: Int32 = -1
                    if ola {
                        olaTeam = try string(try reader.varint())
                        olaTier = try string(try reader.varint())
                        olaName = try string(try reader.varint())
                    }
                    guard inPeriod, ola ? query.olas : true, wantedMetric.map({ $0 == metric }) ?? true else { continue }
                    let profile = profiles[profileNumber]
                    guard profile.passesCase else { continue }
                    if ola {
                        if let team = wanted.first(where: { $0.position == teamPosition }), team.value != olaTeam { continue }
                        if let tier = wanted.first(where: { $0.position == tierPosition }), tier.value != olaTier { continue }
                    } else if !profile.passesTeamAndTier {
                        continue
                    }
                    let state = Int(flags & 0x0F)
                    guard state < AttainmentFacts.states.count else {
                        throw AttainmentFacts.Malformed(description: "attainment facts hold clock state \(state)")
                    }
                    // The outcome at `asOf`, as `AttainmentSample.outcome(ofStored:due:at:)` has it.
                    let outcome: Int = switch state {
                    case 0: 0
                    case 1: 1
                    case 2: due.map { $0 < query.asOf } == true ? 3 : 2
                    case 3: 2
                    case 4: 5
                    case 5: 4
                    case 6: 7
                    default: 6
                    }
                    let cacheKey = SIMD4<Int32>(Int32(profileNumber), metric, olaTeam, olaTier)
                    let cell: (row: Int32, total: Int32)
                    if let known = cellOf[cacheKey] { cell = known } else {
                        var key: [Int32] = []
                        for position in cutPositions {
                            let value = ola && position == teamPosition ? olaTeam : ola && position == tierPosition ? olaTier : profile.values[position]
                            key.append(value < 0 ? empty : value)
                        }
                        cell = (self.cell(CellKey(key: key, metric: metric, ola: ola)), total(TotalKey(metric: metric, ola: ola)))
                        cellOf[cacheKey] = cell
                    }
                    profiles[profileNumber].counted = true
                    if ola { olaTeamNames.append((profileNumber, olaTeam, olaName)) } else { profiles[profileNumber].contractCounted = true }
                    rows[Int(cell.row)].counts[outcome] += 1
                    totals[Int(cell.total)].counts[outcome] += 1
                    if outcome < 2, usedPlusOne > 0 {
                        let used = Int64(bitPattern: usedPlusOne &- 1)
                        switch flags >> 5 & 0x3 {
                        case 1: rows[Int(cell.row)].business.append(used)
                        case 2: rows[Int(cell.row)].calendar.append(used)
                        default: break
                        }
                    }
                    if outcome == 1 || outcome == 3 {
                        Self.breach(&rows[Int(cell.row)], day: dayNumber, offset: Int32(offset), order: order, listing: query.listing)
                        Self.breach(&totals[Int(cell.total)], day: dayNumber, offset: Int32(offset), order: order, listing: query.listing)
                    }
                }
            }
            guard reader.position == buffer.count else { throw AttainmentFacts.Malformed(description: "attainment facts run on past their cases") }
        }
        for profile in profiles where profile.counted {
            let version = strings[Int(profile.version)]
            for (index, cut) in AttainmentFacts.namedCuts.enumerated() where cut != .team || profile.contractCounted {
                let value = profile.values[AttainmentFacts.profileCuts.firstIndex(of: cut)!], name = profile.names[index]
                if value >= 0, name >= 0 { names.note(cut, strings[Int(value)], strings[Int(name)], version: version) }
            }
            if profile.values[customerPosition] >= 0 { customers.insert(profile.values[customerPosition]) }
            if profile.values[agentPosition] >= 0 { agents.insert(profile.values[agentPosition]) }
        }
        for (profile, team, name) in olaTeamNames where team >= 0 && name >= 0 {
            names.note(.team, strings[Int(team)], strings[Int(name)], version: strings[Int(profiles[profile].version)])
        }
    }

    private static func breach(_ cell: inout Cell, day: Int32, offset: Int32, order: Int, listing: Int?) {
        guard cell.lastBreach != order else { return }
        cell.lastBreach = order
        cell.breachCount += 1
        if cell.listed.count < listing ?? .max { cell.listed.append((day, offset, order)) }
    }

    private mutating func cell(_ key: CellKey) -> Int32 {
        if let known = rowNumbers[key] { return known }
        rows.append(Cell(key: key.key, metric: key.metric, ola: key.ola))
        rowNumbers[key] = Int32(rows.count - 1)
        return Int32(rows.count - 1)
    }

    private mutating func total(_ key: TotalKey) -> Int32 {
        if let known = totalNumbers[key] { return known }
        totals.append(Cell(key: [], metric: key.metric, ola: key.ola))
        totalNumbers[key] = Int32(totals.count - 1)
        return Int32(totals.count - 1)
    }

    /// The report of everything added.
    public func result() -> Result {
        var numbers: [String: String] = [:]
        func row(_ cell: Cell, business: [Int64], calendar: [Int64]) -> Attainment.Row {
            var row = Attainment.Row(key: cell.key.map { strings[Int($0)] }, metric: strings[Int(cell.metric)], agreement: cell.ola ? .ola : .contract)
            row.met = cell.counts[0]
            row.breached = cell.counts[1]
            row.running = cell.counts[2]
            row.breachedRunning = cell.counts[3]
            row.notStarted = cell.counts[4]
            row.cancelled = cell.counts[5]
            row.outOfScope = cell.counts[6]
            row.withoutTarget = cell.counts[7]
            row.times = [(AttainmentSample.Measure.business, business), (.calendar, calendar)].filter { !$0.1.isEmpty }.map { Attainment.distribution($0.0, $0.1) }
            row.breachCount = cell.breachCount
            row.breaches = cell.listed.map { listed in
                let (id, number) = AttainmentFacts.caseIdentity(in: days[Int(listed.day)], at: Int(listed.offset))
                numbers[id] = number
                return id
            }
            return row
        }
        let ordered = { (a: Attainment.Row, b: Attainment.Row) in Attainment.ordered((a.key, a.metric, a.agreement), (b.key, b.metric, b.agreement)) }
        let rowList = rows.map { row($0, business: $0.business, calendar: $0.calendar) }.sorted(by: ordered)
        let totalList = totals.map { total in
            let members = rows.filter { $0.metric == total.metric && $0.ola == total.ola }
            return row(total, business: members.flatMap(\.business), calendar: members.flatMap(\.calendar))
        }.sorted(by: ordered)
        return Result(report: Attainment.Report(cuts: cuts, rows: rowList, totals: totalList), names: names, numbers: numbers,
                      customers: Set(customers.map { strings[Int($0)] }), agents: Set(agents.map { strings[Int($0)] }))
    }
}
