import AccordStore
import BusinessTime
import Foundation
import Vapor

/// An attachment's bytes for someone who may see its case — the API's `/attachments/{id}` and the
/// web desk's links alike: checked against their SHA-256 before they are sent, a download (never
/// shown inline, so a file cannot run as a page of the desk), the same 404 whether the attachment
/// does not exist, is internal (sent with a note) and the caller a customer's person, or its case
/// is not the caller's to see.
struct AttachmentDownload: Sendable {
    let service: CaseService
    let files: AttachmentFiles

    func response(for id: UUID, to caller: Person, on request: Request) async throws -> Response {
        guard let attachment = try await service.store.attachment(id), !attachment.isInternal || caller.role.isStaff,
              (try? await service.visibleCase(attachment.caseID, for: caller)) != nil else {
            throw Problem(.notFound, "no attachment has that id")
        }
        if let erased = attachment.erasedAt {
            throw Problem(.gone, "the attachment was erased on \(ISO8601.utc(CaseService.seconds(erased))) with its uploader's personal data")
        }
        let files = self.files
        let data: Data
        do {
            data = try await request.application.threadPool.runIfActive { try files.read(attachment.sha256) }
        } catch let failure as AttachmentFiles.Failure {
            request.logger.error("attachment \(attachment.id): \(failure)")
            throw Problem(.internalServerError, "attachment \(attachment.filename) cannot be served: \(failure)")
        }
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.replaceOrAdd(name: .contentType, value: attachment.contentType)
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(attachment.filename.replacingOccurrences(of: "\"", with: ""))\"")
        response.headers.replaceOrAdd(name: "Repr-Digest", value: "sha-256=:\(Data(attachment.sha256.hexBytes).base64EncodedString()):")
        response.headers.replaceOrAdd(name: .eTag, value: "\"\(attachment.sha256)\"")
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        return response
    }
}

extension String {
    /// The bytes of a hexadecimal string.
    fileprivate var hexBytes: [UInt8] {
        var bytes: [UInt8] = []
        var index = startIndex
        while index < endIndex, let next = self.index(index, offsetBy: 2, limitedBy: endIndex) {
            if let byte = UInt8(self[index..<next], radix: 16) { bytes.append(byte) }
            index = next
        }
        return bytes
    }
}
