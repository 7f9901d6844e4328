import AccordServer
import AccordStore
import ArgumentParser
import Foundation

/// `accord import cases FILE`: years of cases from another desk, with their clocks as if logged then.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Bring history from another desk into this one.",
        subcommands: [ImportCasesCommand.self])
}

struct ImportCasesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cases",
        abstract: "Import cases from JSON Lines (docs/import.md): each with its timeline, its clocks derived by the engine.",
        discussion: """
            One case per line. A case whose externalId an earlier import made is left as it is, so a file can be imported \
            again after fixing its bad lines. A bad line is named with its number on standard error and the rest are \
            imported; the exit status is then 1. Works on the desk's database directly (--db, or DATABASE_URL), beside \
            running servers. The SLA monitor is given only the alarms still to come; nothing is announced to webhooks.

            accord import cases history.jsonl --db accord.sqlite --dry-run
            accord import cases history.jsonl --db accord.sqlite
            """)

    @Argument(help: "The JSON Lines file, or - for standard input.") var file: String
    @Flag(help: "Check every line and derive its clocks, and write nothing.") var dryRun = false
    @OptionGroup var desk: DeskLocation

    /// Blocks of `CaseImport.batchSize` lines derived ahead of the writer.
    static let ahead = 4

    func run() async throws {
        let input: FileHandle
        if file == "-" {
            input = .standardInput
        } else {
            guard let handle = FileHandle(forReadingAtPath: file) else { throw CommandFailure("cannot read '\(file)'") }
            input = handle
        }
        var tally = Tally()
        try await desk.with { _, store in
            // This loop and the writes on the writer's own thread; the blocks are derived on the other cores.
            tally = try await withTaskExecutorPreference(store.writes?.executor) { try await importAll(input, into: store) }
        }
        let summary = dryRun
            ? "dry run: \(tally.valid) case(s) would be imported, \(tally.refused.count) line(s) refused; nothing written"
            : "imported \(tally.created) case(s); \(tally.existing) already imported; \(tally.refused.count) line(s) refused"
        print(summary)
        if !tally.refused.isEmpty { throw ExitCode(1) }
    }
}

extension ImportCasesCommand {
    /// What became of the lines.
    struct Tally {
        var created = 0, existing = 0, valid = 0, refused: [Int] = []
    }

    private func importAll(_ input: FileHandle, into store: DeskStore) async throws -> Tally {
        var tally = Tally()
        let importer = try await CaseImport.open(store: store, now: Date.init)
        var reader = LineReader(input, limit: CaseImport.maxLineBytes)
        var seen: [String: Int] = [:]
        // Blocks are checked and derived ahead, up to `ahead` of them, while the block before is
        // written: the writer, the slower of the two, never waits for a block.
        var deriving: [Task<CaseImport.Block, Never>] = []
        func readAhead() throws {
            while deriving.count < Self.ahead {
                let next = try reader.next(CaseImport.batchSize)
                guard !next.isEmpty else { return }
                deriving.append(Task { await importer.derive(next, dryRun: dryRun) })
            }
        }
        try readAhead()
        while !deriving.isEmpty {
            let block = await deriving.removeFirst().value
            try readAhead()
            try await importer.write(block, dryRun: dryRun, seen: &seen) { line, outcome in
                switch outcome {
                case .created: tally.created += 1
                case .existing: tally.existing += 1
                case .valid: tally.valid += 1
                case .refused(let problem):
                    tally.refused.append(line)
                    FileHandle.standardError.write(Data("line \(line): \(problem)\n".utf8))
                }
            }
        }
        return tally
    }
}

/// Reads a file's lines a block at a time, numbered from 1, blank ones left out; a line longer
/// than `limit` is handed on cut short, for the importer to refuse by its number.
struct LineReader {
    let handle: FileHandle
    let limit: Int
    /// Bytes read and not yet handed out start at `offset`.
    private var buffer: [UInt8] = []
    private var offset = 0
    private var number = 0
    private var ended = false

    init(_ handle: FileHandle, limit: Int) {
        self.handle = handle
        self.limit = limit
    }

    /// Up to `count` more lines; none at the end.
    mutating func next(_ count: Int) throws -> [(number: Int, text: Substring)] {
        var lines: [(number: Int, text: Substring)] = []
        while lines.count < count {
            if let newline = buffer[offset...].firstIndex(of: UInt8(ascii: "\n")) {
                take(buffer[offset..<newline], into: &lines)
                offset = newline + 1
                continue
            }
            if ended {
                if offset < buffer.count { take(buffer[offset...], into: &lines) }
                buffer.removeAll()
                offset = 0
                break
            }
            // Keep only what is not handed out yet, then read the next block after it.
            buffer.removeSubrange(0..<offset)
            offset = 0
            if buffer.count > limit {
                // A line past the limit: its first bytes go on for the refusal; the rest is skipped to its end.
                take(buffer[0...limit], into: &lines)
                buffer.removeAll()
                while let more = try handle.read(upToCount: 1 << 20), !more.isEmpty {
                    if let newline = more.firstIndex(of: UInt8(ascii: "\n")) { buffer.append(contentsOf: more[(newline + 1)...]); break }
                }
                continue
            }
            let block = try handle.read(upToCount: 1 << 20) ?? Data()
            if block.isEmpty { ended = true } else { buffer.append(contentsOf: block) }
        }
        return lines
    }

    private mutating func take(_ bytes: ArraySlice<UInt8>, into lines: inout [(number: Int, text: Substring)]) {
        number += 1
        let text = String(decoding: bytes, as: UTF8.self)
        if !text.allSatisfy(\.isWhitespace) { lines.append((number, Substring(text))) }
    }
}
