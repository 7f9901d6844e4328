/// The arithmetic of an attainment report: samples (one per clock of a case) grouped by the cuts
/// asked for and by metric, counted, and the time used summed up. Pure: the same samples give the
/// same report, in the same order, whenever it is run.
///
/// ```swift
/// let report = Attainment.report(samples, by: [.priority])
/// report.rows.first   // P2, initial-response: 40 with a target, 37 met, 2 breached, 1 running — 94.9 %
/// report.totals       // per metric, over every row: the rows' counts add up to them
/// ```
public enum Attainment {
    /// One line of a report: a metric's clocks in one cell of the cuts.
    public struct Row: Sendable, Equatable {
        /// The values of the report's cuts, in the order asked for ("" where a case has none).
        public let key: [String]
        public let metric: String
        public let agreement: AttainmentSample.Agreement
        public var met = 0
        public var breached = 0
        public var running = 0
        public var breachedRunning = 0
        public var notStarted = 0
        public var cancelled = 0
        public var outOfScope = 0
        public var withoutTarget = 0
        /// Time used by the decided clocks (met and breached), one distribution per measure — a
        /// metric counted in business time by one policy and in calendar time by another is never
        /// mixed into one number.
        public var times: [Distribution] = []
        /// How many cases breached (after their due, or past it still running), each once.
        public var breachCount = 0
        /// The first of them in sample order (cases as they were logged, `AttainmentCase.inReportOrder`)
        /// — all, or as many as the report was asked to list.
        public var breaches: [String] = []

        /// Clocks with a target that count toward attainment or may yet: met, breached, running,
        /// breached while running, not started. (Cancelled clocks, out-of-scope requests and clocks
        /// without a target are counted apart, never dropped.)
        public var withTarget: Int { met + breached + running + breachedRunning + notStarted }

        /// Met as a share of the decided and the breached-while-running, in percent; nil with none.
        public var attainment: Double? {
            let decided = met + breached + breachedRunning
            return decided == 0 ? nil : Double(met) * 100 / Double(decided)
        }
    }

    /// How long decided clocks took, in seconds of one measure.
    public struct Distribution: Sendable, Equatable {
        public let measure: AttainmentSample.Measure
        public let count: Int
        public let median: Int64
        public let p90: Int64
        public let max: Int64
    }

    /// A report: its rows (ordered by cut values, metric, agreement) and the totals per metric and
    /// agreement over all rows.
    public struct Report: Sendable, Equatable {
        public let cuts: [AttainmentCut]
        public let rows: [Row]
        public let totals: [Row]
    }

    /// The report of `samples` cut `by` (in that order; the metric is always a cut), each row
    /// listing the first `listing` breached cases (nil: all).
    public static func report(_ samples: [AttainmentSample], by cuts: [AttainmentCut], listing: Int? = nil) -> Report {
        let unique = self.cuts(cuts)
        let rows = group(samples, listing: listing) { sample in unique.map { sample.cut[$0] ?? "" } }
        let totals = group(samples, listing: listing) { _ in [] }
        return Report(cuts: unique, rows: rows, totals: totals)
    }

    /// `cuts`, each once, in order.
    static func cuts(_ cuts: [AttainmentCut]) -> [AttainmentCut] {
        var unique: [AttainmentCut] = []
        for cut in cuts where !unique.contains(cut) { unique.append(cut) }
        return unique
    }

    private struct GroupKey: Hashable {
        let key: [String]
        let metric: String
        let agreement: AttainmentSample.Agreement
    }

    private static func group(_ samples: [AttainmentSample], listing: Int?, key: (AttainmentSample) -> [String]) -> [Row] {
        var members: [GroupKey: [AttainmentSample]] = [:]
        for sample in samples {
            members[GroupKey(key: key(sample), metric: sample.metric, agreement: sample.agreement), default: []].append(sample)
        }
        return members.keys.sorted { ordered(($0.key, $0.metric, $0.agreement), ($1.key, $1.metric, $1.agreement)) }.map { group in
            row(group, members[group]!, listing: listing)
        }
    }

    /// The order of a report's rows: by the cuts' values, the metric, the agreement.
    static func ordered(_ a: (key: [String], metric: String, agreement: AttainmentSample.Agreement),
                        _ b: (key: [String], metric: String, agreement: AttainmentSample.Agreement)) -> Bool {
        if a.key != b.key { return a.key.lexicographicallyPrecedes(b.key) }
        if a.metric != b.metric { return a.metric < b.metric }
        return a.agreement.rawValue < b.agreement.rawValue
    }

    private static func row(_ group: GroupKey, _ samples: [AttainmentSample], listing: Int?) -> Row {
        var row = Row(key: group.key, metric: group.metric, agreement: group.agreement)
        var times: [AttainmentSample.Measure: [Int64]] = [:]
        var breached = Set<String>()
        for sample in samples {
            switch sample.outcome {
            case .met: row.met += 1
            case .breached: row.breached += 1
            case .running: row.running += 1
            case .breachedRunning: row.breachedRunning += 1
            case .notStarted: row.notStarted += 1
            case .cancelled: row.cancelled += 1
            case .outOfScope: row.outOfScope += 1
            case .noTarget: row.withoutTarget += 1
            }
            if [.met, .breached].contains(sample.outcome), let used = sample.used, let measure = sample.measure { times[measure, default: []].append(used) }
            if [.breached, .breachedRunning].contains(sample.outcome), breached.insert(sample.caseID).inserted {
                row.breachCount += 1
                if row.breaches.count < listing ?? .max { row.breaches.append(sample.caseID) }
            }
        }
        row.times = times.keys.sorted().map { measure in distribution(measure, times[measure]!) }
        return row
    }

    /// The distribution of `values` (at least one) in `measure`.
    static func distribution(_ measure: AttainmentSample.Measure, _ values: [Int64]) -> Distribution {
        let sorted = values.sorted()
        return Distribution(measure: measure, count: sorted.count, median: rank(50, of: sorted), p90: rank(90, of: sorted), max: sorted.last!)
    }

    /// The nearest-rank percentile: the smallest value with at least `percent` % of the values at or
    /// below it (the median of 1, 2, 3, 4 is 2). Always one of the values, so it reads as a real case's time.
    static func rank(_ percent: Int, of sorted: [Int64]) -> Int64 {
        let rank = (percent * sorted.count + 99) / 100
        return sorted[Swift.max(rank, 1) - 1]
    }
}
