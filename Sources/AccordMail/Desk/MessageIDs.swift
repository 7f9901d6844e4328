/// The message identifiers of `Message-ID`, `In-Reply-To` and `References` (`<id@host>` each),
/// without their angle brackets, in order; text between them (phrases old mailers put in
/// In-Reply-To) is ignored.
public enum MessageIDs {
    public static func list(_ value: String?) -> [String] {
        guard let value else { return [] }
        var ids: [String] = []
        var rest = Substring(value)
        while let open = rest.firstIndex(of: "<") {
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: ">") else { break }
            let id = after[..<close].trimmingCharacters(in: .whitespacesAndNewlines)
            if !id.isEmpty, id.count <= 998, !id.contains(where: { $0 == " " || $0 == "<" }) { ids.append(String(id)) }
            rest = after[after.index(after: close)...]
        }
        return ids
    }
}
