/// Something that answers Range requests for one object: an S3 object or a plain HTTP(S) URL.
protocol RangeSource: Sendable {
    /// The object, for messages (`s3://bucket/key` or the URL).
    var objectDescription: String { get }
    /// Whether the server may ignore `Range` and send the whole object. Prefetching then sends one request
    /// first and the rest only once that one came back partial, instead of downloading the object N times.
    var mayIgnoreRange: Bool { get }
    func fetch(_ request: ByteRangeRequest) async throws -> FetchedRange
}
