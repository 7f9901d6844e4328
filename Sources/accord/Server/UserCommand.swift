import AccordServer
import AccordStore
import ArgumentParser
import Foundation

/// `accord user`: an operator's hand on a person's web sign-in, working on the desk's database
/// directly (like `accord token create`), for when nobody can sign in yet or someone is locked out.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Set a person's web password, or make them an invitation link.",
        subcommands: [SetPassword.self, Invite.self])

    /// Sets a password read from standard input (never from the command line, where other users
    /// of the machine and the shell's history would see it). Signs the person out everywhere.
    struct SetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-password",
            abstract: "Set a person's web password, read from standard input.",
            discussion: """
                The password is the first line of standard input (typed without echo on a terminal). It must have at least \
                \(Passwords.minimumLength) characters and at most \(Passwords.maximumBytes) bytes. The person's browser sessions end.
                  printf '%s\\n' "$PASSWORD" | accord user set-password --email ann@example.com --db accord.sqlite
                """)

        @ArgumentParser.Option(help: "The person's email.")
        var email: String

        @ArgumentParser.OptionGroup var desk: DeskLocation

        func run() async throws {
            let password = try Self.readPassword()
            if let problem = Passwords.problem(with: password, email: email) { throw CommandFailure("the password \(problem)") }
            try await desk.with { _, store in
                guard let person = try await store.person(email: email), !person.erased else {
                    throw CommandFailure("no person has the email '\(email)'")
                }
                guard !person.deactivated else {
                    throw CommandFailure("\(person.email) is deactivated: reactivate them first (accord person reactivate)")
                }
                try await store.setPassword(of: person.id, hash: try Passwords().hash(password), by: nil, at: Date())
                print("Password set for \(person.email); their browser sessions were ended.")
            }
        }

        /// The first line of standard input, without its line ending; on a terminal, asked for without echo.
        static func readPassword() throws -> String {
            let terminal = isatty(STDIN_FILENO) == 1
            var saved = termios()
            if terminal {
                FileHandle.standardError.write(Data("Password: ".utf8))
                tcgetattr(STDIN_FILENO, &saved)
                var quiet = saved
                quiet.c_lflag &= ~tcflag_t(ECHO)
                tcsetattr(STDIN_FILENO, TCSANOW, &quiet)
            }
            defer {
                if terminal {
                    tcsetattr(STDIN_FILENO, TCSANOW, &saved)
                    FileHandle.standardError.write(Data("\n".utf8))
                }
            }
            guard let line = readLine(strippingNewline: true) else {
                throw CommandFailure("no password on standard input: pipe it in, or run this on a terminal")
            }
            return line.hasSuffix("\r") ? String(line.dropLast()) : line
        }
    }

    /// Makes a one-time link through which the person sets their password (earlier links stop working).
    struct Invite: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a one-time link through which a person sets their web password.")

        @ArgumentParser.Option(help: "The person's email.")
        var email: String

        @ArgumentParser.Option(help: ArgumentHelp("The desk's address, to print the whole link (e.g. https://support.example.com).", valueName: "url"))
        var publicUrl: String?

        @ArgumentParser.Option(help: ArgumentHelp("How many hours the link works (1 to 720).", valueName: "hours"))
        var hours = 72

        @ArgumentParser.OptionGroup var desk: DeskLocation

        func validate() throws {
            guard (1...720).contains(hours) else { throw ValidationError("--hours must be between 1 and 720, not \(hours)") }
            if let publicUrl, URL(string: publicUrl)?.scheme.map({ $0 == "http" || $0 == "https" }) != true {
                throw ValidationError("--public-url must be an http or https address, such as https://support.example.com")
            }
        }

        func run() async throws {
            try await desk.with { _, store in
                guard let person = try await store.person(email: email), !person.erased else {
                    throw CommandFailure("no person has the email '\(email)'")
                }
                let now = Date()
                let expires = now.addingTimeInterval(TimeInterval(hours) * 3600)
                let secret = try await store.invite(person.id, by: nil, expires: expires, at: now)
                let base = publicUrl.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } ?? ""
                print("\(base)/invitations/\(secret)")
                FileHandle.standardError.write(Data("The link works once, until \(ISO8601DateFormatter().string(from: expires)).\n".utf8))
            }
        }
    }
}
