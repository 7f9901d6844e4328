import AccordCore
import AccordStore
import Crypto
import Foundation
import Vapor

/// What every page's layout shows: its title, who is signed in, the navigation for their role,
/// and the form token their forms carry. The page's own data is `content`.
struct Page<Content: Encodable & Sendable>: Encodable, Sendable {
    let title: String
    let viewer: PageViewer?
    let csrf: String?
    let navigation: [PageLink]
    /// The page refreshes itself while its viewer lets it (lists, queues, a case).
    let refresh: Bool
    /// The desk's time when the page was made (ISO 8601): countdowns count from it, not from the
    /// browser's clock, which may be wrong.
    let now: String
    let content: Content
}

/// Who is signed in, as the layout names them.
struct PageViewer: Encodable, Sendable {
    let name: String
    let email: String
    let role: String
    let staff: Bool
}

/// A link of the navigation; `current` marks the section the page belongs to.
struct PageLink: Encodable, Sendable {
    let label: String
    let href: String
    let current: Bool
}

/// Renders pages: HTML with its charset, never cached (pages hold personal data), with the layout's
/// navigation for the viewer's role.
struct PageRenderer: Sendable {
    /// The desk's clock.
    let now: @Sendable () -> Date

    /// Renders `template`. A page that refreshes itself carries an `ETag` of its HTML, and a
    /// request that already has that HTML is answered 304 without it.
    /// `section` is the page's place in the navigation when its address does not say it (a refused
    /// form answers at the address it was posted to).
    func render<Content: Encodable & Sendable>(_ template: String, title: String, content: Content, on request: Request,
                                               status: HTTPResponseStatus = .ok, refresh: Bool = false, section: String? = nil) async throws -> Response {
        let session = request.storage[WebSessionKey.self]
        let page = Page(title: title, viewer: session.map(Self.viewer), csrf: session?.csrfToken,
                        navigation: session.map { Self.navigation(for: $0.person, at: section ?? request.url.path) } ?? [],
                        refresh: refresh, now: WebFormat.iso(now()), content: content)
        let view = try await request.view.render(template, page)
        var headers = HTTPHeaders()
        headers.contentType = .html
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        if refresh, status == .ok {
            let etag = "\"" + SHA256.hash(data: view.data.readableBytesView).prefix(12).map { String(format: "%02x", $0) }.joined() + "\""
            headers.replaceOrAdd(name: .eTag, value: etag)
            if request.headers.first(name: .ifNoneMatch) == etag { return Response(status: .notModified, headers: headers) }
        }
        return Response(status: status, headers: headers, body: .init(buffer: view.data))
    }

    static func viewer(_ session: WebSession) -> PageViewer {
        let person = session.person
        return .init(name: person.name, email: person.email, role: Self.roleName(person.role), staff: person.role.isStaff)
    }

    /// The sections a person's role may use, in the order they work in them.
    static func navigation(for person: Person, at path: String) -> [PageLink] {
        var links: [(String, String)]
        if person.role.isStaff {
            links = [("Queues", "/console/queues"), ("Cases", "/console/cases"), ("Customers", "/console/customers")]
            if [.manager, .admin, .tam].contains(person.role) { links.append(("Board", "/console/board")) }
            links.append(("Reports", "/console/reports/attainment"))
            if [.manager, .admin].contains(person.role) { links += [("Staff", "/console/staff"), ("Policies", "/console/policies"), ("Settings", "/console/settings")] }
        } else {
            links = [("Cases", "/portal/cases"), ("Log a case", "/portal/cases/new"), ("Organization", "/portal/organization")]
            if person.role == .authorizedContact { links.append(("Reports", "/portal/reports/attainment")) }
        }
        links.append(("Account", "/account"))
        return links.map { .init(label: $0.0, href: $0.1, current: path == $0.1 || (path.hasPrefix($0.1 + "/") && $0.1 != "/portal/cases")) }
    }

    static func roleName(_ role: Role) -> String {
        switch role {
        case .user: "User"
        case .authorizedContact: "Authorized contact"
        case .agent: "Agent"
        case .tam: "Technical account manager"
        case .manager: "Manager"
        case .admin: "Administrator"
        }
    }
}
