@testable import AccordServer
import Foundation
import NIOCore
import Testing

/// `--imap` URLs read into a mailbox, each unusable one refused naming what is wrong; and the IMAP
/// server's responses split into lines and literals however the bytes arrive.
@Suite struct IMAPMailboxTests {
    static func parse(_ url: String, environment: [String: String] = ["IMAP_PW": "s3cret"],
                      files: [String: String] = ["/pw": "s3cret\n", "/spaced": "Bearer hunter2 s3cret\n"]) throws -> IMAPMailbox {
        try IMAPMailbox.parse(url, environment: environment) { files[$0].map { Data($0.utf8) } }
    }

    @Test func aHostedMailboxReadsAsItsURLSays() throws {
        let mailbox = try Self.parse("imaps://support%40plmgroup.dk@outlook.office365.com/INBOX?after=move:Accord&password-file=/pw")
        #expect(mailbox == IMAPMailbox(host: "outlook.office365.com", port: 993, tls: true, user: "support@plmgroup.dk", credential: .password("s3cret"),
                                       folder: "INBOX", after: .move("Accord"), recipient: "support@plmgroup.dk"))
        #expect("\(mailbox)" == "imaps://support@plmgroup.dk@outlook.office365.com:993/INBOX")
        let local = try Self.parse("imap://desk@127.0.0.1:1143/Support?password-env=IMAP_PW&after=delete&recipient=support@plmgroup.no")
        #expect(local.port == 1143 && !local.tls && local.folder == "Support" && local.after == .delete && local.recipient == "support@plmgroup.no")
        #expect(try Self.parse("imaps://desk@mail.test?password-env=IMAP_PW").folder == "INBOX")
        #expect(try Self.parse("imaps://desk@mail.test?password-env=IMAP_PW").recipient == nil, "a user that is no address selects no mailbox")
        // Microsoft 365 and Google: an OAuth 2 access token a helper keeps in a file, read at each sign-in.
        let hosted = try Self.parse("imaps://support%40plmgroup.dk@outlook.office365.com/INBOX?auth=xoauth2&token-file=/token",
                                    files: ["/token": "eyJ0eXAiOiJKV1Qi.payload.signature\n"])
        #expect(hosted.credential == .oauthTokenFile("/token") && hosted.user == "support@plmgroup.dk")
        #expect(try Self.parse("imaps://desk@mail.test?auth=password&password-file=/pw").credential == .password("s3cret"))
        // Or the desk renews the access tokens itself, from the provider's token endpoint.
        let renewing = try Self.parse("imaps://support%40plmgroup.dk@imap.gmail.com/INBOX?auth=xoauth2&token-url=https://oauth2.googleapis.com/token"
                                      + "&client-id=123.apps.googleusercontent.com&client-secret-file=/pw&refresh-token-file=/token&scope=https://mail.google.com/",
                                      files: ["/token": "1//0refresh\n", "/pw": "s3cret\n"])
        #expect(renewing.credential == .oauthRefresh(.init(tokenURL: "https://oauth2.googleapis.com/token", clientID: "123.apps.googleusercontent.com",
                                                           clientSecretFile: "/pw", refreshTokenFile: "/token", scope: "https://mail.google.com/")))
    }

    @Test func unusableURLsAreRefusedSayingWhy() {
        for (url, problem) in [
            ("mail.test", "is not a URL such as imaps://user@host/INBOX"),
            ("pop3://desk@mail.test?password-env=IMAP_PW", "the scheme must be imaps"),
            ("imap://desk@mail.test?password-env=IMAP_PW", "imap:// sends the password in clear"),
            ("imaps://mail.test?password-env=IMAP_PW", "the URL names no user"),
            ("imaps://desk:hunter2@mail.test", "a password in the URL would be seen by anyone listing processes"),
            ("imaps://desk@mail.test", "give the password with password-file=PATH or password-env=NAME"),
            ("imaps://desk@mail.test?password-file=/missing", "password-file: cannot read /missing"),
            ("imaps://desk@mail.test?password-env=NOPE", "password-env: NOPE is not set"),
            ("imaps://desk@mail.test?password-env=IMAP_PW&password-file=/pw", "give password-file or password-env, not both"),
            ("imaps://desk@mail.test?password-env=IMAP_PW&after=archive", "after must be seen, move:FOLDER or delete, not 'archive'"),
            ("imaps://desk@mail.test?password-env=IMAP_PW&after=move:", "after must be seen, move:FOLDER or delete"),
            ("imaps://desk@mail.test?password-env=IMAP_PW&folder=x", "unknown setting 'folder'"),
            ("imaps://desk@mail.test?password-env=IMAP_PW&after=seen&after=delete", "'after' is given twice"),
            ("imaps://desk@mail.test?password-env=IMAP_PW&recipient=nobody", "recipient must be an email address"),
            ("imaps://desk@mail.test:0?password-env=IMAP_PW", "the port must be between 1 and 65535"),
            ("imaps://desk@mail.test?auth=xoauth2", "auth=xoauth2 needs token-file=PATH"),
            ("imaps://desk@mail.test?auth=xoauth2&token-file=/missing", "token-file: cannot read /missing"),
            ("imaps://desk@mail.test?auth=xoauth2&token-file=/pw&password-env=IMAP_PW", "auth=xoauth2 signs in with an access token"),
            ("imaps://desk@mail.test?auth=xoauth2&token-file=/spaced", "must hold an access token on its first line"),
            ("imaps://desk@mail.test?password-env=IMAP_PW&token-file=/pw", "token-file is for auth=xoauth2"),
            ("imaps://desk@mail.test?auth=kerberos&password-env=IMAP_PW", "auth must be password or xoauth2, not 'kerberos'"),
            ("imaps://desk@mail.test?auth=xoauth2&token-url=http://idp.test/token&client-id=c&refresh-token-file=/pw", "token-url must be the provider's https token endpoint"),
            ("imaps://desk@mail.test?auth=xoauth2&token-url=https://idp.test/token&refresh-token-file=/pw", "token-url needs client-id=ID"),
            ("imaps://desk@mail.test?auth=xoauth2&token-url=https://idp.test/token&client-id=c", "token-url needs refresh-token-file=PATH"),
            ("imaps://desk@mail.test?auth=xoauth2&token-url=https://idp.test/token&client-id=c&refresh-token-file=/missing", "refresh-token-file: cannot read /missing"),
            ("imaps://desk@mail.test?auth=xoauth2&token-url=https://idp.test/token&client-id=c&refresh-token-file=/pw&client-secret-file=/spaced",
             "client-secret-file: /spaced must hold it on its first line"),
            ("imaps://desk@mail.test?auth=xoauth2&token-url=https://idp.test/token&client-id=c&refresh-token-file=/pw&token-file=/pw", "not both"),
            ("imaps://desk@mail.test?auth=xoauth2&token-file=/pw&client-id=c", "client-id is for token-url"),
            ("imaps://desk@mail.test?password-env=IMAP_PW&refresh-token-file=/pw", "refresh-token-file is for auth=xoauth2"),
        ] {
            #expect(throws: IMAPMailbox.Problem.self, "\(url)") { try Self.parse(url) }
            do {
                _ = try Self.parse(url)
            } catch {
                #expect("\(error)".contains(problem), "\(url): \(error)")
                #expect(!"\(error)".contains("hunter2") && !"\(error)".contains("s3cret"))
            }
        }
        #expect(throws: IMAPMailbox.Problem.self) { try Self.parse("imaps://desk@mail.test?password-env=EMPTY", environment: ["EMPTY": ""]) }
    }

    @Test func responsesAreSplitIntoLinesAndLiteralsAsTheyArrive() throws {
        let stream = "* OK [CAPABILITY IMAP4rev1 IDLE] ready\r\n* 1 FETCH (UID 7 BODY[] {12}\r\nHello\r\nWorld)\r\nA1 OK done\r\n* 2 FETCH (BODY[HEADER] {3+}\r\nabc BODY[TEXT] {0}\r\n)\r\n"
        let bytes = Array(stream.utf8)
        // Every way of cutting the stream in two gives the same responses.
        for cut in 0...bytes.count {
            var buffer = ByteBuffer(bytes: bytes[..<cut])
            var responses: [IMAPResponse] = []
            while let response = try IMAPResponseDecoder.parse(&buffer, maxLiteral: 1000, maxLine: 1000) { responses.append(response) }
            buffer.writeBytes(bytes[cut...])
            while let response = try IMAPResponseDecoder.parse(&buffer, maxLiteral: 1000, maxLine: 1000) { responses.append(response) }
            #expect(responses == [
                IMAPResponse(text: "* OK [CAPABILITY IMAP4rev1 IDLE] ready", literals: []),
                IMAPResponse(text: "* 1 FETCH (UID 7 BODY[] {12})", literals: [Array("Hello\r\nWorld".utf8)]),
                IMAPResponse(text: "A1 OK done", literals: []),
                IMAPResponse(text: "* 2 FETCH (BODY[HEADER] {3+} BODY[TEXT] {0})", literals: [Array("abc".utf8), []]),
            ], "cut at \(cut)")
            #expect(buffer.readableBytes == 0)
        }
        var huge = ByteBuffer(string: "* 1 FETCH (BODY[] {5000}\r\n")
        #expect(throws: IMAPResponseDecoder.TooLarge.self) { _ = try IMAPResponseDecoder.parse(&huge, maxLiteral: 1000, maxLine: 1000) }
    }

    @Test func internalDatesAsServersWriteThem() throws {
        #expect(IMAPSession.internalDate(" 6-Dec-2026 10:00:00 +0100") == ISO8601DateFormatter().date(from: "2026-12-06T09:00:00Z"))
        #expect(IMAPSession.internalDate("17-Jul-1996 02:44:25 -0700") == ISO8601DateFormatter().date(from: "1996-07-17T09:44:25Z"))
        for bad in ["", "31-Foo-2026 10:00:00 +0000", "6-Dec-2026 25:00:00 +0000", "6-Dec-2026 10:00:00 0100"] {
            #expect(IMAPSession.internalDate(bad) == nil, "\(bad)")
        }
        #expect(throws: IMAPSession.Failure.self) { try IMAPSession.quoted("Bøger") }
        #expect(try IMAPSession.quoted(#"a "b" \c"#) == #""a \"b\" \\c""#)
    }
}
