/// Turns a case's conversation into the start and stop instants of its recurring clocks.
public enum ClockCycles {
    /// A message on a case's timeline.
    public enum Message: Sendable, Equatable {
        case customer(at: Int64)
        case publicReply(at: Int64)

        var at: Int64 {
            switch self {
            case .customer(let at), .publicReply(let at): at
            }
        }
    }

    /// One clock run: started, and stopped when met (nil while running).
    public struct Cycle: Sendable, Equatable {
        public let start: Int64
        public let stop: Int64?
    }

    /// `next-reply`: a customer message starts a clock unless one is already waiting for a reply
    /// (later messages do not restart it); the next public reply meets it.
    public static func nextReply(_ messages: [Message]) -> [Cycle] {
        var cycles: [Cycle] = []
        var waitingSince: Int64?
        for message in messages.sorted(by: { $0.at < $1.at }) {
            switch message {
            case .customer(let at):
                if waitingSince == nil { waitingSince = at }
            case .publicReply(let at):
                if let start = waitingSince {
                    cycles.append(Cycle(start: start, stop: at))
                    waitingSince = nil
                }
            }
        }
        if let start = waitingSince { cycles.append(Cycle(start: start, stop: nil)) }
        return cycles
    }

    /// `periodic-update`: from the case being logged, each public reply meets the running clock and
    /// starts the next; closing the case (`closedAt`) ends the last one.
    public static func periodicUpdate(loggedAt: Int64, _ messages: [Message], closedAt: Int64? = nil) -> [Cycle] {
        var cycles: [Cycle] = []
        var start = loggedAt
        for case .publicReply(let at) in messages.sorted(by: { $0.at < $1.at }) where at >= loggedAt {
            if let closedAt, at > closedAt { break }
            cycles.append(Cycle(start: start, stop: at))
            start = at
        }
        if closedAt.map({ start < $0 }) ?? true { cycles.append(Cycle(start: start, stop: closedAt)) }
        return cycles
    }
}
