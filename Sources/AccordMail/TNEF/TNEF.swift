import Foundation

/// Outlook's Transport-Neutral Encapsulation Format ([MS-OXTNEF]), the `winmail.dat` part
/// (`application/ms-tnef`) that Exchange and Outlook send in place of ordinary MIME: the files
/// inside it and the message's text, as TNEF carries them — plain text, HTML, or compressed RTF.
///
/// A stream is the signature `0x223E9F78`, a key, then attributes: a level (1 the message, 2 an
/// attachment), an id, a length, the bytes and a checksum. Each attachment starts with
/// `attAttachRenddata`; its name is `attAttachTitle` (8.3 at worst) or, better, the long file name
/// among its MAPI properties (`attAttachment`); its bytes are the value of `PR_ATTACH_DATA_BIN`/`OBJ`
/// among them (an object after its 16-byte interface id), else `attAttachData`. Reading never fails: damage (a bad checksum, a truncated attribute,
/// garbage after the end) keeps what was read before it; `nil` only when the signature is not there.
public struct TNEF: Sendable, Equatable {
    public struct File: Sendable, Equatable {
        /// The long file name, else the short one; nil when the stream names none.
        public let name: String?
        /// The MIME type Outlook recorded for it, if any.
        public let contentType: String?
        public let bytes: [UInt8]
    }

    public let files: [File]
    /// The message's plain text, when the stream carries one (`attBody` or `PR_BODY`).
    public let text: String?
    /// The message's HTML (`PR_BODY_HTML`).
    public let html: String?
    /// The message's RTF, decompressed (`PR_RTF_COMPRESSED`).
    public let rtf: [UInt8]?

    /// The readable text of the RTF (see `RTFText`), for a message sent in rich text only.
    public var richText: String? { rtf.map(RTFText.text) }

    static let signature: UInt32 = 0x223E_9F78

    /// Whether a MIME part is a TNEF stream: its type, or Outlook's file name for it.
    public static func isTNEF(contentType: String, filename: String?) -> Bool {
        ["application/ms-tnef", "application/vnd.ms-tnef"].contains(contentType.lowercased()) || filename?.lowercased() == "winmail.dat"
    }

    public init?(_ bytes: [UInt8]) {
        var reader = ByteReader(bytes)
        guard reader.uint32() == Self.signature, reader.uint16() != nil else { return nil }
        var files: [PendingFile] = []
        var text: String?
        var html: String?
        var rtf: [UInt8]?
        var codepage: UInt32 = 1252
        var internetCodepage: UInt32?
        while let level = reader.uint8(), let tagged = reader.uint32(), let length = reader.uint32() {
            // A length past the end: the stream is cut short; what came before stands.
            guard let data = reader.bytes(Int(length)), reader.uint16() != nil else { break }
            // The id is the low word; writers disagree on the type in the high one (text or string).
            switch (level, UInt16(truncatingIfNeeded: tagged)) {
            case (_, Attribute.oemCodepage):
                var fields = ByteReader(data)
                codepage = fields.uint32() ?? codepage
            case (2, Attribute.attachRenddata):
                files.append(PendingFile())
            case (2, Attribute.attachTitle):
                if files.isEmpty { files.append(PendingFile()) }
                files[files.count - 1].title = Self.string8(data, codepage: codepage)
            case (2, Attribute.attachData):
                if files.isEmpty { files.append(PendingFile()) }
                files[files.count - 1].data = data
            case (2, Attribute.attachment):
                if files.isEmpty { files.append(PendingFile()) }
                for property in MAPIProperties.read(data) {
                    switch property.id {
                    case MAPIProperties.attachLongFilename: files[files.count - 1].longName = property.string(codepage: codepage)
                    case MAPIProperties.attachMimeTag: files[files.count - 1].mimeTag = property.string(codepage: codepage)
                    case MAPIProperties.attachDataObject: files[files.count - 1].object = property.object
                    case MAPIProperties.displayName: files[files.count - 1].displayName = property.string(codepage: codepage)
                    default: break
                    }
                }
            case (1, Attribute.body):
                text = Self.string8(data, codepage: codepage)
            case (1, Attribute.mapiProperties):
                let properties = MAPIProperties.read(data)
                // HTML and text stored as bytes are in the message's internet code page.
                if let value = properties.first(where: { $0.id == MAPIProperties.internetCodepage })?.value {
                    var fields = ByteReader(value)
                    internetCodepage = fields.uint32()
                }
                for property in properties {
                    switch property.id {
                    case MAPIProperties.body, MAPIProperties.uncompressedBody: text = text ?? property.string(codepage: internetCodepage ?? codepage)
                    case MAPIProperties.bodyHTML: html = property.string(codepage: internetCodepage ?? codepage)
                    case MAPIProperties.rtfCompressed: rtf = property.value.flatMap(CompressedRTF.decompress)
                    default: break
                    }
                }
            default:
                break
            }
        }
        self.files = files.compactMap(\.file)
        self.text = text.flatMap { $0.isEmpty ? nil : $0 }
        self.html = html.flatMap { $0.isEmpty ? nil : $0 }
        self.rtf = rtf
    }

    /// An 8-bit string of the stream's code page, its terminating NULs dropped.
    static func string8(_ bytes: [UInt8], codepage: UInt32) -> String {
        var bytes = bytes
        while bytes.last == 0 { bytes.removeLast() }
        // Windows names most code pages CPnnnn, as Charsets reads them (CP1252, CP932, CP936, CP949, CP950…);
        // these few go by their charset names.
        let charset = switch codepage {
        case 65001: "utf-8"
        case 28591...28599: "iso-8859-\(codepage - 28590)"
        case 20127: "us-ascii"
        case 50220: "iso-2022-jp"
        case 20866: "koi8-r"
        default: "cp\(codepage)"
        }
        return Charsets.decode(bytes, charset: charset).text
    }

    /// The attribute ids TNEF readers need (the low word of the attribute; the high one is its type).
    enum Attribute {
        static let body: UInt16 = 0x800C
        static let attachData: UInt16 = 0x800F
        static let attachTitle: UInt16 = 0x8010
        static let attachRenddata: UInt16 = 0x9002
        static let mapiProperties: UInt16 = 0x9003
        static let attachment: UInt16 = 0x9005
        static let oemCodepage: UInt16 = 0x9007
    }

    /// An attachment as its attributes arrive, in any order.
    private struct PendingFile {
        var title: String?
        var longName: String?
        var displayName: String?
        var mimeTag: String?
        var data: [UInt8]?
        var object: [UInt8]?

        var file: File? {
            // The MAPI value when there is one: an embedded message has only a stub in attAttachData.
            guard let bytes = object ?? data else { return nil }
            let name = [longName, title, displayName].lazy.compactMap { $0?.trimmingCharacters(in: .whitespacesAndNewlines) }.first { !$0.isEmpty }
            return File(name: name, contentType: mimeTag.flatMap { $0.isEmpty ? nil : $0.lowercased() }, bytes: bytes)
        }
    }
}

/// Little-endian reading over bytes that may end anywhere: each read is nil past the end.
struct ByteReader {
    private let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var remaining: Int { bytes.count - offset }

    mutating func uint8() -> UInt8? {
        guard remaining >= 1 else { return nil }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func uint16() -> UInt16? {
        guard remaining >= 2 else { return nil }
        defer { offset += 2 }
        return UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    mutating func uint32() -> UInt32? {
        guard remaining >= 4 else { return nil }
        defer { offset += 4 }
        return (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
    }

    mutating func bytes(_ count: Int) -> [UInt8]? {
        guard count >= 0, remaining >= count else { return nil }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    mutating func skip(_ count: Int) -> Bool {
        guard count >= 0, remaining >= count else { return false }
        offset += count
        return true
    }
}
