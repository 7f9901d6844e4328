import AccordCore
import ArgumentParser
import BusinessTime
import Foundation

/// `accord sla due`: when a clock falls due, one question at a time or a batch of JSON Lines.
struct DueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "due",
        abstract: "Print the target, the clock start and the due instant of an SLA clock.",
        discussion: """
            Times are ISO 8601 (2026-03-06T15:30:00+01:00 or …Z); a time without an offset is read in the \
            zone of the clock's calendar. Example:
              accord sla due --policy plm-group --plan premium --priority critical --region denmark --opened 2026-03-06T14:30:00+01:00
            With --batch, each input line is a JSON object with the fields policy, plan, priority, region, \
            metric, opened, confirmed, cvss, patchAvailable and pauses ([[from, to], …]); each output line \
            answers the input line at the same position.
            """
    )

    @Option(help: "A preset name (plex, plixer, plm-group, pro-plus) or a policy YAML file.")
    var policy: String?

    @Option(help: "The customer's plan id.")
    var plan: String?

    @Option(help: "The case priority id.")
    var priority: String?

    @Option(help: "The region id (needed when the policy has several).")
    var region: String?

    @Option(help: "The metric: initial-response, resolution, patch, or another the policy declares.")
    var metric: String = "initial-response"

    @Option(help: "When the case was logged (ISO 8601).")
    var opened: String?

    @Option(help: "When the defect was confirmed (starts rectification).")
    var confirmed: String?

    @Option(help: "The CVSS score, 0-10 (patch metric).")
    var cvss: Double?

    @Option(name: .customLong("patch-available"), help: "When an official patch became available.")
    var patchAvailable: String?

    @Option(name: .customLong("pause"), help: "A pause FROM/TO; repeat for several.")
    var pauses: [String] = []

    @Flag(help: "Print one JSON object.")
    var json = false

    @Flag(help: "Explain the deadline step by step.")
    var explain = false

    @Option(help: "Read JSON Lines questions from FILE, or - for standard input.")
    var batch: String?

    func run() throws {
        if let batch {
            let given = [policy, plan, priority, region, opened, confirmed, patchAvailable].contains { $0 != nil }
                || cvss != nil || !pauses.isEmpty || json || metric != "initial-response"
            guard !given else {
                throw CommandFailure("--batch takes every question from its input lines: drop the other question options (only --explain may accompany it)")
            }
            return try runBatch(batch)
        }
        guard let policyName = policy else { throw CommandFailure("--policy is required: a preset (\(Presets.names.joined(separator: ", "))) or a policy file") }
        guard let plan else { throw CommandFailure("--plan is required") }
        guard let openedText = opened else { throw CommandFailure("--opened is required: when the case was logged (ISO 8601)") }
        let policy = try PolicySource.load(policyName)
        var parsedPauses: [(from: ISO8601.Parsed, to: ISO8601.Parsed)] = []
        for pause in pauses {
            let parts = pause.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2 else { throw CommandFailure("invalid --pause '\(pause)': write FROM/TO, two ISO 8601 times joined by '/'") }
            parsedPauses.append((try time(String(parts[0]), "--pause"), try time(String(parts[1]), "--pause")))
        }
        let query = DeadlineQuery(
            plan: plan, priority: priority, region: region, metric: metric, opened: try time(openedText, "--opened"),
            confirmed: try confirmed.map { try time($0, "--confirmed") }, cvss: cvss,
            patchAvailable: try patchAvailable.map { try time($0, "--patch-available") }, pauses: parsedPauses
        )
        let answer = try policy.answer(query)
        if json {
            print(try DeadlineBatch.json(answer, explain: explain))
            return
        }
        guard let deadline = answer.deadline, let target = answer.target else {
            print("target:      no target (the policy sets none for this case)")
            return
        }
        print("target:      \(target)")
        print("clock start: \(try answer.format(deadline.clockStart))")
        print("due:         \(try answer.format(deadline.due))")
        if explain, let explanation = try answer.explanation() {
            print("")
            explanation.lines.forEach { print($0) }
        }
    }

    private func time(_ text: String, _ option: String) throws -> ISO8601.Parsed {
        guard let parsed = ISO8601.parse(text) else { throw CommandFailure(TimeInputError(field: option, value: text).description) }
        return parsed
    }

    /// Answers each input line in order, one answer line per input line — a blank line too (`{"error":
    /// "empty line"}`), so that answer N is always the answer to line N. Input is read as it arrives
    /// and the answers of each read are written before the next: piped questions are answered as
    /// they come, and whatever was computed is out before the program waits again.
    private func runBatch(_ source: String) throws {
        let handle: FileHandle
        if source == "-" {
            handle = .standardInput
        } else {
            guard let file = FileHandle(forReadingAtPath: source) else { throw CommandFailure("cannot read batch file '\(source)'") }
            handle = file
        }
        var batch = DeadlineBatch(explain: explain, resolve: PolicySource.load)
        let empty = Array(#"{"error":"empty line"}"#.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(1 << 17)
        var pending: [UInt8] = []
        var finished = false
        var block = [UInt8](repeating: 0, count: 1 << 16)
        while !finished {
            // One read(2): what has arrived (a pipe) or up to 64 KB (a file) — never waiting for
            // more input before answering what is there.
            let count = block.withUnsafeMutableBytes { read(handle.fileDescriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw CommandFailure("cannot read the batch: \(String(cString: strerror(errno)))")
            }
            finished = count == 0
            pending.append(contentsOf: block[0..<count])
            var start = 0
            var end = finished ? pending.count : (pending.lastIndex(of: 10).map { $0 + 1 } ?? 0)
            if finished, end > 0, pending[end - 1] != 10 { pending.append(10); end += 1 }
            while start < end {
                var stop = start
                while pending[stop] != 10 { stop += 1 }
                var lineEnd = stop
                if lineEnd > start, pending[lineEnd - 1] == 13 { lineEnd -= 1 }
                if pending[start..<lineEnd].allSatisfy({ $0 == 32 || $0 == 9 }) {
                    output.append(contentsOf: empty)
                } else {
                    let answer = pending.withUnsafeBufferPointer { batch.answer(utf8: UnsafeBufferPointer(rebasing: $0[start..<lineEnd])) }
                    output.append(contentsOf: answer.utf8)
                }
                output.append(10)
                start = stop + 1
            }
            pending.removeFirst(end)
            if !output.isEmpty {
                FileHandle.standardOutput.write(Data(output))
                output.removeAll(keepingCapacity: true)
            }
        }
    }
}
