import AccordStore
import Foundation
import NIOHTTP1
import Synchronization
import Testing

@testable import AccordServer

/// A browser without JavaScript for tests: keeps the desk's cookies, follows nothing by itself,
/// and posts forms with the form token the last page carried.
final class WebClient: Sendable {
    let desk: DeskHarness
    private let jar = Mutex<[String: String]>([:])
    /// The form token of the last page that had one.
    private let lastFormToken = Mutex<String?>(nil)

    init(_ desk: DeskHarness) {
        self.desk = desk
    }

    struct Page {
        let status: HTTPResponseStatus
        let headers: HTTPHeaders
        let html: String

        var location: String? { headers.first(name: "Location") }
        /// The cookies the response set, by name, with their attributes as sent.
        var setCookies: [String: String] {
            var cookies: [String: String] = [:]
            for line in headers["Set-Cookie"] {
                let name = String(line.prefix { $0 != "=" })
                cookies[name] = line
            }
            return cookies
        }
        /// The text of the page without tags, for reading what a person reads.
        var text: String {
            html.replacingOccurrences(of: "<[^>]+>", with: " ", options: .regularExpression)
                .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&quot;", with: "\"")
                .replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                .replacingOccurrences(of: "\\s+", with: " ", options: .regularExpression)
        }
    }

    var cookies: [String: String] { jar.withLock { $0 } }

    func setCookie(_ name: String, _ value: String?) {
        jar.withLock { $0[name] = value }
    }

    func get(_ path: String) async throws -> Page {
        try await exchange(.GET, path, body: nil)
    }

    /// Posts `fields` urlencoded, adding `_csrf` from the last page unless `fields` has one (or `csrf` is false).
    func post(_ path: String, _ fields: [(String, String)], csrf: Bool = true) async throws -> Page {
        var all = fields
        if csrf, !fields.contains(where: { $0.0 == "_csrf" }), let token = lastFormToken.withLock({ $0 }) { all.append(("_csrf", token)) }
        let body = all.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await exchange(.POST, path, body: Data(body.utf8), contentType: "application/x-www-form-urlencoded")
    }

    /// Posts `fields` and `files` (name, filename, bytes) as `multipart/form-data`, as a browser
    /// sends a form with a file field, adding `_csrf` from the last page.
    /// `filesFirst` sends the files before the fields (a browser sends them in the form's order).
    func postMultipart(_ path: String, _ fields: [(String, String)], files: [(String, String, Data)] = [], filesFirst: Bool = false,
                       csrf: Bool = true) async throws -> Page {
        var all = fields
        if csrf, !fields.contains(where: { $0.0 == "_csrf" }), let token = lastFormToken.withLock({ $0 }) { all.insert(("_csrf", token), at: 0) }
        let boundary = "----accordtest\(UUID().uuidString)"
        var fieldParts = Data(), fileParts = Data()
        for (name, value) in all {
            fieldParts.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        for (name, filename, bytes) in files {
            fileParts.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(filename)\"\r\nContent-Type: text/plain\r\n\r\n".utf8))
            fileParts.append(bytes)
            fileParts.append(Data("\r\n".utf8))
        }
        var body = filesFirst ? fileParts + fieldParts : fieldParts + fileParts
        body.append(Data("--\(boundary)--\r\n".utf8))
        return try await exchange(.POST, path, body: body, contentType: "multipart/form-data; boundary=\(boundary)")
    }

    /// A browser signed in as the person `id` (given a password first, as `accord user set-password` would).
    static func signedIn(_ desk: DeskHarness, _ id: String, _ email: String) async throws -> WebClient {
        let password = "password for \(email)"
        try await DeskStore(database: desk.app.db).setPassword(of: UUID(uuidString: id)!, hash: try Passwords(cost: 4).hash(password), by: nil, at: desk.clock.now())
        let browser = WebClient(desk)
        let page = try await browser.signIn(email, password)
        #expect(page.status == .seeOther, "\(email): \(page.text)")
        return browser
    }

    /// Signs in with the form, as a person would.
    @discardableResult
    func signIn(_ email: String, _ password: String) async throws -> Page {
        _ = try await get("/sign-in")
        return try await post("/sign-in", [("email", email), ("password", password)])
    }

    private func exchange(_ method: HTTPMethod, _ path: String, body: Data?, contentType: String? = nil) async throws -> Page {
        var headers: [(String, String)] = []
        let cookieHeader = jar.withLock { $0.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") }
        if !cookieHeader.isEmpty { headers.append(("Cookie", cookieHeader)) }
        if let contentType { headers.append(("Content-Type", contentType)) }
        let response = try await desk.send(method, path, headers: headers, body: body, followingRedirects: false)
        let page = Page(status: response.status, headers: response.headers, html: String(decoding: response.body, as: UTF8.self))
        for (name, line) in page.setCookies {
            let value = String(line.dropFirst(name.count + 1).prefix { $0 != ";" })
            jar.withLock { $0[name] = Self.forgets(line) ? nil : value }
        }
        if let token = Self.hidden("_csrf", in: page.html) { lastFormToken.withLock { $0 = token } }
        return page
    }

    /// Whether a `Set-Cookie` line tells the browser to forget the cookie — by its attributes only:
    /// a value may hold "1970" (a hex form token does, about one time in a thousand).
    static func forgets(_ line: String) -> Bool {
        line.range(of: #";\s*Max-Age=0(;|$)"#, options: [.regularExpression, .caseInsensitive]) != nil
            || line.range(of: #";\s*Expires=[^;]*1970"#, options: [.regularExpression, .caseInsensitive]) != nil
    }

    /// The value of the first hidden field `name` in `html`.
    static func hidden(_ name: String, in html: String) -> String? {
        guard let range = html.range(of: #"name="\#(name)" value="([^"]*)""#, options: .regularExpression) else { return nil }
        return String(html[range].split(separator: "\"")[3])
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
