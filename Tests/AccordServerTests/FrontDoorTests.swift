import AccordServer
import Foundation
import Testing
import VaporTesting

/// The front door: connections that send nothing, trickle a request or stall an upload are cut off;
/// one address, and everyone together, can hold only so many connections; a kept-alive connection
/// serves only so many requests; and the desk sees the client's real address.
@Suite struct FrontDoorTests {
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
        write(descriptor, bytes)
        return descriptor
    }

    /// `connect(port:sending:)` on a thread of its own, for sends large enough to block until the
    /// desk reads them (which it does on Swift's cooperative pool, which a blocked test thread holds up).
    static func connectOffPool(port: Int, sending bytes: String) async throws -> Int32 {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try connect(port: port, sending: bytes) }) }
        }
    }

    static func write(_ descriptor: Int32, _ bytes: String) {
        if !bytes.isEmpty { _ = bytes.withCString { send(descriptor, $0, strlen($0), Int32(MSG_NOSIGNAL)) } }
    }

    /// Everything the server sends until it closes the connection, or nil when it is still open
    /// after `seconds`. Read on a thread of its own: a blocked thread of Swift's small cooperative
    /// pool would hold up the desk's own work, which runs there too.
    static func readUntilClosed(_ descriptor: Int32, within seconds: Double) async -> String? {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: blockingRead(descriptor, within: seconds)) }
        }
    }

    /// Whether the server sent something within `milliseconds` (on a thread of its own).
    static func answers(_ descriptor: Int32, within milliseconds: Int32) async -> Bool {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var waiting = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                continuation.resume(returning: poll(&waiting, 1, milliseconds) > 0)
            }
        }
    }

    private static func blockingRead(_ descriptor: Int32, within seconds: Double) -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
            setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count == 0 { return String(decoding: received, as: UTF8.self) }
            if count > 0 { received += buffer[0..<count]; continue }
            if errno == ECONNRESET { return String(decoding: received, as: UTF8.self) }
        }
        return nil
    }

    @Test func idleAndStalledConnectionsAreClosed() async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z", configure: {
            $0.connectionLimits.idleTimeout = .seconds(1)
            $0.connectionLimits.headTimeout = .seconds(1)
        }) { desk in
            var silent: [Int32] = [], halfway: [Int32] = []
            for index in 0..<100 {
                // Half of them say nothing; the others stop in the middle of a request's head.
                if index.isMultiple(of: 2) {
                    silent.append(try Self.connect(port: desk.port))
                } else {
                    halfway.append(try Self.connect(port: desk.port, sending: "GET /api/v1/me HTTP/1.1\r\nHost: desk\r\n"))
                }
            }
            defer { (silent + halfway).forEach { close($0) } }
            let started = Date()
            // Nothing asked, nothing answered; a half-sent request is told it took too long.
            for descriptor in silent { #expect(await Self.readUntilClosed(descriptor, within: 10) == "") }
            for descriptor in halfway { #expect(await Self.readUntilClosed(descriptor, within: 10)?.hasPrefix("HTTP/1.1 408 Request Timeout\r\n") == true) }
            #expect(Date().timeIntervalSince(started) < 10)
            #expect(try await desk.call(.GET, "/health", token: nil).status == .ok)
        }
    }

    @Test func aClientTricklingItsRequestHeadIsAnswered408() async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z", configure: {
            $0.connectionLimits.headTimeout = .seconds(1)
            $0.connectionLimits.idleTimeout = .seconds(5)
        }) { desk in
            let descriptor = try Self.connect(port: desk.port)
            defer { close(descriptor) }
            // A byte every 200 ms keeps the connection busy, never idle, but the head never ends.
            let started = Date()
            var answer: String?
            for byte in "GET /health HTTP/1.1\r\nHost: desk\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".map(String.init) {
                Self.write(descriptor, byte)
                if await Self.answers(descriptor, within: 200) {
                    answer = await Self.readUntilClosed(descriptor, within: 15)
                    break
                }
            }
            let text = try #require(answer)
            #expect(Date().timeIntervalSince(started) < 3)
            #expect(text.hasPrefix("HTTP/1.1 408 Request Timeout\r\n"))
            #expect(text.contains("Content-Type: application/problem+json"))
            #expect(text.contains("Connection: close"))
            #expect(text.contains(#""detail":"the request's head (its request line and headers) did not arrive within 1 seconds""#))
        }
    }

    @Test func aStalledUploadIsAnswered408() async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z", configure: { $0.connectionLimits.bodyTimeout = .seconds(1) }) { desk in
            let descriptor = try Self.connect(port: desk.port, sending: "POST /api/v1/cases HTTP/1.1\r\nHost: desk\r\nAuthorization: Bearer \(desk.adminToken)\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"title\":")
            defer { close(descriptor) }
            let text = try #require(await Self.readUntilClosed(descriptor, within: 15))
            #expect(text.hasPrefix("HTTP/1.1 408 Request Timeout\r\n"))
            #expect(text.contains("the request's body paused for more than 1 seconds"))
            #expect(try await desk.call(.GET, "/health", token: nil).status == .ok)
        }
    }

    @Test func oneAddressGetsOnlySoManyConnections() async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z", configure: {
            $0.connectionLimits.maxConnectionsPerAddress = 5
            $0.connectionLimits.idleTimeout = .seconds(30)
        }) { desk in
            let filled = try await fillAndAskOnceMore(desk, holding: 5)
            var open = filled.open
            let text = filled.answer
            defer { open.forEach { close($0) } }
            #expect(text.hasPrefix("HTTP/1.1 429 Too Many Requests\r\n"))
            #expect(text.contains("Retry-After: 1\r\n"))
            #expect(text.contains("127.0.0.1 already has 5 connections open to this desk, the most one address may"))
            // Once one closes, the address may connect again.
            close(open.removeLast())
            try await waitUntil { (desk.app.server as? FrontDoor)?.openConnections == 4 }
            #expect(try await desk.call(.GET, "/health", token: nil).status == .ok)
        }
    }

    @Test func theDeskTakesOnlySoManyConnectionsInAll() async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z", configure: {
            $0.connectionLimits.maxConnections = 3
            $0.connectionLimits.idleTimeout = .seconds(30)
        }) { desk in
            let (open, text) = try await fillAndAskOnceMore(desk, holding: 3)
            defer { open.forEach { close($0) } }
            #expect(text.hasPrefix("HTTP/1.1 503 Service Unavailable\r\n"))
            #expect(text.contains("the desk is serving 3 connections, the most it takes at once"))
        }
    }

    @Test func aKeptAliveConnectionServesOnlySoManyRequests() async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z", configure: { $0.connectionLimits.maxRequestsPerConnection = 3 }) { desk in
            let request = "GET /health HTTP/1.1\r\nHost: desk\r\n\r\n"
            // Three pipelined requests: three answers, the last saying the connection closes, then it does.
            let descriptor = try Self.connect(port: desk.port, sending: request + request + request)
            defer { close(descriptor) }
            let text = try #require(await Self.readUntilClosed(descriptor, within: 15))
            let answers = text.components(separatedBy: "HTTP/1.1 200 OK\r\n").dropFirst()
            #expect(answers.count == 3)
            #expect(answers.last?.lowercased().contains("connection: close\r\n") == true)
            #expect(answers.first?.lowercased().contains("connection: close") == false)
        }
    }

    @Test func theDeskSeesTheClientsAddressNotOneItClaims() async throws {
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z", configure: { $0.authenticationFailuresPerMinute = 3 }) { desk in
            // Each bad token claims another address; the throttle counts them all against 127.0.0.1.
            var statuses: [UInt] = []
            for index in 0..<5 {
                let reply = try await desk.send(.GET, "/api/v1/me", headers: [("Authorization", "Bearer nope-\(index)"), ("X-Accord-Client-Address", "10.0.0.\(index)")], body: nil)
                statuses.append(reply.status.code)
            }
            #expect(statuses == [401, 401, 401, 429, 429])
        }
    }

    /// Opens `count` idle connections (returned, to be closed by the caller), then asks once more
    /// and returns what that connection was told before it closed.
    func fillAndAskOnceMore(_ desk: DeskHarness, holding count: Int) async throws -> (open: [Int32], answer: String) {
        var open: [Int32] = []
        for _ in 0..<count { open.append(try Self.connect(port: desk.port)) }
        try await waitUntil { (desk.app.server as? FrontDoor)?.openConnections == count }
        let refused = try Self.connect(port: desk.port, sending: "GET /health HTTP/1.1\r\nHost: desk\r\n\r\n")
        defer { close(refused) }
        return (open, try #require(await Self.readUntilClosed(refused, within: 15)))
    }

    /// Waits (up to 5 s) until `condition` holds.
    func waitUntil(_ condition: () -> Bool) async throws {
        for _ in 0..<100 where !condition() { try await Task.sleep(for: .milliseconds(50)) }
        #expect(condition())
    }
}
