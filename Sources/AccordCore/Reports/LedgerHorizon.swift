/// Where a ledger entry (a vulnerability's patch clock, a defect's rectification clock) stands
/// against the calendar, so a ledger lists what is overdue first, then what falls due in the next
/// 7 and 30 days, then the rest, then what waits to start, then what is done.
public enum LedgerHorizon: String, Sendable, CaseIterable, Comparable {
    /// Still counting past its due.
    case overdue
    /// Due within 7 days.
    case week
    /// Due within 30 days.
    case month
    /// Due later.
    case later
    /// Not started: a vulnerability waiting for its patch, a defect not yet confirmed.
    case waiting
    /// Met, breached or cancelled: on record, nothing left to do.
    case done

    /// The horizon of `clock` at `now`: a clock still counting (paused too) by its due, one not
    /// started waiting, any other done.
    public init(_ clock: CaseClocks.Clock, at now: Int64) {
        guard let status = clock.status else {
            self = clock.state == "not-started" ? .waiting : .done
            return
        }
        guard status.stoppedAt == nil, !clock.cancelled, !clock.excluded else {
            self = .done
            return
        }
        if status.due < now {
            self = .overdue
        } else if status.due - now <= 7 * 86_400 {
            self = .week
        } else if status.due - now <= 30 * 86_400 {
            self = .month
        } else {
            self = .later
        }
    }

    public static func < (lhs: LedgerHorizon, rhs: LedgerHorizon) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
