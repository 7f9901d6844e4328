import Testing

@testable import AccordMail

/// A sender vouched for by the desk's own mail server, and only by it.
@Suite struct AuthenticationResultsTests {
    func confirms(_ fields: String, _ domain: String = "acme.test") -> Bool {
        AuthenticationResults.confirms(MessageHeaders(parsing: Array((fields + "\n\nbody").utf8)), senderDomain: domain, authservID: "mx.desk.test")
    }

    @Test func alignedPassesConfirm() {
        #expect(confirms("Authentication-Results: mx.desk.test; dmarc=pass (p=reject) header.from=acme.test"))
        #expect(confirms("Authentication-Results: mx.desk.test;\n dkim=pass header.d=mail.acme.test header.s=s1;\n spf=fail smtp.mailfrom=x@other.test"))
        #expect(confirms("Authentication-Results: mx.desk.test; spf=pass smtp.mailfrom=bounce@acme.test"))
    }

    @Test func failuresMisalignmentAndOtherServersDoNot() {
        #expect(!confirms("Authentication-Results: mx.desk.test; dmarc=fail header.from=acme.test"))
        #expect(!confirms("Authentication-Results: mx.desk.test; dkim=pass header.d=evil.test"))
        #expect(!confirms("Authentication-Results: mx.evil.test; dmarc=pass header.from=acme.test"), "another server's word")
        #expect(!confirms("Authentication-Results: mx.desk.test; dmarc=fail header.from=acme.test\nAuthentication-Results: mx.desk.test; dmarc=pass header.from=acme.test"),
                "only the topmost field of the desk's server counts: a lower one came with the message")
        #expect(!confirms("Subject: none"))
        #expect(!confirms("Authentication-Results: mx.desk.test; dmarc=pass header.from=notacme.test"))
    }
}
