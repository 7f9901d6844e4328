import AccordMail
import Benchmark
import Foundation

/// The desk's mail parser reading a corpus as the desk reads each message: the MIME tree, the
/// headers it looks at, the text, the sanitised HTML, the files and the reply split from its
/// history. The corpus is `make-mail-corpus.py`'s (ACCORD_MAIL_CORPUS, default /tmp/mail-corpus);
/// compare with `Python/email_parse.py` over the same folder, in the same run.
let benchmarks: @Sendable () -> Void = {
    let directory = ProcessInfo.processInfo.environment["ACCORD_MAIL_CORPUS"] ?? "/tmp/mail-corpus"
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    let corpus = names.compactMap { FileManager.default.contents(atPath: directory + "/" + $0).map { [UInt8]($0) } }
    let bytes = corpus.reduce(0) { $0 + $1.count }

    Benchmark("Read the mail corpus (\(corpus.count) messages, \(bytes / 1_000_000) MB)",
              configuration: .init(metrics: [.wallClock, .cpuTotal, .peakMemoryResident, .mallocCountTotal], maxDuration: .seconds(20), maxIterations: 20)) { benchmark in
        precondition(!corpus.isEmpty, "no corpus at \(directory): run Benchmarks/Data/make-mail-corpus.py \(directory) 2000")
        for message in corpus {
            let parsed = MailMessage(parsing: message)
            blackHole(parsed.headers.text("Subject"))
            blackHole(parsed.headers.values("From").flatMap(MailAddress.list))
            let content = MessageContent(parsed)
            blackHole(content.reply.written)
            blackHole(content.attachments.map(\.filename))
        }
    }
}
