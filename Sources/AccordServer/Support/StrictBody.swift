import AccordCore
import Foundation
import Vapor

/// Decodes a JSON request body, refusing malformed JSON, unknown fields and wrong types with a
/// problem that names the field.
enum StrictBody {
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, allowed: Set<String>) throws -> T {
        guard let buffer = request.body.data, buffer.readableBytes > 0 else {
            throw Problem(.badRequest, "the request needs a JSON body")
        }
        let limit = request.application.routes.defaultMaxBodySize.value
        guard buffer.readableBytes <= limit else {
            throw Problem(.payloadTooLarge, "the body is \(buffer.readableBytes) bytes; the limit is \(limit)")
        }
        let bytes = Data(buffer.readableBytesView)
        let value: JSONValue
        do {
            value = try bytes.withUnsafeBytes { raw in
                try JSONValue.parse(utf8: raw.bindMemory(to: UInt8.self))
            }
        } catch let error as JSONParseError {
            throw Problem(.badRequest, "malformed JSON: \(error)", field: error.path)
        }
        guard case .object(let members) = value else { throw Problem(.badRequest, "the body must be a JSON object") }
        if let unknown = members.map(\.0).first(where: { !allowed.contains($0) }) {
            throw Problem(.unprocessableEntity, "unknown field '\(unknown)'; fields: \(allowed.sorted().joined(separator: ", "))", field: unknown)
        }
        // An optional field is left out, never sent as null: null is not one of its values.
        if let null = members.first(where: { if case .null = $0.1 { true } else { false } }) {
            throw Problem(.unprocessableEntity, "field '\(null.0)' is null: leave it out, or give it a value", field: null.0)
        }
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return try decoder.decode(T.self, from: bytes)
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw Problem(.unprocessableEntity, "field '\(field)' has the wrong type: \(context.debugDescription)", field: field)
        } catch let DecodingError.keyNotFound(key, _) {
            throw Problem(.unprocessableEntity, "missing field '\(key.stringValue)'", field: key.stringValue)
        } catch let DecodingError.dataCorrupted(context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw Problem(.unprocessableEntity, "field '\(field)' is invalid: \(context.debugDescription)", field: field)
        }
    }
}
