import Testing

@testable import AccordMail

/// Address fields as mail readers read them.
@Suite struct MailAddressTests {
    @Test(arguments: [
        ("ann@acme.test", [MailAddress(name: "", address: "ann@acme.test")]),
        ("Ann Berg <ann@acme.test>", [MailAddress(name: "Ann Berg", address: "ann@acme.test")]),
        ("\"Berg, Ann\" <ann@acme.test>, bo@acme.test", [MailAddress(name: "Berg, Ann", address: "ann@acme.test"), MailAddress(name: "", address: "bo@acme.test")]),
        ("\"Ann \\\"the boss\\\" Berg\" <ann@acme.test>", [MailAddress(name: "Ann \"the boss\" Berg", address: "ann@acme.test")]),
        ("ann@acme.test (Ann Berg)", [MailAddress(name: "", address: "ann@acme.test")]),
        ("=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?= <keld@dkuug.dk>", [MailAddress(name: "Keld Jørn Simonsen", address: "keld@dkuug.dk")]),
        ("=?utf-8?q?Ann?= =?utf-8?q?_Berg?= <ann@acme.test>", [MailAddress(name: "Ann Berg", address: "ann@acme.test")]),
        ("Support: a@x.test, b@x.test;, c@y.test", [MailAddress(name: "", address: "a@x.test"), MailAddress(name: "", address: "b@x.test"), MailAddress(name: "", address: "c@y.test")]),
        ("Undisclosed recipients:;", []),
        ("MAILER DAEMON <>", [MailAddress(name: "MAILER DAEMON", address: "<>")]),
        ("Ann < ann @ acme.test >", [MailAddress(name: "Ann", address: "ann@acme.test")]),
        (", ,", []),
    ]) func fields(_ value: String, _ expected: [MailAddress]) {
        #expect(MailAddress.list(value) == expected, "\(value)")
    }

    @Test func damageNeverThrows() {
        #expect(MailAddress.list("\"unterminated <a@b>").count == 1)
        #expect(MailAddress.list("(unterminated comment a@b").isEmpty)
        #expect(MailAddress.list("<unterminated").first?.address == "unterminated")
    }
}
