@testable import AccordMailGate
import Testing

/// The gateway's options as a mail server's command line gives them; every mistake is named.
struct GateOptionsTests {
    let files = ["/etc/accord/token": "acm_abc\n", "/empty": " \n", "/two-lines": "acm_a\nacm_b"]

    func parse(_ arguments: [String], environment: [String: String] = [:]) throws(GateFailure) -> GateOptions? {
        try GateOptions.parse(arguments, environment: environment, readFile: { files[$0] })
    }

    @Test func readsEveryOptionInBothForms() throws {
        let options = try #require(try parse(["--url=http://desk.example:8080/accord/", "--token-file", "/etc/accord/token",
                                               "--recipient", "support@plmgroup.dk", "--timeout=30", "--recipient-header", "x-original-to"]))
        #expect(options.url == DeskURL("http://desk.example:8080/accord"))
        #expect(options.url.path == "/accord" && options.url.port == 8080 && options.url.host == "desk.example")
        #expect(options.token == "acm_abc" && options.recipient == "support@plmgroup.dk" && options.timeout == 30)
        #expect(options.recipientHeader == .originalTo)
    }

    @Test func theEnvironmentFillsWhatTheOptionsLeaveOut() throws {
        let options = try #require(try parse([], environment: ["ACCORD_URL": "http://[::1]:9000", "ACCORD_MAILGATE_TOKEN": "acm_env"]))
        #expect(options.url.host == "::1" && options.url.port == 9000 && options.url.hostField == "[::1]:9000")
        #expect(options.token == "acm_env" && options.timeout == 60 && options.recipient == nil)
        let defaults = try #require(try parse([], environment: ["ACCORD_MAILGATE_TOKEN": "acm_env"]))
        #expect(defaults.url == DeskURL("http://127.0.0.1:8080"))
    }

    @Test func helpIsAskedForWithEitherSpelling() throws {
        #expect(try parse(["--help"]) == nil)
        #expect(try parse(["--url", "http://x", "-h"]) == nil)
        #expect(GateOptions.help(command: "accord-mailgate").contains("argv=/usr/local/bin/accord-mailgate --url"))
    }

    @Test(arguments: [
        (["--bogus"], "unknown option '--bogus'"),
        (["--url"], "--url needs a value"),
        (["--url", "--timeout", "5"], "--url needs a value"),
        (["--url", "http://a", "--url", "http://b"], "--url is given twice"),
        (["--url", "ftp://x"], "--url must be the desk's http(s) URL; got 'ftp://x'"),
        (["--url", "http://"], "--url must be the desk's http(s) URL"),
        (["--url", "http://x:0"], "--url must be the desk's http(s) URL"),
        (["--url", "http://x:65536"], "--url must be the desk's http(s) URL"),
        (["--url", "http://[::1"], "--url must be the desk's http(s) URL"),
        (["--url", "http://user@x"], "--url must be the desk's http(s) URL"),
        (["--url", "http://x/?q=1"], "--url must be the desk's http(s) URL"),
        (["--timeout", "0"], "--timeout must be 1 to 3600 seconds, not '0'"),
        (["--timeout", "3601"], "--timeout must be 1 to 3600 seconds, not '3601'"),
        (["--timeout", "ten"], "--timeout must be 1 to 3600 seconds, not 'ten'"),
        (["--recipient-header", "Subject"], "--recipient-header must be Delivered-To or X-Original-To, not 'Subject'"),
        (["--token-file", "/missing"], "--token-file '/missing' cannot be read or is empty"),
        (["--token-file", "/empty"], "--token-file '/empty' cannot be read or is empty"),
        (["--token-file", "/two-lines"], "one line of printable ASCII"),
        ([], "give a mail-gateway token: --token-file FILE, or ACCORD_MAILGATE_TOKEN"),
        (["--token-file", "/etc/accord/token", "--recipient", "a b@x"], "--recipient 'a b@x' is not an address"),
    ])
    func aMistakeIsNamed(arguments: [String], message: String) {
        #expect {
            _ = try parse(arguments)
        } throws: { error in
            (error as? GateFailure)?.description.contains(message) == true
        }
    }
}
