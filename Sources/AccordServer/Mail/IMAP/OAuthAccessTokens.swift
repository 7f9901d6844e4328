import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat

/// Access tokens for IMAP mailboxes that sign in with OAuth 2 and a refresh token
/// (`auth=xoauth2&token-url=…`): one kept per mailbox in this server until two minutes before it
/// expires, then a new one asked of the token endpoint (RFC 6749 §6, the refresh-token grant). A
/// refresh token the endpoint rotates (Microsoft's does) is written back to its file — to a new
/// file, then renamed over the old, so no reader sees half of it.
actor OAuthAccessTokens {
    static let shared = OAuthAccessTokens()

    private var cached: [String: (token: String, until: Date)] = [:]
    private var http: HTTPClient { HTTPClient.shared }

    /// Why no token was had: the endpoint's own error and description, never a token.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// A current access token for `refresh`.
    func token(for refresh: IMAPMailbox.OAuthRefresh, now: Date = Date()) async throws -> String {
        let key = Self.key(refresh)
        if let kept = cached[key], kept.until > now.addingTimeInterval(120) { return kept.token }
        guard let data = FileManager.default.contents(atPath: refresh.refreshTokenFile) else {
            throw Failure(description: "cannot read the refresh token file \(refresh.refreshTokenFile)")
        }
        let refreshToken = OperatorPassword.firstLine(of: data)
        var form = [("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("client_id", refresh.clientID)]
        if let path = refresh.clientSecretFile {
            guard let secret = FileManager.default.contents(atPath: path) else { throw Failure(description: "cannot read the client secret file \(path)") }
            form.append(("client_secret", OperatorPassword.firstLine(of: secret)))
        }
        if let scope = refresh.scope { form.append(("scope", scope)) }
        var request = HTTPClientRequest(url: refresh.tokenURL)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        request.body = .bytes(ByteBuffer(string: Self.formEncoded(form)))
        let response: HTTPClientResponse
        let body: Data
        do {
            response = try await http.execute(request, timeout: .seconds(30))
            body = Data(buffer: try await response.body.collect(upTo: 1 << 20))
        } catch {
            throw Failure(description: "the token endpoint \(refresh.tokenURL) did not answer: \(error)")
        }
        let json = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
        guard response.status == .ok, let token = json["access_token"] as? String, IMAPMailbox.isUsableToken(token) else {
            let error = (json["error"] as? String).map { String($0.prefix(100)) } ?? "HTTP \(response.status.code)"
            let detail = (json["error_description"] as? String).map { ": " + String($0.prefix(300)) } ?? ""
            throw Failure(description: "the token endpoint \(refresh.tokenURL) refused the refresh token: \(error)\(detail)")
        }
        let lifetime = (json["expires_in"] as? Double) ?? Double(json["expires_in"] as? String ?? "") ?? 3600
        cached[key] = (token, now.addingTimeInterval(min(max(lifetime, 0), 86_400)))
        if let rotated = json["refresh_token"] as? String, rotated != refreshToken, IMAPMailbox.isUsableToken(rotated) {
            try Self.replace(refresh.refreshTokenFile, with: rotated + "\n")
        }
        return token
    }

    /// Forgets the token kept for `refresh` (the server refused it: revoked before its time).
    func forget(_ refresh: IMAPMailbox.OAuthRefresh) {
        cached[Self.key(refresh)] = nil
    }

    /// A token is kept per endpoint and refresh token file: one account's grant.
    private static func key(_ refresh: IMAPMailbox.OAuthRefresh) -> String { refresh.tokenURL + " " + refresh.refreshTokenFile }

    private static func formEncoded(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
    }

    /// Writes `text` to a new file beside `path` (owner only) and renames it over `path`.
    private static func replace(_ path: String, with text: String) throws {
        let temporary = path + ".new-\(UUID().uuidString.prefix(8))"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw Failure(description: "cannot write the rotated refresh token beside \(path)")
        }
        guard rename(temporary, path) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw Failure(description: "cannot replace \(path) with the rotated refresh token")
        }
    }
}
