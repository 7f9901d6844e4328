#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif
import Synchronization

/// Loopback ports for the servers the tests start as programs (an `accord serve`, Dovecot, Postfix,
/// aiosmtpd), which must be told a port before they listen.
///
/// Each comes from 20000–32000, below Linux's ephemeral range (32768 and up): the in-process desks
/// (port 0) and every outgoing connection are given ports up there, so none can take a port
/// between the moment it is handed out and the moment its server binds it. No port is handed out
/// twice in one test process, and each is checked free by binding it first. (Two tests once got the
/// same port from the kernel's port 0 — a Dovecot and a desk — and the IMAP client waited for a
/// greeting the desk never sends.)
public enum TestPorts {
    private static let cursor = Mutex(Int.random(in: 0..<span))
    private static let low = 20_000
    private static let span = 12_000

    /// A port no other test of this process was given, free on 127.0.0.1 as it is handed out.
    public static func next() -> Int {
        while true {
            let port = low + cursor.withLock { cursor in
                defer { cursor = (cursor + 1) % span }
                return cursor
            }
            if isFree(port) { return port }
        }
    }

    /// Whether a socket can bind `port` on 127.0.0.1 now (no listener, no connection holds it).
    static func isFree(_ port: Int) -> Bool {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
