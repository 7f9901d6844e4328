/// Where a case is in its life. Awaiting-customer pauses the clocks the policy pauses.
public enum CaseStatus: String, Sendable, Codable, CaseIterable {
    case new
    case open
    case awaitingCustomer = "awaiting-customer"
    case resolved
    case closed

    /// The statuses a case may move to from this one.
    public var successors: [CaseStatus] {
        switch self {
        case .new: [.open, .awaitingCustomer, .resolved]
        case .open: [.awaitingCustomer, .resolved]
        case .awaitingCustomer: [.open, .resolved]
        case .resolved: [.closed, .open]
        case .closed: [.open]
        }
    }

    public func canMove(to next: CaseStatus) -> Bool { successors.contains(next) }
}
