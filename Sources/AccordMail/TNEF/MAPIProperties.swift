/// The MAPI property list inside a TNEF attribute ([MS-OXTNEF] 2.1.3.5): a count, then each
/// property's type and id (a named property's GUID and name after it), a value count for
/// variable-length and multi-valued types, and the values, each padded to 4 bytes. Reading stops
/// at the first property it cannot size (an unknown type) or that runs past the end, keeping the
/// ones before it.
enum MAPIProperties {
    struct Property: Sendable, Equatable {
        let type: UInt16
        let id: UInt16
        /// The first value's bytes (without padding); nil for a property without a value.
        let value: [UInt8]?

        /// A string property: UTF-16LE (`PT_UNICODE`) or 8-bit in the stream's code page
        /// (`PT_STRING8`, and binary HTML), without its terminating NULs.
        func string(codepage: UInt32) -> String? {
            guard var bytes = value else { return nil }
            if type & 0x0FFF == PropertyType.unicode {
                var units: [UInt16] = []
                var index = 0
                while index + 1 < bytes.count {
                    units.append(UInt16(bytes[index]) | UInt16(bytes[index + 1]) << 8)
                    index += 2
                }
                while units.last == 0 { units.removeLast() }
                return String(decoding: units, as: UTF16.self)
            }
            while bytes.last == 0 { bytes.removeLast() }
            return TNEF.string8(bytes, codepage: codepage)
        }

        /// An object property's content: an embedded file's bytes after the 16-byte interface id.
        var object: [UInt8]? {
            guard let value else { return nil }
            return type & 0x0FFF == PropertyType.object ? (value.count > 16 ? Array(value.dropFirst(16)) : nil) : value
        }
    }

    enum PropertyType {
        static let string8: UInt16 = 0x001E
        static let unicode: UInt16 = 0x001F
        static let binary: UInt16 = 0x0102
        static let object: UInt16 = 0x000D
        static let multiple: UInt16 = 0x1000

        /// The size of one value of a fixed-size type, as stored (padded); nil for variable types.
        static func fixedSize(_ base: UInt16) -> Int? {
            switch base {
            case 0x0001, 0x0002, 0x0003, 0x0004, 0x000A, 0x000B: return 4   // null, short, long, float, error, boolean
            case 0x0005, 0x0006, 0x0007, 0x0014, 0x0040: return 8           // double, currency, apptime, int64, systime
            case 0x0048: return 16                                          // CLSID
            default: return nil
            }
        }
    }

    static let body: UInt16 = 0x1000
    static let rtfCompressed: UInt16 = 0x1009
    static let bodyHTML: UInt16 = 0x1013
    static let uncompressedBody: UInt16 = 0x3FD9
    static let internetCodepage: UInt16 = 0x3FDE
    static let displayName: UInt16 = 0x3001
    static let attachDataObject: UInt16 = 0x3701
    static let attachLongFilename: UInt16 = 0x3707
    static let attachMimeTag: UInt16 = 0x370E

    static func read(_ bytes: [UInt8]) -> [Property] {
        var reader = ByteReader(bytes)
        guard let count = reader.uint32() else { return [] }
        var properties: [Property] = []
        for _ in 0..<min(Int(count), bytes.count / 4) {
            guard let type = reader.uint16(), let id = reader.uint16() else { break }
            if id >= 0x8000 {
                // A named property: its GUID, then a number or a UTF-16 name.
                guard reader.skip(16), let kind = reader.uint32() else { break }
                if kind == 0 {
                    guard reader.uint32() != nil else { break }
                } else {
                    guard let length = reader.uint32(), reader.skip(padded(Int(length))) else { break }
                }
            }
            let base = type & 0x0FFF
            let multiple = type & PropertyType.multiple != 0
            if let size = PropertyType.fixedSize(base) {
                let values = multiple ? Int(reader.uint32() ?? 0) : 1
                guard values <= reader.remaining / size, let first = reader.bytes(size) else { break }
                guard reader.skip(size * (values - 1)) else { break }
                properties.append(Property(type: type, id: id, value: values > 0 ? first : nil))
            } else if [PropertyType.string8, PropertyType.unicode, PropertyType.binary, PropertyType.object].contains(base) {
                guard let values = reader.uint32(), Int(values) <= reader.remaining / 4 else { break }
                var first: [UInt8]?
                var complete = true
                for index in 0..<Int(values) {
                    guard let length = reader.uint32(), let value = reader.bytes(Int(length)), reader.skip(padded(Int(length)) - Int(length)) else {
                        complete = false
                        break
                    }
                    if index == 0 { first = value }
                }
                guard complete else { break }
                properties.append(Property(type: type, id: id, value: first))
            } else {
                break
            }
        }
        return properties
    }

    /// `length` rounded up to a multiple of 4.
    static func padded(_ length: Int) -> Int { (length + 3) & ~3 }
}
