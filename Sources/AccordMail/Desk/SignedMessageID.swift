/// The desk's own Message-IDs, which say which case a message belongs to and prove the desk wrote
/// them: `accord.<case>.<unique>.<signature>@<domain>`, the signature the first 12 bytes of an
/// HMAC-SHA256 of `<case>.<unique>` with the desk's secret. A reply's `In-Reply-To` naming one
/// threads into its case; an identifier someone made up, or one signed with another desk's secret,
/// is just an identifier.
public struct SignedMessageID: Sendable {
    /// The HMAC-SHA256 to sign with (given by the caller: this target does no cryptography of its own).
    public let mac: @Sendable ([UInt8]) -> [UInt8]
    public let domain: String

    public init(domain: String, mac: @escaping @Sendable ([UInt8]) -> [UInt8]) {
        self.domain = domain
        self.mac = mac
    }

    /// A new identifier for a message about `caseID` (32 hex digits), unique by `unique`.
    public func make(caseID: String, unique: String) -> String {
        "accord.\(caseID).\(unique).\(signature(caseID, unique))@\(domain)"
    }

    /// The case a signed identifier names, or nil when it is not one of this desk's.
    public func caseID(of messageID: String) -> String? {
        guard let at = messageID.lastIndex(of: "@") else { return nil }
        let parts = messageID[..<at].split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "accord", parts[1].count == 32, parts[1].allSatisfy(\.isHexDigit),
              (1...64).contains(parts[2].count), parts[2].allSatisfy({ $0.isLetter || $0.isNumber }) else { return nil }
        let expected = signature(String(parts[1]), String(parts[2]))
        // Compared without stopping at the first difference.
        guard parts[3].count == expected.count else { return nil }
        let same = zip(parts[3].utf8, expected.utf8).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
        return same ? String(parts[1]) : nil
    }

    private func signature(_ caseID: String, _ unique: String) -> String {
        mac(Array("\(caseID).\(unique)".utf8)).prefix(12).map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
        }.joined()
    }
}
