@testable import AccordStore
import Foundation
import PropertyBased
import Testing
import VaporTesting

/// Full-text search over case numbers, titles, descriptions and messages — internal notes for staff
/// only — through `GET /api/v1/cases?q=`, scoped to exactly what the caller may see.
@Suite struct SearchTests {
    static func numbers(_ reply: DeskHarness.Reply) -> [String] {
        (reply["items"] as? [[String: Any]])?.compactMap { $0["number"] as? String } ?? []
    }

    /// Words are runs of Unicode letters and digits: ASCII, read by its ranges, splits exactly where
    /// the Unicode properties say; other scripts by the properties themselves.
    @Test func wordsSplitWhereUnicodeSaysForEveryASCIICharacter() {
        for value in UInt32(0)..<128 {
            let scalar = Unicode.Scalar(value)!
            let isWordCharacter = scalar.properties.isAlphabetic || scalar.properties.numericType != nil
            let words = CaseSearch.words("Ab\(Character(scalar))Cd")
            #expect(words == (isWordCharacter ? ["ab\(Character(scalar))cd".lowercased()] : ["ab", "cd"]), "U+\(String(value, radix: 16)): \(words)")
        }
        #expect(CaseSearch.words("Størrelse: 12ｍ² — 日本語 ٣") == ["størrelse", "12ｍ²", "日本語", "٣"])
    }

    /// A document as words made it before it was written in one pass: the reference.
    static func referenceDocument(_ texts: [String]) -> String {
        var document = ""
        for word in texts.flatMap(CaseSearch.words) where word.utf8.count <= CaseSearch.longestWord {
            if document.utf8.count + word.utf8.count >= CaseSearch.largestDocument { break }
            if !document.isEmpty { document += " " }
            document += word
        }
        return document
    }

    /// Texts of ASCII, Latin, Greek, Cyrillic, CJK, digits of other scripts, letters whose lower
    /// case is longer (İ), punctuation and spaces: the document is the one the words make, to
    /// the byte; and at the limits, long words left out and a full document ended where it was.
    @Test func aDocumentIsTheWordsOfItsTexts() async {
        let pieces = ["Ab", "cd", "SOLIDWORKS", "12", "x9", " ", "  ", "-", ".", "\n", "é", "ÆØÅ", "İstanbul", "ΣΊΣΥΦΟΣ", "Ärger", "日本語", "٣", "½",
                      "ｍ²", "ß", "ǅ", "🙂", "\u{301}", "a\u{301}", "ﬁ", "Ⅻ", "\t", "_", "'", "DŽ"]
        await propertyCheck(count: 300, input: Gen.int(in: 0...(pieces.count - 1)).array(of: 0...40).array(of: 0...4)) { picks in
            let texts = picks.map { $0.map { pieces[$0] }.joined() }
            #expect(CaseSearch.document(texts) == Self.referenceDocument(texts), "\(texts)")
        }
        let long = String(repeating: "x", count: CaseSearch.longestWord)
        #expect(CaseSearch.document(["a \(long) \(long)y b"]) == "a \(long) b")
        let full = Array(repeating: "word", count: CaseSearch.largestDocument / 4)
        #expect(CaseSearch.document([full.joined(separator: " "), "more"]) == Self.referenceDocument([full.joined(separator: " "), "more"]))
        #expect(CaseSearch.document([full.joined(separator: " ")]).utf8.count < CaseSearch.largestDocument)
    }

    static func search(_ desk: DeskHarness, _ query: String, token: String, extra: String = "") async throws -> DeskHarness.Reply {
        let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? query
        return try await desk.call(.GET, "/api/v1/cases?q=\(encoded)\(extra)", token: token)
    }

    @Test(arguments: TestDatabase.all) func wordsAreFoundWhereTheCallerMayReadThem(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z", on: database) { desk in
            let plm = try await desk.organization("plm-group", plan: "premium", region: "denmark", prefix: "FIND")
            let anna = try await desk.person(in: plm, email: "anna@find.test", role: "user")
            let bo = try await desk.person(in: plm, email: "bo@find.test", role: "user")
            let other = try await desk.organization("plm-group", plan: "premium", region: "denmark", prefix: "ELSE")
            let eve = try await desk.person(in: other, email: "eve@else.test", role: "user")
            func log(_ token: String, _ title: String) async throws -> (id: String, number: String) {
                let reply = try await desk.call(.POST, "/api/v1/cases", token: token, body: DeskHarness.plmCase(priority: "high", replacing: ["title": title]))
                return (try #require(reply.string["id"], "\(reply.json)"), try #require(reply.string["number"]))
            }
            let sketch = try await log(anna.token, "Sketch constraints lost on Ærø")
            let drawing = try await log(anna.token, "Drawing views empty")
            let bos = try await log(bo.token, "Sketch fillet fails")
            let eves = try await log(eve.token, "Sketch mirror broken")
            let events = "/api/v1/cases/\(drawing.id)/events"
            #expect(try await desk.call(.POST, events, token: desk.adminToken, body: #"{"kind":"public-reply","body":"Rebuild the toolbox database, please."}"#).status == .created)
            #expect(try await desk.call(.POST, events, token: desk.adminToken, body: #"{"kind":"internal-note","body":"Known regression in SP2.1, ticket QX-9917."}"#).status == .created)
            #expect(try await desk.call(.POST, events, token: anna.token, body: #"{"kind":"customer-message","body":"The toolbox rebuild helped."}"#).status == .created)

            // Staff find every case, by title, reply, customer message and internal note; newest writing first.
            #expect(Self.numbers(try await Self.search(desk, "sketch", token: desk.adminToken)).sorted() == [bos.number, eves.number, sketch.number].sorted())
            #expect(Self.numbers(try await Self.search(desk, "TOOLBOX", token: desk.adminToken)) == [drawing.number])
            #expect(Self.numbers(try await Self.search(desk, "qx 9917", token: desk.adminToken)) == [drawing.number])
            #expect(Self.numbers(try await Self.search(desk, "sketch fillet", token: desk.adminToken)) == [bos.number], "every word must be found")
            #expect(Self.numbers(try await Self.search(desk, "ærø", token: desk.adminToken)) == [sketch.number], "letters beyond ASCII, case folded")
            #expect(Self.numbers(try await Self.search(desk, drawing.number, token: desk.adminToken)) == [drawing.number], "by case number")
            #expect(Self.numbers(try await Self.search(desk, "sketch", token: desk.adminToken, extra: "&organization=\(other)")) == [eves.number],
                    "with the list's other conditions")

            // Anna (PLM: a requester sees only their own cases) finds her own, never Bo's or Eve's, and
            // never a word only an internal note holds.
            #expect(Self.numbers(try await Self.search(desk, "sketch", token: anna.token)) == [sketch.number])
            #expect(Self.numbers(try await Self.search(desk, "toolbox", token: anna.token)) == [drawing.number])
            #expect(Self.numbers(try await Self.search(desk, "regression", token: anna.token)).isEmpty)
            #expect(Self.numbers(try await Self.search(desk, "regression", token: desk.adminToken)) == [drawing.number])
            #expect(Self.numbers(try await Self.search(desk, "mirror", token: anna.token)).isEmpty)
            #expect(Self.numbers(try await Self.search(desk, "sketch", token: eve.token)) == [eves.number])
        }
    }

    @Test(arguments: TestDatabase.all) func pagesFollowTheCursorAndBadQueriesAreRefused(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T15:00:00Z", on: database) { desk in
            let org = try await desk.organization("pro-plus", plan: "pro-plus", prefix: "PAGE")
            let user = try await desk.person(in: org, email: "u@page.test", role: "user")
            var logged: [String] = []
            for i in 1...5 {
                let reply = try await desk.call(.POST, "/api/v1/cases", token: user.token, body: #"{"title":"Printer jam \#(i)","description":"d","channel":"web"}"#)
                logged.append(try #require(reply.string["number"]))
            }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try await Self.search(desk, "printer", token: user.token, extra: "&limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""))
                #expect(page.status == .ok, "\(page.json)")
                seen += Self.numbers(page)
                cursor = page.string["nextCursor"]
            } while cursor != nil
            #expect(seen == logged.reversed(), "newest first, each once")

            for (query, detail) in [("", "must hold a word"), ("!!!", "must hold a word"), (String(repeating: "a ", count: 11), "at most 10"),
                                    (String(repeating: "x", count: 201), "longer than 200")] {
                let refused = try await Self.search(desk, query, token: user.token)
                #expect(refused.status == .badRequest && refused.string["field"] == "q", "\(query): \(refused.json)")
                #expect(refused.string["detail"]?.contains(detail) == true, "\(refused.json)")
            }
            let badCursor = try await Self.search(desk, "printer", token: user.token, extra: "&cursor=PAGE-2026-000001")
            #expect(badCursor.status == .badRequest && badCursor.string["field"] == "cursor")
        }
    }

    /// A word is a run of letters and digits as Unicode counts them, superscripts and fractions
    /// included: both databases find it as written (PostgreSQL's own text parser dropped `½` and
    /// cut `x²` to `x`), and a query word only part of a stored word finds nothing.
    @Test(arguments: TestDatabase.all) func wordsOfDigitsAndLettersBeyondASCIIAreFoundAsWritten(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z", on: database) { desk in
            let org = try await desk.organization("pro-plus", plan: "pro-plus", prefix: "UNI")
            let user = try await desk.person(in: org, email: "u@uni.test", role: "user")
            let logged = try await desk.call(.POST, "/api/v1/cases", token: user.token,
                                             body: #"{"title":"Plate of 12ｍ² bends","description":"Torque x² after a ½ turn; ٣ bolts, Ⅻ o'clock, 日本語 manual","channel":"web"}"#)
            let number = try #require(logged.string["number"], "\(logged.json)")
            for word in ["12ｍ²", "x²", "½", "٣", "ⅻ", "日本語", "TORQUE"] {
                #expect(Self.numbers(try await Self.search(desk, word, token: desk.adminToken)) == [number], "\(word)")
                #expect(Self.numbers(try await Self.search(desk, word, token: user.token)) == [number], "\(word), as the customer")
            }
            for part in ["x", "12ｍ", "日本"] {
                #expect(Self.numbers(try await Self.search(desk, part, token: desk.adminToken)).isEmpty, "\(part)")
            }
        }
    }

    /// An erased customer's words leave the index with them.
    @Test(arguments: TestDatabase.all) func erasureRemovesTheWordsFromTheIndex(_ database: TestDatabase) async throws {
        try await DeskHarness.run(at: "2026-03-02T15:00:00Z", on: database) { desk in
            let org = try await desk.organization("pro-plus", plan: "pro-plus", prefix: "GONE")
            let user = try await desk.person(in: org, email: "u@gone.test", role: "user")
            let logged = try await desk.call(.POST, "/api/v1/cases", token: user.token, body: #"{"title":"Kristiansand warehouse","description":"Trondheim","channel":"web"}"#)
            let id = try #require(logged.string["id"])
            #expect(try await desk.call(.POST, "/api/v1/cases/\(id)/events", token: user.token, body: #"{"kind":"customer-message","body":"Call Bergen"}"#).status == .created)
            #expect(Self.numbers(try await Self.search(desk, "bergen", token: desk.adminToken)).count == 1)
            #expect(try await desk.call(.POST, "/api/v1/people/\(user.id)/erasure", token: desk.adminToken).status == .ok)
            for word in ["kristiansand", "trondheim", "bergen"] {
                #expect(Self.numbers(try await Self.search(desk, word, token: desk.adminToken)).isEmpty, "\(word)")
            }
            #expect(Self.numbers(try await Self.search(desk, "erased", token: desk.adminToken)).count == 1, "the case stays, its text erased")
        }
    }
}
