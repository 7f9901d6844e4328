#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A mail server's delivery agent: reads one message on standard input and hands its bytes to the
/// desk. Its exit status is the contract with the mail server: 0 only when the desk stored the
/// message (or set it aside in its quarantine); 75 (EX_TEMPFAIL) for anything else — the desk
/// unreachable or slow, a 5xx, a bad token, a bad option — so the mail server keeps the message
/// and tries again. Never another code: Postfix bounces mail back to its sender on every other one.
/// Both `accord mailgate` and the standalone `accord-mailgate` run this.
public enum MailGate {
    /// EX_TEMPFAIL of sysexits.h.
    public static let temporaryFailure: Int32 = 75

    /// Runs a delivery with the mail server's `arguments` (after the command's name) and returns
    /// the exit status; `command` names the program in messages. Plain http only, and synchronous:
    /// an async `main` would end in `dispatch_main`, whose thread exit unwinds the stack — in a
    /// static program that sorts every unwind entry of the binary first, 8 ms of a 9 ms start.
    public static func run(arguments: [String], command: String) -> Int32 {
        do throws(GateFailure) {
            switch try plan(arguments, command: command) {
            case .help(let text):
                return succeed(text)
            case .deliver(let exchange):
                guard !exchange.url.secure else {
                    throw GateFailure("\(command) speaks plain http (a desk on this machine or the mail server's network); for https use 'accord mailgate'")
                }
                return succeed(try InboundDelivery.result(of: try PlainHTTP.exchange(exchange)))
            }
        } catch {
            return fail(error, command: command)
        }
    }

    /// `run` with https carried by `secure`.
    public static func run(arguments: [String], command: String, secure: DeskExchange.Transport) async -> Int32 {
        do throws(GateFailure) {
            switch try plan(arguments, command: command) {
            case .help(let text):
                return succeed(text)
            case .deliver(let exchange):
                let reply = exchange.url.secure ? try await secure(exchange) : try PlainHTTP.exchange(exchange)
                return succeed(try InboundDelivery.result(of: reply))
            }
        } catch {
            return fail(error, command: command)
        }
    }

    /// What the arguments ask for: help, or a delivery of standard input.
    enum Plan {
        case help(String)
        case deliver(DeskExchange)
    }

    static func plan(_ arguments: [String], command: String) throws(GateFailure) -> Plan {
        guard let options = try GateOptions.parse(arguments, environment: environment(), readFile: readFile) else {
            return .help(GateOptions.help(command: command))
        }
        return .deliver(try InboundDelivery(options: options, message: try readStandardInput()).exchange())
    }

    /// Prints `text` (help, or the desk's answer) for the mail server's log: exit 0.
    static func succeed(_ text: String) -> Int32 {
        write(text.hasSuffix("\n") ? text : text + "\n", to: 1)
        return 0
    }

    /// Says why on standard error: exit 75, the mail server tries again.
    static func fail(_ failure: GateFailure, command: String) -> Int32 {
        write("\(command): \(failure) — the mail server will try again (exit 75)\n", to: 2)
        return temporaryFailure
    }

    /// The process's environment.
    static func environment() -> [String: String] {
        var values: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let equals = text.firstIndex(of: "=") { values[String(text[..<equals])] = String(text[text.index(after: equals)...]) }
            entry += 1
        }
        return values
    }

    /// A small file's text (a token), nil when it cannot be read or is larger than 64 KB.
    static func readFile(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        guard let bytes = try? readAll(descriptor, limit: 65_536) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func readStandardInput() throws(GateFailure) -> [UInt8] {
        try readAll(0, limit: Int.max)
    }

    static func readAll(_ descriptor: Int32, limit: Int) throws(GateFailure) -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                bytes.append(contentsOf: buffer[..<count])
                guard bytes.count <= limit else { throw GateFailure("more than \(limit) bytes to read") }
            } else if count == 0 {
                return bytes
            } else if errno != EINTR {
                throw GateFailure("reading the message failed: \(String(cString: strerror(errno)))")
            }
        }
    }

    static func write(_ text: String, to descriptor: Int32) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let count = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if count > 0 { bytes = bytes.dropFirst(count) } else if count < 0 && errno == EINTR { continue } else { return }
        }
    }
}
