import AccordServer
import AccordTestSupport
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL
import Testing
import VaporTesting

/// `accord serve --tls-cert/--tls-key`: HTTPS with HSTS, and clear refusals of unusable files.
@Suite struct TLSTests {
    /// A self-signed certificate for 127.0.0.1 made by openssl, in a folder of its own.
    static func certificate() async throws -> (directory: URL, cert: String, key: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("accord-tls-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let cert = directory.appendingPathComponent("cert.pem").path, key = directory.appendingPathComponent("key.pem").path
        let openssl = try await ChildProcess.run("/usr/bin/openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                             "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert])
        try #require(openssl.status == 0, "\(openssl.errors)")
        return (directory, cert, key)
    }

    @Test func theDeskServesHTTPSWithHSTS() async throws {
        let (directory, cert, key) = try await Self.certificate()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await DeskHarness.run(at: "2026-03-02T09:00:00Z", configure: { $0.tls = .init(certificateChain: cert, privateKey: key) }) { desk in
            let port = desk.port
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(cert))
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
            do {
                var request = HTTPClientRequest(url: "https://127.0.0.1:\(port)/api/v1/me")
                request.headers.add(name: "Authorization", value: "Bearer \(desk.adminToken)")
                let response = try await client.execute(request, timeout: .seconds(10))
                #expect(response.status == .ok)
                #expect(response.headers.first(name: "Strict-Transport-Security") == "max-age=31536000; includeSubDomains")
                // Plain HTTP to the TLS port gets no answer a client could read as a page.
                let plain = try? await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/health"), timeout: .seconds(5))
                #expect(plain?.status != .ok)
            } catch {
                try? await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }

    @Test func unusableFilesAreRefusedNamingTheOption() async throws {
        let (directory, cert, key) = try await Self.certificate()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(throws: AccordApp.TLSSetupError.self) { try AccordApp.serverTLS(.init(certificateChain: key, privateKey: key)) }
        do {
            _ = try AccordApp.serverTLS(.init(certificateChain: cert, privateKey: directory.appendingPathComponent("missing.pem").path))
            Issue.record("a missing key was accepted")
        } catch let error as AccordApp.TLSSetupError {
            #expect(error.description.hasPrefix("--tls-key: cannot read a PEM private key from"))
        }
        #expect(try AccordApp.serverTLS(.init(certificateChain: cert, privateKey: key)).minimumTLSVersion == .tlsv12)
    }
}
