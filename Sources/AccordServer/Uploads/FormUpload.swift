import AccordMail
import AccordStore
import Foundation
import Vapor

/// A `multipart/form-data` post read as it arrives: its text fields kept in memory (small, capped),
/// each file written to a temporary file as its bytes come (`IncomingFile`) — never the whole body
/// in memory. A body announced larger than the limits allow is refused before a byte is read; a
/// file growing past its limit stops the reading there. The API's upload and the web forms that
/// carry files (logging a case, a reply) read their bodies through it.
struct FormUpload {
    struct Limits: Sendable {
        /// The largest file.
        let maxFileSize: Int
        /// The most files one post carries.
        let maxFiles: Int
        /// All text fields together.
        var maxFieldBytes = 1_048_576

        /// The largest body these limits allow, with room for part headers and delimiters.
        var maxBody: Int { maxFileSize * maxFiles + maxFieldBytes + 64 * 1024 }
    }

    /// A file of the post, on disk until kept or discarded.
    struct ReceivedFile {
        let file: IncomingFile
        /// The form field it came in.
        let field: String
        let filename: String
        let contentType: String
    }

    /// The text fields, in the order sent (a name may repeat).
    private(set) var fields: [(name: String, value: String)] = []
    private(set) var files: [ReceivedFile] = []

    /// The last value of the text field `name`.
    subscript(_ name: String) -> String? { fields.last { $0.name == name }?.value }

    /// The text fields as a dictionary, the last value of each name.
    var values: [String: String] { Dictionary(fields.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last }) }

    /// Reads the post. File parts are taken only from `fileFields` (others' bytes are skipped); a
    /// file field left empty by the browser (no file chosen) is no file. With `formToken`, the
    /// post's `_csrf` field must match it — and must come before any file, so that a forged post
    /// never gets a byte stored.
    static func read(_ request: Request, into store: AttachmentFiles, limits: Limits, fileFields: Set<String>,
                     formToken: String? = nil) async throws -> FormUpload {
        guard let type = request.headers.contentType, type.type == "multipart", type.subType == "form-data" else {
            throw Problem(.unsupportedMediaType, "send the form as multipart/form-data")
        }
        let tooLarge = Problem(.payloadTooLarge, "attachments may be at most \(limits.maxFileSize / 1_048_576) MB each"
                                   + (limits.maxFiles > 1 ? ", \(limits.maxFiles) at once" : ""))
        if let length = request.headers.first(name: .contentLength).flatMap(Int.init), length > limits.maxBody { throw tooLarge }
        guard let boundary = type.parameters["boundary"], !boundary.isEmpty else {
            throw Problem(.badRequest, "multipart/form-data needs its boundary parameter", field: "file")
        }
        var reader: MultipartReader
        do { reader = try MultipartReader(boundary: boundary) } catch let malformed as MultipartReader.Malformed {
            throw Problem(.badRequest, malformed.description, field: "file")
        }
        let threads = request.application.threadPool
        var upload = FormUpload()
        var tokenChecked = formToken == nil
        var current: (name: String, file: ReceivedFile?, text: [UInt8])?
        var pending = ByteBuffer()
        var received = 0, fieldBytes = 0
        // A file past its limit is dropped at once, but the rest of the body (within `maxBody`)
        // is still read and thrown away, so that the client, still sending, gets the 413.
        var oversized = false
        func writePending() async throws {
            guard let file = current?.file?.file, pending.readableBytes > 0 else { return }
            let bytes = pending
            pending = ByteBuffer()
            guard !oversized else { return }
            if file.size + bytes.readableBytes > limits.maxFileSize {
                oversized = true
                file.discard()
                return
            }
            try await threads.runIfActive { try file.write(bytes) }
        }
        do {
            for try await piece in request.body {
                received += piece.readableBytes
                guard received <= limits.maxBody else { throw tooLarge }
                for event in try reader.read(piece.readableBytesView) {
                    switch event {
                    case .part(let headers):
                        let name = headers.name ?? ""
                        var file: ReceivedFile?
                        if let filename = headers.filename {
                            if fileFields.contains(name), !filename.isEmpty {
                                guard tokenChecked else { throw FormToken.Mismatch() }
                                guard upload.files.count < limits.maxFiles else {
                                    throw Problem(.unprocessableEntity, "at most \(limits.maxFiles) file\(limits.maxFiles == 1 ? "" : "s") at once", field: name)
                                }
                                file = ReceivedFile(file: try await threads.runIfActive { try IncomingFile(into: store) }, field: name,
                                                    filename: filename, contentType: headers.contentType ?? "application/octet-stream")
                                upload.files.append(file!)
                            }
                            current = (name, file, [])
                            if file == nil { current = nil }
                        } else {
                            current = (name, nil, [])
                        }
                    case .bytes(let bytes):
                        guard current != nil else { continue }
                        if current?.file != nil {
                            pending.writeBytes(bytes)
                            if pending.readableBytes >= 256 * 1024 { try await writePending() }
                        } else {
                            fieldBytes += bytes.count
                            guard fieldBytes <= limits.maxFieldBytes else {
                                throw Problem(.payloadTooLarge, "the form's text is larger than \(limits.maxFieldBytes / 1024) KB")
                            }
                            current?.text += bytes
                        }
                    case .partEnd:
                        if let part = current {
                            if part.file != nil {
                                try await writePending()
                            } else {
                                guard let value = String(validating: part.text, as: UTF8.self) else {
                                    throw Problem(.badRequest, "the field \(part.name) is not UTF-8 text", field: part.name)
                                }
                                if part.name == "_csrf", let formToken {
                                    guard FormToken.same(value, formToken) else { throw FormToken.Mismatch() }
                                    tokenChecked = true
                                }
                                upload.fields.append((part.name, value))
                            }
                        }
                        current = nil
                    }
                }
            }
            try reader.finish()
            guard tokenChecked else { throw FormToken.Mismatch() }
            if oversized { throw tooLarge }
        } catch {
            upload.discard()
            if let malformed = error as? MultipartReader.Malformed { throw Problem(.badRequest, malformed.description, field: "file") }
            throw error
        }
        return upload
    }

    /// Removes every file received (a post refused).
    func discard() {
        for received in files { received.file.discard() }
    }

    /// Each file with the name it is kept under: 1 to 255 characters (any folder part dropped);
    /// refused when a name is unusable or a file empty.
    private func named() throws -> [(ReceivedFile, String)] {
        try files.map { received in
            let name = received.filename.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
            guard !name.trimmingCharacters(in: .whitespaces).isEmpty, name.count <= 255 else {
                throw Problem(.unprocessableEntity, "the file needs a name of 1 to 255 characters", field: received.field)
            }
            guard received.file.size > 0 else { throw Problem(.unprocessableEntity, "\(name) is empty", field: received.field) }
            return (received, name)
        }
    }

    /// The names the files will be kept under, when every one can be (`named`): checked before
    /// what they come with is saved.
    @discardableResult
    func check() throws -> [String] {
        try named().map(\.1)
    }

    /// Keeps each file in the store and records it as an attachment of `supportCase`; all are
    /// checked before any is kept, and none kept when one is refused.
    /// Internal files (sent with an internal note) are seen by staff only.
    func attach(to supportCase: SupportCase, by caller: Person, isInternal: Bool = false, service: CaseService, threads: NIOThreadPool) async throws -> [Attachment] {
        let named: [(ReceivedFile, String)]
        do { named = try self.named() } catch {
            discard()
            throw error
        }
        var attachments: [Attachment] = []
        for (received, name) in named {
            let file = received.file
            let sha = try await threads.runIfActive { try file.keep() }
            let attachment = Attachment(id: UUID(), caseID: supportCase.id, filename: name, contentType: received.contentType,
                                        size: file.size, sha256: sha, uploadedBy: caller.id, uploadedAt: service.now(), isInternal: isInternal)
            try await service.store.addAttachment(attachment)
            attachments.append(attachment)
        }
        return attachments
    }
}
