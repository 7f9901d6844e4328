import NIOCore
import NIOSSL

/// TLS for the desk's own connections out — to an SMTP relay, to an IMAP server: TLS 1.2 or later,
/// the certificate checked against the system's authorities (plus a PEM file of the server's own,
/// a private CA) and against the host's name, or for an IP address against the address.
enum ClientTLS {
    struct Unusable: Error, CustomStringConvertible {
        let description: String
    }

    /// The client context; `file`, when given, adds its authorities (what is refused names `what`).
    static func context(trusting file: String?, for what: String) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        if let file {
            do {
                configuration.additionalTrustRoots = [.certificates(try NIOSSLCertificate.fromPEMFile(file))]
            } catch {
                throw Unusable(description: "cannot read the \(what)'s certificate authorities from \(file): \(error)")
            }
        }
        return try NIOSSLContext(configuration: configuration)
    }

    /// The name sent (SNI) and checked for `host`; nil for an IP address, which NIOSSL checks
    /// against the certificate's addresses instead.
    static func serverHostname(_ host: String) -> String? {
        (try? SocketAddress(ipAddress: host, port: 0)) == nil ? host : nil
    }
}
