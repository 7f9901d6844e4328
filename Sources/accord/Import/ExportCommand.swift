import AccordServer
import ArgumentParser
import Foundation

/// `accord export cases`: the desk's cases in the import's format.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write this desk's history in the format `accord import` reads.",
        subcommands: [ExportCasesCommand.self])
}

struct ExportCasesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cases",
        abstract: "Write every case (of one organization) as JSON Lines, in case-number order (docs/import.md).",
        discussion: """
            Imported into a desk with the same customers, people and policies, the file gives the same cases, \
            clocks and reports: accord export cases --db old.sqlite > cases.jsonl; accord import cases cases.jsonl --db new.sqlite
            """)

    @Option(help: "Only this organization's cases (its id).") var organization: String?
    @Option(help: "Write to this file instead of standard output.") var output: String?
    @OptionGroup var desk: DeskLocation

    func run() async throws {
        let organizationID = try organization.map { text in
            guard let id = UUID(uuidString: text) else { throw CommandFailure("--organization must be an organization's id, not '\(text)'") }
            return id
        }
        let out: FileHandle
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: nil), let handle = FileHandle(forWritingAtPath: output) else {
                throw CommandFailure("cannot write '\(output)'")
            }
            out = handle
        } else {
            out = .standardOutput
        }
        var pending = Data()
        var count = 0
        try await desk.with { _, store in
            count = try await CaseExport(store: store).run(organization: organizationID) { line in
                pending.append(contentsOf: line.utf8)
                pending.append(UInt8(ascii: "\n"))
                if pending.count > 1 << 20 {
                    try out.write(contentsOf: pending)
                    pending.removeAll(keepingCapacity: true)
                }
            }
        }
        try out.write(contentsOf: pending)
        try out.close()
        FileHandle.standardError.write(Data("exported \(count) case(s)\n".utf8))
    }
}
