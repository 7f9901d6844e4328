import AccordServer
import ArgumentParser

/// How the SLA monitor's staff alert mails leave the desk.
struct AlertOptions: ParsableArguments {
    @ArgumentParser.Option(help: ArgumentHelp("Send alert mails through this SMTP relay.", valueName: "host:port"))
    var smtp: String?

    @ArgumentParser.Option(help: ArgumentHelp("Send alert mails with this sendmail-compatible command.", valueName: "path"))
    var sendmail: String?

    @ArgumentParser.Option(help: "The From address of alert mails.")
    var mailFrom = "Accord <accord@localhost>"

    @ArgumentParser.Option(help: "How many times a delivery is tried before it is given up (dead-lettered).")
    var deliveryAttempts = 8

    @Flag(help: "Mail warnings to assignees and team leads at once, not only in their team's working hours (breaches never wait).")
    var warnOutsideWorkingHours = false

    func monitorConfiguration() throws -> SLAMonitor.Configuration {
        var configuration = SLAMonitor.Configuration()
        configuration.mailFrom = mailFrom
        configuration.holdWarningsToWorkingHours = !warnOutsideWorkingHours
        guard deliveryAttempts >= 1 else { throw ValidationError("--delivery-attempts must be at least 1, not \(deliveryAttempts)") }
        configuration.retry.maxAttempts = deliveryAttempts
        switch (smtp, sendmail) {
        case (let relay?, nil):
            let parts = relay.split(separator: ":")
            guard parts.count == 2, let port = Int(parts[1]), (1...65535).contains(port), !parts[0].isEmpty else {
                throw ValidationError("--smtp must be host:port, such as localhost:25; got '\(relay)'")
            }
            configuration.mail = .smtp(host: String(parts[0]), port: port)
        case (nil, let path?):
            configuration.mail = .sendmail(path: path)
        case (nil, nil):
            configuration.mail = nil
        case (_?, _?):
            throw ValidationError("give either --smtp or --sendmail, not both")
        }
        return configuration
    }
}
