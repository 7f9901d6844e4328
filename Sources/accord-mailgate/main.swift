import AccordMailGate
#if canImport(Glibc)
import Glibc
#endif

// `accord-mailgate`: `accord mailgate` for a mail server's pipe, as a program of its own that links
// nothing but the standard library — one starts per message, in about a millisecond of CPU where
// `accord` needs a dozen. Plain http only (the desk on this machine or the mail server's network).
exit(MailGate.run(arguments: Array(CommandLine.arguments.dropFirst()), command: "accord-mailgate"))
