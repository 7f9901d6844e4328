import NIOHTTP1
import Synchronization

/// The connections open through the front door, in all and per client address, so that each new
/// one is admitted or refused against the limits in one step.
final class ConnectionCount: Sendable {
    /// Why a connection is refused: the status it is answered with and what it is told.
    struct Refusal: Sendable, Equatable {
        let status: HTTPResponseStatus
        let detail: String
    }

    private struct Counts {
        var total = 0
        var byAddress: [String: Int] = [:]
    }

    private let limits: ConnectionLimits
    private let counts = Mutex(Counts())

    init(limits: ConnectionLimits) {
        self.limits = limits
    }

    /// Counts a new connection from `address` in, or says why it may not open.
    func admit(_ address: String) -> Refusal? {
        counts.withLock { counts in
            let fromAddress = counts.byAddress[address, default: 0]
            guard fromAddress < limits.maxConnectionsPerAddress else {
                return Refusal(status: .tooManyRequests, detail: "\(address) already has \(limits.maxConnectionsPerAddress) connections open to this desk, the most one address may; reuse or close one and try again")
            }
            guard counts.total < limits.maxConnections else {
                return Refusal(status: .serviceUnavailable, detail: "the desk is serving \(limits.maxConnections) connections, the most it takes at once; try again shortly")
            }
            counts.total += 1
            counts.byAddress[address] = fromAddress + 1
            return nil
        }
    }

    /// Counts a closed connection from `address` out.
    func release(_ address: String) {
        counts.withLock { counts in
            counts.total -= 1
            let left = counts.byAddress[address, default: 1] - 1
            counts.byAddress[address] = left > 0 ? left : nil
        }
    }

    /// Connections open now, in all.
    var open: Int { counts.withLock { $0.total } }
}
