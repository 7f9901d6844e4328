import Crypto
import Foundation
import Vapor

/// The web desk's stylesheet and script, read once from the bundle and served with a validator
/// (`ETag`), so browsers keep them and ask again cheaply.
struct WebAssets: Sendable {
    struct Asset: Sendable {
        let body: Data
        let contentType: HTTPMediaType
        let etag: String
    }

    let assets: [String: Asset]

    init() throws {
        guard let directory = Bundle.module.url(forResource: "Assets", withExtension: nil) else {
            throw Abort(.internalServerError, reason: "the web desk's assets are missing from the bundle")
        }
        var assets: [String: Asset] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            let body = try Data(contentsOf: directory.appendingPathComponent(name))
            let type: HTTPMediaType = name.hasSuffix(".css") ? HTTPMediaType(type: "text", subType: "css", parameters: ["charset": "utf-8"])
                : name.hasSuffix(".js") ? HTTPMediaType(type: "text", subType: "javascript", parameters: ["charset": "utf-8"])
                : name.hasSuffix(".svg") ? HTTPMediaType(type: "image", subType: "svg+xml") : .binary
            // The same on every server of the desk: a digest of the content.
            let digest = SHA256.hash(data: body).prefix(12).map { String(format: "%02x", $0) }.joined()
            assets[name] = Asset(body: body, contentType: type, etag: "\"\(digest)\"")
        }
        self.assets = assets
    }

    func serve(_ request: Request) throws -> Response {
        guard let name = request.parameters.get("name"), let asset = assets[name] else { throw Abort(.notFound, reason: "no such file") }
        if request.headers.first(name: .ifNoneMatch) == asset.etag {
            return Response(status: .notModified, headers: ["ETag": asset.etag])
        }
        var headers = HTTPHeaders()
        headers.contentType = asset.contentType
        headers.replaceOrAdd(name: .eTag, value: asset.etag)
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=300")
        return Response(status: .ok, headers: headers, body: .init(data: asset.body))
    }
}
