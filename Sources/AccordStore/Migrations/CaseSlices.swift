import FluentKit
import FluentSQL
import Foundation

/// A migration's way over every case of a desk of any size: their ids in order, a slice at a time.
enum CaseSlices {
    /// Runs `body` on the ids of every case, `size` at a time, in id order.
    static func each(_ size: Int, on sql: any SQLDatabase, _ body: ([UUID]) async throws -> Void) async throws {
        var after: UUID?
        while true {
            var select = sql.select().column("id").from("cases").orderBy("id").limit(size)
            if let after { select = select.where("id", .greaterThan, after) }
            let ids = try await select.all().map { try $0.decode(column: "id", as: UUID.self) }
            guard let last = ids.last else { return }
            try await body(ids)
            after = last
        }
    }
}
