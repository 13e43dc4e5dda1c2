import CurlHTTP
import Foundation

/// Bytes one Range request brought back, placed at their offset in the object.
struct FetchedRange: Sendable {
    let offset: Int
    let bytes: Data
    /// The object's size, when the answer told it.
    let objectSize: Int?
    /// The server ignored Range and sent the whole object (200).
    let isWholeObject: Bool

    var range: Range<Int> { self.offset..<(self.offset + self.bytes.count) }

    /// Interprets a 200 or 206 answer to `request`. `url` is for messages.
    ///
    /// A 206's Content-Range is the truth about where the bytes belong; a body shorter than it announces is a
    /// partial transfer (transient), and a 206 without a usable Content-Range is refused.
    static func from(_ response: HTTPResponse, request: ByteRangeRequest, url: String) throws(ObjectStorageError) -> FetchedRange {
        switch response.status {
        case 200:
            return FetchedRange(offset: 0, bytes: response.body, objectSize: response.body.count, isWholeObject: true)
        case 206:
            guard let header = response.header("Content-Range") else {
                throw .invalidResponse(url: url, problem: "206 Partial Content for \(request) without a Content-Range header")
            }
            guard let contentRange = ContentRange.parse(header), let range = contentRange.range else {
                throw .invalidResponse(url: url, problem: "206 Partial Content with an unusable Content-Range '\(header)'")
            }
            guard response.body.count == range.count else {
                throw .incompleteBody(url: url, expected: range.count, received: response.body.count)
            }
            return FetchedRange(offset: range.lowerBound, bytes: response.body, objectSize: contentRange.completeLength, isWholeObject: false)
        default:
            throw .unexpectedResponse(status: response.status, code: nil, message: nil, url: url)
        }
    }
}
