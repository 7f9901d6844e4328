import AccordCore
import Benchmark
import BusinessTime

/// Deadlines on PLM Group's Denmark calendar (split shifts, DST, Danish holidays): short and long
/// business-hours and business-days targets, and the per-line cost of `accord sla due --batch`.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .throughput, .mallocCountTotal],
        maxDuration: .seconds(3), maxIterations: 1_000_000
    )

    let policy = try! Presets.policy("plm-group")
    let denmark = policy.calendars["denmark"]!.versions[0].calendar
    // 200 start instants spread over 2025-2028, crossing DST changes and holidays.
    let starts: [Int64] = (0..<200).map { 1_735_689_600 + Int64($0) * 631_127 }
    // Warm the year tables once, as a running server would have them.
    for start in starts { _ = try! DeadlineEngine.deadline(for: TimeTarget(parsing: "120 days"), startingAt: start, on: denmark) }

    for text in ["4 business hours", "400 business hours", "2 business days", "120 business days", "120 days"] {
        let target = try! TimeTarget(parsing: text)
        Benchmark("deadline \(text) (Denmark)", configuration: .init(scalingFactor: .kilo)) { benchmark in
            for i in benchmark.scaledIterations {
                blackHole(try DeadlineEngine.deadline(for: target, startingAt: starts[i % starts.count], on: denmark))
            }
        }
    }

    let lines = (0..<200).map { i in
        #"{"policy":"plm-group","plan":"standard","priority":"high","region":"denmark","opened":"\#(ISO8601.utc(starts[i]))"}"#
    }
    Benchmark("batch line parse + answer + format", configuration: .init(scalingFactor: .kilo)) { benchmark in
        var batch = DeadlineBatch(resolve: { _ in policy })
        for i in benchmark.scaledIterations {
            blackHole(batch.answer(line: lines[i % lines.count]))
        }
    }
}
