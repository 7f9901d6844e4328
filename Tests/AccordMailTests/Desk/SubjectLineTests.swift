import Testing

@testable import AccordMail

/// Case tags found and reply prefixes of our customers' languages stripped.
@Suite struct SubjectLineTests {
    @Test func tags() {
        #expect(SubjectLine.caseTags(in: "Re: [PLM-2026-000123] Printer [x] [plm-2026-000124]") == ["PLM-2026-000123", "PLM-2026-000124"])
        #expect(SubjectLine.caseTags(in: "[PLM-26-000123] [PLM-2026-12] [PLM 2026 000123] [-2026-000123] [PLM-2026-000123") == [])
    }

    @Test(arguments: [
        "Re: Printer down", "RE: AW: Printer down", "SV: VS: VB: Printer down", "WG: Antw: Printer down", "Vá: Printer down",
        "Re[2]: Printer down", "Re^3: Fwd: Printer down", "FW: TR: RV: Odp: Printer down", "Re: [PLM-2026-000123] Printer down",
        "[PLM-2026-000123] Re: Printer   down", "Printer down [PLM-2026-000123]", "  Printer down ",
    ]) func replyPrefixesStripped(_ subject: String) {
        #expect(SubjectLine.stripped(subject) == "Printer down")
    }

    @Test func wordsThatOnlyLookLikePrefixesStay() {
        #expect(SubjectLine.stripped("Reboot: the server") == "Reboot: the server")
        #expect(SubjectLine.stripped("Status: red") == "Status: red")
    }
}
