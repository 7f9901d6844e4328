#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// HTTP/1.1 over a plain TCP socket, one request per connection: what the gateway needs to hand a
/// message to a desk on this machine or the mail server's network, in about a millisecond of CPU.
/// A desk that does not accept the connection is said at once (one attempt per address, at most
/// 10 s), so the mail server keeps the message and tries again from its queue.
public enum PlainHTTP {
    /// How long one connection attempt may take at most.
    static let connectSeconds = 10
    /// The most of an answer that is read; the desk's answers are a few hundred bytes.
    static let answerLimit = 1 << 20

    public static func exchange(_ exchange: DeskExchange) throws(GateFailure) -> DeskReply {
        let deadline = Deadline(seconds: exchange.timeout)
        let socket = try connect(exchange.url, deadline: Deadline(seconds: min(exchange.timeout, connectSeconds)))
        defer { close(socket) }
        var head = "POST \(exchange.path) HTTP/1.1\r\nHost: \(exchange.url.hostField)\r\n"
        for field in exchange.fields { head += "\(field.name): \(field.value)\r\n" }
        head += "Content-Length: \(exchange.body.count)\r\nConnection: close\r\n\r\n"
        try send(Array(head.utf8), on: socket, deadline: deadline)
        try send(exchange.body, on: socket, deadline: deadline)
        return try HTTPAnswer.parse(receive(on: socket, deadline: deadline))
    }

    /// A connected socket to the first address of `url` that accepts.
    static func connect(_ url: DeskURL, deadline: Deadline) throws(GateFailure) -> Int32 {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let looked = getaddrinfo(url.host, String(url.port), &hints, &list)
        guard looked == 0, let first = list else {
            throw GateFailure("the desk at \(url.hostField) did not answer: its name cannot be resolved (\(String(cString: gai_strerror(looked))))")
        }
        defer { freeaddrinfo(list) }
        var failure = "no address"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let address = entry {
            entry = address.pointee.ai_next
            let socket = Glibc.socket(address.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            guard socket >= 0 else {
                failure = String(cString: strerror(errno))
                continue
            }
            if Glibc.connect(socket, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 { return socket }
            guard errno == EINPROGRESS else {
                failure = String(cString: strerror(errno))
                close(socket)
                continue
            }
            guard wait(socket, for: Int16(POLLOUT), until: deadline) else {
                failure = "no connection within \(min(connectSeconds, deadline.seconds)) s"
                close(socket)
                continue
            }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(socket, SOL_SOCKET, SO_ERROR, &error, &length)
            if error == 0 { return socket }
            failure = String(cString: strerror(error))
            close(socket)
        }
        throw GateFailure("the desk at \(url.hostField) did not answer: \(failure)")
    }

    static func send(_ bytes: [UInt8], on socket: Int32, deadline: Deadline) throws(GateFailure) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { buffer in
                Glibc.send(socket, buffer.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent > 0 {
                offset += sent
            } else if sent < 0, errno == EAGAIN || errno == EINTR {
                guard wait(socket, for: Int16(POLLOUT), until: deadline) else { throw GateFailure("the desk took more than \(deadline.seconds) s to take the message") }
            } else {
                throw GateFailure("the desk closed the connection while the message was sent: \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Everything the desk sends until it closes the connection (at most `answerLimit`).
    static func receive(on socket: Int32, deadline: Deadline) throws(GateFailure) -> [UInt8] {
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while answer.count < answerLimit {
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                answer.append(contentsOf: buffer[..<count])
            } else if count == 0 {
                return answer
            } else if errno == EAGAIN || errno == EINTR {
                guard wait(socket, for: Int16(POLLIN), until: deadline) else { throw GateFailure("the desk did not answer within \(deadline.seconds) s") }
            } else {
                throw GateFailure("the connection to the desk failed: \(String(cString: strerror(errno)))")
            }
        }
        return answer
    }

    /// Whether `socket` became ready for `events` before `deadline`.
    static func wait(_ socket: Int32, for events: Int16, until deadline: Deadline) -> Bool {
        while true {
            let left = deadline.millisecondsLeft
            guard left > 0 else { return false }
            var entry = pollfd(fd: socket, events: events, revents: 0)
            let ready = poll(&entry, 1, Int32(min(left, Int(Int32.max))))
            if ready > 0 { return true }
            if ready < 0 && errno != EINTR { return false }
        }
    }

    /// A moment on the monotonic clock.
    struct Deadline {
        let seconds: Int
        private let end: Int

        init(seconds: Int) {
            self.seconds = seconds
            end = Self.nowMilliseconds() + seconds * 1000
        }

        var millisecondsLeft: Int { end - Self.nowMilliseconds() }

        private static func nowMilliseconds() -> Int {
            var time = timespec()
            clock_gettime(CLOCK_MONOTONIC, &time)
            return time.tv_sec * 1000 + time.tv_nsec / 1_000_000
        }
    }
}
