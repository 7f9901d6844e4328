/// Which rule of the semantics produced a due instant. Kept as facts so that computing a deadline
/// builds no text; ``DeadlineExplanation`` puts it into words.
public enum DeadlineRule: Hashable, Sendable {
    /// Clock start plus absolute time.
    case calendarTime
    /// The same wall-clock time N days later; `movedByGap` when that time fell in a DST gap.
    case calendarDays(movedByGap: Bool)
    /// The earliest instant at which the open time has elapsed.
    case businessTime
    /// Business day `date`, at the clock start's time of day (`second`).
    case businessDayAtTimeOfDay(date: LocalDate, second: Int)
    /// Business day `date` is not open at `second`: the end of its last interval before then.
    case businessDayLastClose(date: LocalDate, second: Int, close: TimeOfDay)
    /// Business day `date` opens after `second`: its first opening.
    case businessDayFirstOpening(date: LocalDate, second: Int, opening: TimeOfDay)
    /// Zero business days: due at the clock start.
    case zeroBusinessDays
}
