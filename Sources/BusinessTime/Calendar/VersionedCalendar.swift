/// A calendar's history: each version applies to clocks started at or after its effective instant,
/// so a change never rewrites the deadlines of clocks started before it.
public struct VersionedCalendar: Sendable {
    public struct Version: Sendable {
        public let label: String
        /// Clocks whose start event is at or after this instant use this version.
        public let effective: Int64
        public let calendar: BusinessCalendar
    }

    public let id: String
    /// Versions, oldest first.
    public let versions: [Version]

    /// Creates a history; versions are ordered by effective instant.
    public init(id: String, versions: [(label: String, effective: Int64, definition: CalendarDefinition)]) throws(CalendarError) {
        self.id = id
        var built: [Version] = []
        for version in versions.sorted(by: { $0.effective < $1.effective }) {
            built.append(Version(label: version.label, effective: version.effective,
                                 calendar: try BusinessCalendar(version.definition, version: version.label)))
        }
        self.versions = built
    }

    /// The version in force for a clock started at `start`: the latest effective at or before it
    /// (the oldest when `start` precedes them all).
    public func calendar(forClockStartedAt start: Int64) -> BusinessCalendar {
        versions.last(where: { $0.effective <= start })?.calendar ?? versions[0].calendar
    }
}
