import Foundation

/// The OpenAPI 3.1 description of the API, shipped as a resource and served at `/openapi.yaml`.
/// The test suite checks every route and every response of every test against it.
public enum OpenAPIDocument {
    public static func text() throws -> String {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml", subdirectory: "Resources") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Resources/openapi.yaml"])
        }
        return try String(contentsOf: url, encoding: .utf8)
    }
}
