public import Foundation

/// How outbox payloads are written in Swift (a customer's late notice) and read: one line of JSON
/// with sorted keys and ISO 8601 instants, the form the webhooks carry. The monitor's alarm text has
/// the same form but is written by the database (`DeskStore.sweep`).
public enum OutboxJSON {
    public static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    public static func decode<Value: Decodable>(_ type: Value.Type, from json: String) throws -> Value {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: Data(json.utf8))
    }
}
