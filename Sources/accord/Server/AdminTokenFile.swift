import Foundation

/// The first administrator's token, kept in a file only its owner may read.
enum AdminTokenFile {
    /// Writes `token` to `path`, created with mode 0600 and refused if it exists (an older token
    /// is never overwritten or mixed up with this one).
    static func write(_ token: String, to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw CommandFailure("cannot create the admin token file '\(path)': \(String(cString: strerror(errno))); remove it or pass --admin-token-file")
        }
        defer { close(descriptor) }
        let bytes = Array((token + "\n").utf8)
        guard bytes.withUnsafeBytes({ Foundation.write(descriptor, $0.baseAddress, $0.count) }) == bytes.count, fsync(descriptor) == 0 else {
            throw CommandFailure("cannot write the admin token file '\(path)': \(String(cString: strerror(errno)))")
        }
    }
}
