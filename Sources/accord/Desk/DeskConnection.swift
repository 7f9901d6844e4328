import AsyncHTTPClient
import ArgumentParser
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// Which running desk a command talks to, and as whom: its URL and an API token. The everyday
/// commands (`accord organization`, `accord person`, `accord case`) go through the desk's HTTP API,
/// so every rule, check and audit entry is the one the API and the web pages apply.
struct DeskConnection: ParsableArguments {
    @ArgumentParser.Option(help: "The desk's URL (or ACCORD_URL).")
    var url: String?

    @ArgumentParser.Option(help: "A file holding the API token to act with (or ACCORD_TOKEN).")
    var tokenFile: String?

    @ArgumentParser.Flag(help: "Print the desk's JSON answer instead of a summary.")
    var json = false

    /// The desk's base URL, checked.
    func base() throws -> String {
        let text = url ?? ProcessInfo.processInfo.environment["ACCORD_URL"] ?? "http://127.0.0.1:8080"
        guard let parsed = URL(string: text), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host?.isEmpty == false else {
            throw CommandFailure("--url must be the desk's http(s) URL, such as http://127.0.0.1:8080; got '\(text)'")
        }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }

    /// The token, from `--token-file` or ACCORD_TOKEN.
    func token() throws -> String {
        if let tokenFile {
            guard let text = try? String(contentsOfFile: tokenFile, encoding: .utf8) else {
                throw CommandFailure("--token-file '\(tokenFile)' cannot be read")
            }
            let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else { throw CommandFailure("--token-file '\(tokenFile)' is empty") }
            return token
        }
        guard let token = ProcessInfo.processInfo.environment["ACCORD_TOKEN"], !token.isEmpty else {
            throw CommandFailure("give an API token: --token-file FILE, or ACCORD_TOKEN")
        }
        return token
    }

    /// Sends one request and returns the desk's JSON answer; a refusal becomes the desk's own words
    /// (with the field it names), and the command exits non-zero.
    func call(_ method: HTTPMethod, _ path: String, body: [String: Any]? = nil) async throws -> [String: Any] {
        (try JSONSerialization.jsonObject(with: try await send(method, path, body: body))) as? [String: Any] ?? [:]
    }

    /// `call` for an answer that is a JSON array.
    func list(_ path: String) async throws -> [[String: Any]] {
        (try JSONSerialization.jsonObject(with: try await send(.GET, path, body: nil))) as? [[String: Any]] ?? []
    }

    /// `call` for an answer that is text (a CSV report), as the desk wrote it.
    func text(_ path: String) async throws -> String {
        String(decoding: try await send(.GET, path, body: nil, echo: false), as: UTF8.self)
    }

    private func send(_ method: HTTPMethod, _ path: String, body: [String: Any]?, echo: Bool = true) async throws -> Data {
        var request = HTTPClientRequest(url: try base() + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(try token())")
        request.headers.add(name: "User-Agent", value: "accord-cli/1")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: body)))
        }
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        } catch {
            throw CommandFailure("the desk at \(try base()) did not answer: \(error)")
        }
        let data = Data(buffer: try await response.body.collect(upTo: 16 * 1024 * 1024))
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        guard (200..<300).contains(response.status.code) else {
            let detail = object["detail"] as? String ?? response.status.reasonPhrase
            let field = (object["field"] as? String).map { " (\($0))" } ?? ""
            throw CommandFailure("the desk refused: \(detail)\(field) [HTTP \(response.status.code)]")
        }
        if json, echo { print(String(decoding: data, as: UTF8.self)) }
        return data.isEmpty ? Data("{}".utf8) : data
    }

    /// Prints `summary` unless the JSON was printed.
    func say(_ summary: String) {
        if !json { print(summary) }
    }
}
