import AccordCore
import Foundation

/// Finds a policy given as a preset name or a YAML file path.
enum PolicySource {
    static func load(_ nameOrPath: String) throws -> Policy {
        if Presets.names.contains(nameOrPath) { return try Presets.policy(nameOrPath) }
        guard FileManager.default.fileExists(atPath: nameOrPath) else {
            throw PresetError.unknown(nameOrPath, known: Presets.names)
        }
        return try loadFile(nameOrPath)
    }

    /// Loads a policy file; `ics:` references are read relative to it.
    static func loadFile(_ path: String) throws -> Policy {
        let url = URL(fileURLWithPath: path)
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw CommandFailure("cannot read policy file '\(path)': \(error.localizedDescription)")
        }
        let directory = url.deletingLastPathComponent()
        let loader = PolicyLoader(readFile: { relative in
            try String(contentsOf: URL(fileURLWithPath: relative, relativeTo: directory), encoding: .utf8)
        })
        return try loader.load(yaml: text, file: path)
    }
}

/// A failure reported to the user as one message and a non-zero exit.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
