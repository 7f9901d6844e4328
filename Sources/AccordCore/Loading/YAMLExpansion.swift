// libyaml as bundled by Yams (its C target): the only way to see a document's events — and so its
// aliases — before Yams composes it. Composing hashes every mapping key, and a key that aliases a
// nested anchor expands exponentially ("billion laughs": a 2 KB file held a process for minutes).
import CYaml

/// How many nodes a YAML text stands for once every alias is expanded, counted from the parser's
/// events in one pass without building anything: an alias costs the size of its anchor.
enum YAMLExpansion {
    /// Whether `yaml` expands to more than `budget` nodes. A text libyaml cannot parse is left to
    /// the composer, which reports where it is wrong.
    static func exceeds(_ yaml: String, budget: Int) -> Bool {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return false }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(yaml.utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var anchors: [String: Int] = [:]
            // One frame per open collection: its anchor and the size of what it holds so far.
            var frames: [(anchor: String?, size: Int)] = []
            var total = 0
            func add(_ size: Int, anchor: String?) -> Bool {
                if let anchor { anchors[anchor] = size }
                if frames.isEmpty {
                    total = min(total + size, budget + 1)
                } else {
                    frames[frames.count - 1].size = min(frames[frames.count - 1].size + size, budget + 1)
                }
                return size > budget || total > budget
            }
            func anchor(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
                pointer.map { String(cString: $0) }
            }
            var event = yaml_event_t()
            while yaml_parser_parse(&parser, &event) == 1 {
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return false
                case YAML_SCALAR_EVENT:
                    if add(1, anchor: anchor(event.data.scalar.anchor)) { return true }
                case YAML_ALIAS_EVENT:
                    if add(anchor(event.data.alias.anchor).flatMap { anchors[$0] } ?? 1, anchor: nil) { return true }
                case YAML_SEQUENCE_START_EVENT:
                    frames.append((anchor(event.data.sequence_start.anchor), 1))
                case YAML_MAPPING_START_EVENT:
                    frames.append((anchor(event.data.mapping_start.anchor), 1))
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    guard let frame = frames.popLast() else { return false }
                    if add(frame.size, anchor: frame.anchor) { return true }
                default:
                    continue
                }
            }
            return false
        }
    }
}
