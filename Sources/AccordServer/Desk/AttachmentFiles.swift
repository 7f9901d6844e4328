import Crypto
import Foundation

/// Attachment bytes on disk, one file per distinct content, named by its SHA-256 (so a file sent
/// twice is stored once). Writes are synced before the database row that points at them; reads are
/// checked against the name.
struct AttachmentFiles: Sendable {
    let directory: URL

    enum Failure: Error, CustomStringConvertible {
        case corrupted(sha256: String)
        case missing(sha256: String)

        var description: String {
            switch self {
            case .corrupted(let sha): "the stored file \(sha) no longer matches its SHA-256 checksum"
            case .missing(let sha): "the stored file \(sha) is missing"
            }
        }
    }

    static func sha256(_ data: Data) -> String {
        hex(SHA256.hash(data: data))
    }

    /// A SHA-256 digest as the store names files: 64 lowercase hex digits.
    static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }

    private func url(_ sha256: String) -> URL {
        directory.appendingPathComponent(String(sha256.prefix(2)), isDirectory: true).appendingPathComponent(sha256)
    }

    /// Moves a synced file holding the bytes of `sha256` into the store (an upload received by
    /// `IncomingFile`); when the store already holds those bytes intact, the file is dropped instead.
    func adopt(_ file: URL, as sha256: String) throws {
        let target = url(sha256)
        if FileManager.default.fileExists(atPath: target.path), (try? read(sha256)) != nil {
            try FileManager.default.removeItem(at: file)
            return
        }
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard rename(file.path, target.path) == 0 else { throw POSIXError.ofLastCall }
        Self.syncFolder(of: target)
    }

    /// The bytes stored under `sha256`, verified against it.
    func read(_ sha256: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: url(sha256).path) else { throw Failure.missing(sha256: sha256) }
        guard Self.sha256(data) == sha256 else { throw Failure.corrupted(sha256: sha256) }
        return data
    }

    /// Deletes the bytes stored under `sha256` (erased with their uploader's data), synced: a
    /// missing file is fine, it may have gone before.
    func remove(_ sha256: String) throws {
        let target = url(sha256)
        guard FileManager.default.fileExists(atPath: target.path) else { return }
        try FileManager.default.removeItem(at: target)
        Self.syncFolder(of: target)
    }

    /// Syncs the folder holding `file`, so that a file moved into it or removed from it stays so.
    private static func syncFolder(of file: URL) {
        let folder = open(file.deletingLastPathComponent().path, O_RDONLY)
        if folder >= 0 {
            fsync(folder)
            close(folder)
        }
    }

    /// Where the bytes of `sha256` live, for operators and tests.
    func path(of sha256: String) -> String { url(sha256).path }
}

extension POSIXError {
    /// The error of the system call that just failed (`errno`).
    static var ofLastCall: POSIXError { POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
}
