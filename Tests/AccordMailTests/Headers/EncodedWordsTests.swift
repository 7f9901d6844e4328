import Testing

@testable import AccordMail

/// RFC 2047 encoded words, with the RFC's own examples (section 8).
@Suite struct EncodedWordsTests {
    @Test(arguments: [
        ("(=?ISO-8859-1?Q?a?=)", "(a)"),
        ("(=?ISO-8859-1?Q?a?= b)", "(a b)"),
        ("(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)", "(ab)"),
        ("(=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=)", "(ab)"),
        ("(=?ISO-8859-1?Q?a?=    =?ISO-8859-1?Q?b?=)", "(ab)"),
        ("(=?ISO-8859-1?Q?a_b?=)", "(a b)"),
        ("(=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=)", "(a b)"),
        ("=?US-ASCII?Q?Keith_Moore?= <moore@cs.utk.edu>", "Keith Moore <moore@cs.utk.edu>"),
        ("=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?= <keld@dkuug.dk>", "Keld Jørn Simonsen <keld@dkuug.dk>"),
        ("=?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>", "André Pirard <PIRARD@vm1.ulg.ac.be>"),
        ("=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?= =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=",
         "If you can read this you understand the example."),
    ]) func theRFCsExamples(_ encoded: String, _ decoded: String) {
        #expect(EncodedWords.decode(encoded) == decoded)
    }

    @Test func aCharacterSplitAcrossWordsComesOutWhole() {
        // "日本" in UTF-8 is E6 97 A5 E6 9C AC; a mailer split it after the fourth byte.
        #expect(EncodedWords.decode("=?UTF-8?B?5pel5g==?= =?UTF-8?B?nKw=?=") == "日本")
    }

    @Test func whatOnlyLooksLikeAWordStays() {
        #expect(EncodedWords.decode("=?utf-8?x?abc?=") == "=?utf-8?x?abc?=")
        #expect(EncodedWords.decode("=?utf-8?q?a b?=") == "=?utf-8?q?a b?=", "no white space inside a word")
        #expect(EncodedWords.decode("Price =?? 5") == "Price =?? 5")
        #expect(EncodedWords.decode("=?utf-8?q?unterminated") == "=?utf-8?q?unterminated")
        #expect(EncodedWords.decode("plain text") == "plain text")
    }

    @Test func damagedBase64StillReads() {
        #expect(EncodedWords.decode("=?utf-8?b?SGVsbG8?=") == "Hello", "missing padding")
        #expect(EncodedWords.decode("=?utf-8?b?SGVs!bG8=?=") == "Hello", "a stray character skipped")
    }
}
