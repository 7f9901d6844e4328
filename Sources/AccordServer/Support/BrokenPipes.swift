import Foundation

/// Writing to a pipe or socket whose reader is gone must be an error the writer handles (EPIPE),
/// not SIGPIPE, whose default ends the process: a sendmail command that exits without reading the
/// whole message would otherwise take the server down. Set once, for the whole process.
enum BrokenPipes {
    private static let ignored: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    static func ignore() { ignored }
}
