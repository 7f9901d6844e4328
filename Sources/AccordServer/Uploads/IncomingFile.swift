import Crypto
import Foundation
import NIOCore

/// An attachment being received: its bytes go to a temporary file in the store's folder as they
/// arrive, hashed on the way, so that an upload holds a small buffer in memory, never the file.
/// `keep()` syncs it and moves it to its place in the store (`AttachmentFiles`); `discard()` removes it.
///
/// Blocking file calls: run them on the thread pool. One upload uses its file in sequence, never
/// from two places at once, hence `@unchecked Sendable`.
final class IncomingFile: @unchecked Sendable {
    private let files: AttachmentFiles
    private let temporary: URL
    private var descriptor: Int32
    private var hasher = SHA256()
    /// Bytes written so far.
    private(set) var size = 0

    /// Opens a new temporary file, readable by the server's user only.
    init(into files: AttachmentFiles) throws {
        self.files = files
        let folder = files.directory.appendingPathComponent(".incoming", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        temporary = folder.appendingPathComponent("\(UUID().uuidString).part")
        descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw POSIXError.ofLastCall }
    }

    /// An upload dropped without `keep()` leaves no file behind.
    deinit { discard() }

    /// Appends `bytes`.
    func write(_ bytes: ByteBuffer) throws {
        try bytes.withUnsafeReadableBytes { buffer in
            hasher.update(bufferPointer: buffer)
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw POSIXError.ofLastCall
                }
                offset += written
            }
        }
        size += bytes.readableBytes
    }

    /// Syncs the file and moves it into the store under its SHA-256, which it returns; a file
    /// already stored with the same content is kept and this copy dropped.
    func keep() throws -> String {
        let sha = AttachmentFiles.hex(hasher.finalize())
        guard fsync(descriptor) == 0 else { throw POSIXError.ofLastCall }
        close(descriptor)
        descriptor = -1
        do {
            try files.adopt(temporary, as: sha)
        } catch {
            unlink(temporary.path)
            throw error
        }
        return sha
    }

    /// Removes the temporary file (an upload refused or broken off).
    func discard() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
        unlink(temporary.path)
    }
}
