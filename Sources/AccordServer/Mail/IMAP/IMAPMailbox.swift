public import Foundation

/// A mailbox the desk fetches mail from over IMAP (a hosted support address: Microsoft 365, Google,
/// a provider's Dovecot), named by a URL on the command line:
///
///     imaps://support%40plmgroup.dk@imap.example.com/INBOX?after=move:Accord&password-file=/etc/accord/imap.pw
///     imaps://support%40plmgroup.dk@outlook.office365.com/INBOX?auth=xoauth2&token-file=/run/accord/imap.token
///
/// What was stored is marked, moved or deleted only after the desk committed it; what could not be
/// stored stays as it was, to be fetched again.
public struct IMAPMailbox: Sendable, Equatable, CustomStringConvertible {
    /// What becomes of a message once the desk stored it.
    public enum After: Sendable, Equatable {
        /// Marked `\Seen`; only unseen messages are fetched.
        case seen
        /// Moved to this folder (created when missing); every message in the folder is fetched.
        case move(String)
        /// Deleted (expunged by its UID); every message in the folder is fetched.
        case delete
    }

    /// How the desk signs in.
    public enum Credential: Sendable, Equatable {
        /// A password (AUTHENTICATE PLAIN, else LOGIN).
        case password(String)
        /// An OAuth 2 access token (SASL XOAUTH2, as Microsoft 365 and Google require), read from
        /// this file at each sign-in: a token helper keeps it fresh (tokens live about an hour).
        case oauthTokenFile(String)
        /// OAuth 2 with access tokens the desk gets itself from the provider's token endpoint with
        /// a refresh token (see `OAuthAccessTokens`).
        case oauthRefresh(OAuthRefresh)
    }

    /// Where and how the desk renews its access tokens.
    public struct OAuthRefresh: Sendable, Equatable {
        /// The token endpoint (Microsoft: https://login.microsoftonline.com/TENANT/oauth2/v2.0/token;
        /// Google: https://oauth2.googleapis.com/token).
        public var tokenURL: String
        public var clientID: String
        /// A file holding the client secret, for a confidential client (Google's always are).
        public var clientSecretFile: String?
        /// The file holding the refresh token; a rotated one is written back to it.
        public var refreshTokenFile: String
        public var scope: String?

        public init(tokenURL: String, clientID: String, clientSecretFile: String? = nil, refreshTokenFile: String, scope: String? = nil) {
            self.tokenURL = tokenURL
            self.clientID = clientID
            self.clientSecretFile = clientSecretFile
            self.refreshTokenFile = refreshTokenFile
            self.scope = scope
        }
    }

    public var host: String
    public var port: Int
    /// TLS from the first byte (`imaps`); plain IMAP (`imap`) only to this host's loopback.
    public var tls: Bool
    public var user: String
    public var credential: Credential
    public var folder: String
    public var after: After
    /// The envelope recipient the desk reads its messages as delivered to (the mailbox's address:
    /// it selects the region); by default the user, when it is an address.
    public var recipient: String?
    /// A PEM file of authorities trusted for this server besides the system's.
    public var trustedCertificates: String?

    public init(host: String, port: Int, tls: Bool, user: String, credential: Credential, folder: String = "INBOX", after: After = .seen,
                recipient: String? = nil, trustedCertificates: String? = nil) {
        self.host = host
        self.port = port
        self.tls = tls
        self.user = user
        self.credential = credential
        self.folder = folder
        self.after = after
        self.recipient = recipient
        self.trustedCertificates = trustedCertificates
    }

    /// Names the mailbox for logs and leases, without its password.
    public var description: String { "\(tls ? "imaps" : "imap")://\(user)@\(host):\(port)/\(folder)" }

    /// Why a mailbox URL cannot be used.
    public struct Problem: Error, CustomStringConvertible {
        public let description: String
    }

    /// The mailbox a URL names; the password comes from the file its `password-file` names (first
    /// line) or the environment variable `password-env` names — never from the URL itself; with
    /// `auth=xoauth2`, an OAuth 2 access token from the file `token-file` names, read again at each
    /// sign-in.
    public static func parse(_ text: String, environment: [String: String], readFile: (String) -> Data?) throws -> IMAPMailbox {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw Problem(description: "'\(text)' is not a URL such as imaps://user@host/INBOX?password-file=PATH")
        }
        guard scheme == "imaps" || scheme == "imap" else { throw Problem(description: "the scheme must be imaps (or imap to this host's loopback), not \(scheme)") }
        guard let host = components.host, !host.isEmpty else { throw Problem(description: "the URL names no host") }
        let loopback = ["127.0.0.1", "::1", "localhost"].contains(host.lowercased())
        guard scheme == "imaps" || loopback else {
            throw Problem(description: "imap:// sends the password in clear: use imaps:// (TLS), or plain IMAP only to 127.0.0.1")
        }
        let port = components.port ?? (scheme == "imaps" ? 993 : 143)
        guard (1...65535).contains(port) else { throw Problem(description: "the port must be between 1 and 65535, not \(port)") }
        guard let user = components.user, !user.isEmpty else { throw Problem(description: "the URL names no user (imaps://USER@host/…; write @ in it as %40)") }
        guard components.password == nil else { throw Problem(description: "a password in the URL would be seen by anyone listing processes: give password-file= or password-env=") }
        var folder = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        if folder.isEmpty { folder = "INBOX" }
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] {
            let settings = ["after", "auth", "password-file", "password-env", "token-file", "token-url", "client-id", "client-secret-file",
                            "refresh-token-file", "scope", "recipient", "ca-file"]
            guard settings.contains(item.name) else {
                throw Problem(description: "unknown setting '\(item.name)'; settings: \(settings.joined(separator: ", "))")
            }
            guard query[item.name] == nil else { throw Problem(description: "'\(item.name)' is given twice") }
            query[item.name] = item.value ?? ""
        }
        let after: After
        switch query["after"] ?? "seen" {
        case "seen": after = .seen
        case "delete": after = .delete
        case let value where value.hasPrefix("move:") && value.count > 5: after = .move(String(value.dropFirst(5)))
        case let value: throw Problem(description: "after must be seen, move:FOLDER or delete, not '\(value)'")
        }
        /// A file of `setting` must be readable and hold a token (or secret) on its first line.
        func requireToken(_ setting: String, _ path: String, holding what: String) throws {
            guard let data = readFile(path) else { throw Problem(description: "\(setting): cannot read \(path)") }
            guard Self.isUsableToken(OperatorPassword.firstLine(of: data)) else {
                throw Problem(description: "\(setting): \(path) must hold \(what) on its first line (printable, up to 8,192 characters)")
            }
        }
        let credential: Credential
        switch query["auth"] ?? "password" {
        case "password":
            if let oauth = ["token-file", "token-url", "client-id", "client-secret-file", "refresh-token-file", "scope"].first(where: { query[$0] != nil }) {
                throw Problem(description: "\(oauth) is for auth=xoauth2")
            }
            let password: String
            switch (query["password-file"], query["password-env"]) {
            case (let path?, nil):
                guard let data = readFile(path) else { throw Problem(description: "password-file: cannot read \(path)") }
                password = OperatorPassword.firstLine(of: data)
            case (nil, let name?):
                guard let value = environment[name] else { throw Problem(description: "password-env: \(name) is not set") }
                password = value
            case (nil, nil): throw Problem(description: "give the password with password-file=PATH or password-env=NAME (or auth=xoauth2&token-file=PATH)")
            case (_?, _?): throw Problem(description: "give password-file or password-env, not both")
            }
            guard OperatorPassword.isUsable(password) else {
                throw Problem(description: "the password must be one line of 1 to 1,024 characters")
            }
            credential = .password(password)
        case "xoauth2":
            guard query["password-file"] == nil, query["password-env"] == nil else {
                throw Problem(description: "auth=xoauth2 signs in with an access token (token-file=PATH), not a password")
            }
            if let url = query["token-url"] {
                // The desk renews its tokens itself.
                guard query["token-file"] == nil else { throw Problem(description: "give token-file (a helper renews the token) or token-url (the desk does), not both") }
                guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), let tokenHost = parsed.host, !tokenHost.isEmpty,
                      scheme == "https" || (scheme == "http" && ["127.0.0.1", "::1", "localhost"].contains(tokenHost.lowercased())) else {
                    throw Problem(description: "token-url must be the provider's https token endpoint (http only to 127.0.0.1)")
                }
                guard let client = query["client-id"], !client.isEmpty, client.count <= 200 else {
                    throw Problem(description: "token-url needs client-id=ID: the application registered with the provider")
                }
                guard let path = query["refresh-token-file"], !path.isEmpty else {
                    throw Problem(description: "token-url needs refresh-token-file=PATH: the refresh token the support account's consent gave")
                }
                try requireToken("refresh-token-file", path, holding: "it")
                if let secret = query["client-secret-file"] { try requireToken("client-secret-file", secret, holding: "it") }
                credential = .oauthRefresh(OAuthRefresh(tokenURL: url, clientID: client, clientSecretFile: query["client-secret-file"],
                                                        refreshTokenFile: path, scope: query["scope"].flatMap { $0.isEmpty ? nil : $0 }))
            } else {
                if let refresh = ["client-id", "client-secret-file", "refresh-token-file", "scope"].first(where: { query[$0] != nil }) {
                    throw Problem(description: "\(refresh) is for token-url (the desk renewing its tokens)")
                }
                guard let path = query["token-file"], !path.isEmpty else {
                    throw Problem(description: "auth=xoauth2 needs token-file=PATH (a file a token helper keeps a current access token in) or token-url=… with client-id and refresh-token-file")
                }
                // Checked now, so a wrong path is said at start; read again at each sign-in.
                try requireToken("token-file", path, holding: "an access token")
                credential = .oauthTokenFile(path)
            }
        case let value:
            throw Problem(description: "auth must be password or xoauth2, not '\(value.prefix(40))'")
        }
        let recipient = query["recipient"] ?? (CaseService.isEmail(user) ? user.lowercased() : nil)
        if let recipient, !CaseService.isEmail(recipient) { throw Problem(description: "recipient must be an email address, not '\(recipient)'") }
        var folders = [folder]
        if case .move(let destination) = after { folders.append(destination) }
        for name in folders {
            guard !name.isEmpty, name.count <= 200, !name.contains(where: { $0.isNewline || $0 == "\0" }) else {
                throw Problem(description: "a folder name must be one line of 1 to 200 characters")
            }
        }
        return IMAPMailbox(host: host, port: port, tls: scheme == "imaps", user: user, credential: credential, folder: folder, after: after,
                           recipient: recipient, trustedCertificates: query["ca-file"])
    }

    /// An access token as a SASL XOAUTH2 exchange can carry it: printable ASCII, no spaces.
    static func isUsableToken(_ token: String) -> Bool {
        (1...8192).contains(token.utf8.count) && token.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }
}
