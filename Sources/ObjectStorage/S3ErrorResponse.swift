import Foundation

/// S3's error body: `<Error><Code>NoSuchKey</Code><Message>...</Message>...</Error>`.
struct S3ErrorResponse: Sendable, Equatable {
    let code: String
    let message: String?
    /// The region S3 says the bucket is in (`AuthorizationHeaderMalformed`, `PermanentRedirect`), when it says.
    let region: String?

    /// `nil` when the body is empty or not an S3 error document (a proxy's HTML page, say).
    static func parse(_ body: Data) -> S3ErrorResponse? {
        guard !body.isEmpty, let root = XMLTree.parse(body), root.name == "Error",
            let code = root.text("Code")?.trimmingWhitespace, !code.isEmpty
        else { return nil }
        return S3ErrorResponse(code: code, message: root.text("Message")?.trimmingWhitespace, region: root.text("Region"))
    }
}
