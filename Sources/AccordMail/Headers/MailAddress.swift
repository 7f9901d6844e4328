/// A mailbox of an address header (`From`, `To`, `Cc`, `Reply-To`): the display name — encoded
/// words decoded, quotes and escapes removed — and the address itself (`local@domain`, as sent;
/// `<>` for the null sender of a bounce). `list(_:)` reads a whole field as mail readers do:
/// mailboxes separated by commas, angle addresses, quoted names with commas inside, comments
/// dropped, groups (`Team: a@x, b@y;`) giving their members, an empty group none. Damage never
/// throws: what cannot be read as a mailbox is kept as an address of its own text.
public struct MailAddress: Equatable, Sendable {
    public let name: String
    public let address: String

    public init(name: String, address: String) {
        self.name = name
        self.address = address
    }

    public static func list(_ value: String) -> [MailAddress] {
        var result: [MailAddress] = []
        var words: [Token] = []
        for token in tokens(value) {
            switch token {
            case .special(","), .special(";"):
                if let mailbox = mailbox(words) { result.append(mailbox) }
                words = []
            case .special(":"):
                // A group's name: its members follow.
                words = []
            default:
                words.append(token)
            }
        }
        if let mailbox = mailbox(words) { result.append(mailbox) }
        return result
    }

    enum Token: Equatable {
        case atom(String)
        case quoted(String)
        case angle(String)
        case special(Character)
    }

    /// The field's tokens: atoms, quoted strings (unescaped), angle addresses and the specials
    /// `, ; :`; comments and white space go.
    static func tokens(_ value: String) -> [Token] {
        var tokens: [Token] = []
        let characters = Array(value)
        var index = 0
        var atom = ""
        func endAtom() {
            if !atom.isEmpty { tokens.append(.atom(atom)) }
            atom = ""
        }
        while index < characters.count {
            let character = characters[index]
            switch character {
            case "\"":
                endAtom()
                var text = ""
                index += 1
                while index < characters.count, characters[index] != "\"" {
                    if characters[index] == "\\", index + 1 < characters.count { index += 1 }
                    text.append(characters[index])
                    index += 1
                }
                tokens.append(.quoted(text))
            case "(":
                endAtom()
                var depth = 1
                index += 1
                while index < characters.count, depth > 0 {
                    if characters[index] == "\\" { index += 1 } else if characters[index] == "(" { depth += 1 } else if characters[index] == ")" { depth -= 1 }
                    index += 1
                }
                continue
            case "<":
                endAtom()
                var text = ""
                index += 1
                while index < characters.count, characters[index] != ">" {
                    if !characters[index].isWhitespace { text.append(characters[index]) }
                    index += 1
                }
                tokens.append(.angle(text))
            case ",", ";", ":":
                endAtom()
                tokens.append(.special(character))
            default:
                if character.isWhitespace { endAtom() } else { atom.append(character) }
            }
            index += 1
        }
        endAtom()
        return tokens
    }

    /// One mailbox from its tokens: `name <address>`, or a bare address.
    static func mailbox(_ words: [Token]) -> MailAddress? {
        guard !words.isEmpty else { return nil }
        if let angleIndex = words.lastIndex(where: { if case .angle = $0 { return true } else { return false } }),
           case .angle(let address) = words[angleIndex] {
            // The name's words joined by single spaces, then decoded: white space between two
            // encoded words goes, as RFC 2047 says.
            let name = words[..<angleIndex].compactMap { token -> String? in
                switch token {
                case .atom(let text), .quoted(let text): text
                default: nil
                }
            }.joined(separator: " ")
            return MailAddress(name: EncodedWords.decode(name), address: address.isEmpty ? "<>" : address)
        }
        let text = words.compactMap { token -> String? in
            switch token {
            case .atom(let text), .quoted(let text): text
            default: nil
            }
        }.joined()
        return text.isEmpty ? nil : MailAddress(name: "", address: text)
    }
}
