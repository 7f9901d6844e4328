import Testing

@testable import AccordMail

/// Structured header values and their parameters: quoting, RFC 2231, encoded words in file names.
@Suite struct HeaderParametersTests {
    @Test func quotedValuesAndNamesWithoutCase() {
        let parsed = HeaderParameters(parsing: #"multipart/mixed; BOUNDARY="a; b \"c\""; charset=utf-8 ;x"#)
        #expect(parsed.value == "multipart/mixed")
        #expect(parsed["boundary"] == #"a; b "c""#)
        #expect(parsed["Charset"] == "utf-8")
        #expect(parsed["x"] == "")
    }

    /// RFC 2231's own examples (sections 3 and 4) and a continuation mixing encoded and plain pieces.
    @Test func rfc2231ContinuationsAndCharsets() {
        let continued = HeaderParameters(parsing: "message/external-body; access-type=URL;\n URL*0=\"ftp://\";\n URL*1=\"cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar\"")
        #expect(continued["url"] == "ftp://cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar")
        let charset = HeaderParameters(parsing: "application/x-stuff; title*=us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A")
        #expect(charset["title"] == "This is ***fun***")
        let mixed = HeaderParameters(parsing: "application/x-stuff; title*0*=us-ascii'en'This%20is%20even%20more%20; title*1*=%2A%2A%2Afun%2A%2A%2A%20; title*2=\"isn't it!\"")
        #expect(mixed["title"] == "This is even more ***fun*** isn't it!")
        let latin = HeaderParameters(parsing: "attachment; filename*=iso-8859-1''St%F6rung.pdf; filename=\"fallback.pdf\"")
        #expect(latin["filename"] == "Störung.pdf", "RFC 2231's form wins over the plain one")
        let outOfOrder = HeaderParameters(parsing: "attachment; filename*1=\"b.txt\"; filename*0=\"a\"")
        #expect(outOfOrder["filename"] == "ab.txt")
    }

    @Test func encodedWordsInAQuotedFileName() {
        let parsed = HeaderParameters(parsing: "attachment; filename=\"=?UTF-8?B?5pel5pys6Kqe?=.pdf\"")
        #expect(parsed["filename"] == "日本語.pdf")
    }

    @Test func damageIsLeftAsSent() {
        #expect(HeaderParameters(parsing: "text/plain; name=\"unterminated").parameters["name"] == "unterminated")
        #expect(HeaderParameters(parsing: "attachment; filename*=utf-8''%E6%9").parameters["filename"] == "\u{FFFD}%9")
        #expect(HeaderParameters(parsing: ";;;=").value == "")
        #expect(HeaderParameters(parsing: "attachment; filename*99999=\"x\"").parameters["filename"] == nil)
    }
}
