import AccordStore
import Vapor

/// How the web forms that carry files — logging a case, a reply — receive them: a multipart post
/// is read as it arrives (`FormUpload`: the session's form token checked before any file byte is
/// stored, each file written to disk, an announced body past the limits refused before it is
/// read), under the same per-person count of uploads under way as the API; a form without files
/// comes collected, its token checked by `FormTokenCheck`.
struct WebUploads: Sendable {
    let files: AttachmentFiles
    let slots: UploadSlots
    let limits: FormUpload.Limits
    /// The file field of the forms.
    static let field = "files"

    /// The posts that may carry files: `FormTokenCheck` leaves their multipart bodies to `read`.
    static func carriesFiles(_ request: Request) -> Bool {
        guard request.method == .POST else { return false }
        let parts = request.url.path.split(separator: "/")
        return parts == ["portal", "cases"] || parts == ["console", "cases"] || (parts.count == 3 && parts[0] == "cases" && parts[2] == "messages")
    }

    /// The form's text fields, and its files when it was sent as `multipart/form-data`.
    func read(_ request: Request, session: WebSession) async throws -> (values: [String: String], upload: FormUpload?) {
        guard let type = request.headers.contentType, type.type == "multipart", type.subType == "form-data" else {
            return ((try? request.content.decode([String: String].self)) ?? [:], nil)
        }
        guard let slot = slots.take(for: session.person.id) else {
            throw Throttled(seconds: 5, detail: "you have \(slots.limit) uploads under way, the most one person may at once; wait for one to finish")
        }
        defer { slot.release() }
        let upload = try await FormUpload.read(request, into: files, limits: limits, fileFields: [Self.field], formToken: session.csrfToken)
        return (upload.values, upload)
    }
}
