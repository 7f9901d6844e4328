import Foundation

/// The four seed contracts, shipped as policy YAML resources of the package.
public enum Presets {
    /// Preset names, as `accord policy list` prints them.
    public static let names = ["plex", "plixer", "plm-group", "pro-plus"]

    /// The YAML text of a preset.
    public static func yaml(_ name: String) throws(PresetError) -> String {
        guard names.contains(name),
              let url = Bundle.module.url(forResource: name, withExtension: "yaml", subdirectory: "Resources"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw PresetError.unknown(name, known: names)
        }
        return text
    }

    /// A preset, loaded and validated.
    public static func policy(_ name: String) throws -> Policy {
        try PolicyLoader().load(yaml: yaml(name), file: "\(name).yaml")
    }
}

public enum PresetError: Error, Equatable, CustomStringConvertible {
    case unknown(String, known: [String])

    public var description: String {
        switch self {
        case .unknown(let name, let known):
            "unknown policy '\(name)'; presets: \(known.joined(separator: ", ")) (or give the path of a policy YAML file)"
        }
    }
}
