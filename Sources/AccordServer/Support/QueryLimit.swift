import Vapor

extension Request {
    /// The page size asked for in the query's `limit`: a whole number from 1 to `maximum`, or
    /// `standard` when absent; anything else is a 400 naming `limit`.
    func limit(standard: Int, maximum: Int) throws -> Int {
        guard let text = try? query.get(String.self, at: "limit") else { return standard }
        guard let value = Int(text), (1...maximum).contains(value) else {
            throw Problem(.badRequest, "limit must be a whole number from 1 to \(maximum)", field: "limit")
        }
        return value
    }
}
