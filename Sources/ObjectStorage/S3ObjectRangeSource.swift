/// One S3 object as a source of byte ranges for `RangePrefetcher`.
struct S3ObjectRangeSource: RangeSource {
    let client: S3Client
    let bucket: String
    let key: String

    var objectDescription: String { "s3://\(self.bucket)/\(self.key)" }
    /// S3 and the compatible servers honour Range, so all requests can start at once.
    var mayIgnoreRange: Bool { false }

    func fetch(_ request: ByteRangeRequest) async throws -> FetchedRange {
        try await self.client.fetch(bucket: self.bucket, key: self.key, request)
    }
}
