import AccordServer
import Foundation
import Testing
import VaporTesting

/// Connections that send nothing, or stop half-way through a request, are closed after the idle
/// timeout: a crowd of them cannot hold the server's sockets.
@Suite struct IdleConnectionTests {
    /// A plain TCP connection to the desk, optionally sending `bytes`; returns its descriptor.
    static func connect(port: Int, sending bytes: String = "") throws -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(connected == 0)
        if !bytes.isEmpty { _ = bytes.withCString { send(descriptor, $0, strlen($0), 0) } }
        return descriptor
    }

    /// Whether the server closed the connection within `seconds` (a read returns end of file).
    static func closedByServer(_ descriptor: Int32, within seconds: Int) -> Bool {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count == 0 { return true }
            if count < 0 { return errno == ECONNRESET }
        }
    }

    @Test func idleAndStalledConnectionsAreClosed() async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z", configure: { $0.idleTimeout = .seconds(1) }) { desk in
            let port = try #require(desk.app.http.server.shared.localAddress?.port)
            var sockets: [Int32] = []
            for index in 0..<100 {
                // Half of them say nothing; the others stop in the middle of a request's head.
                sockets.append(try Self.connect(port: port, sending: index.isMultiple(of: 2) ? "" : "GET /api/v1/me HTTP/1.1\r\nHost: desk\r\n"))
            }
            defer { sockets.forEach { close($0) } }
            let started = Date()
            #expect(sockets.allSatisfy { Self.closedByServer($0, within: 10) })
            #expect(Date().timeIntervalSince(started) < 10)
            #expect(try await desk.call(.GET, "/health", token: nil).status == .ok)
        }
    }
}
