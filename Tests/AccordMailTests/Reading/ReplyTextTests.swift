import Testing

@testable import AccordMail

/// What a person wrote in a reply, apart from the history and signature their mailer added.
@Suite struct ReplyTextTests {
    @Test(arguments: [
        ("Gmail", "Thanks, that fixed it.\n\nOn Tue, 3 Mar 2026 at 10:00, PLM Support <support@plmgroup.dk> wrote:\n> Please restart the service.\n"),
        ("Gmail, wrapped", "Thanks, that fixed it.\n\nOn Tue, 3 Mar 2026 at 10:00, PLM Support <support@plmgroup.dk>\nwrote:\n> Please restart.\n"),
        ("Apple Mail", "Thanks, that fixed it.\n\n> On 3 Mar 2026, at 10:00, PLM Support <support@plmgroup.dk> wrote:\n> \n> Please restart.\n"),
        ("Thunderbird", "Thanks, that fixed it.\n\nOn 03/03/2026 10:00, PLM Support wrote:\n> Please restart.\n"),
        ("Thunderbird, German", "Thanks, that fixed it.\n\nAm 03.03.26 um 10:00 schrieb PLM Support:\n> Bitte neu starten.\n"),
        ("Danish", "Thanks, that fixed it.\n\nDen 3. mar. 2026 kl. 10.00 skrev PLM Support <support@plmgroup.dk>:\n> Genstart venligst.\n"),
        ("Outlook", "Thanks, that fixed it.\n\n-----Original Message-----\nFrom: PLM Support\nSent: Tuesday, March 3, 2026 10:00 AM\n\nPlease restart.\n"),
        ("Outlook, header block", "Thanks, that fixed it.\n\n________________________________\nFrom: PLM Support <support@plmgroup.dk>\nSent: Tuesday, March 3, 2026 10:00\nTo: Ann\nSubject: RE: [PLM-2026-000123]\n\nPlease restart.\n"),
        ("Outlook, German", "Thanks, that fixed it.\n\nVon: PLM Support <support@plmgroup.dk>\nGesendet: Dienstag, 3. März 2026 10:00\nAn: Ann\n"),
        ("The desk's marker", "Thanks, that fixed it.\n\n-- Please reply above this line --\nPLM Support wrote on 3 March: Please restart.\n"),
        ("Quoted lines only", "Thanks, that fixed it.\n\n> Please restart.\n>\n> PLM Support\n"),
    ]) func historyIsFoldedAway(_ mailer: String, _ text: String) {
        let reply = ReplyText(text)
        #expect(reply.written == "Thanks, that fixed it.", "\(mailer)")
        #expect(reply.quoted != nil, "\(mailer)")
    }

    @Test func aSignatureIsFoldedAndPlainMailIsKept() {
        let reply = ReplyText("The disk is full.\r\nOn the new server too.\r\n\r\n-- \r\nAnn Berg\r\nAcme IT\r\n")
        #expect(reply.written == "The disk is full.\nOn the new server too.")
        #expect(reply.signature == "Ann Berg\nAcme IT" && reply.quoted == nil)
        let plain = ReplyText("On the new server the disk is full.\nFrom: the monitoring, not from us.\n")
        #expect(plain.written == "On the new server the disk is full.\nFrom: the monitoring, not from us." && plain.quoted == nil)
    }
}
