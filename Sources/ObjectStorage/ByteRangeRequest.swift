/// The bytes one Range request asks for.
enum ByteRangeRequest: Sendable, Hashable, CustomStringConvertible {
    /// `bytes=a-b`, for the half-open `a..<b+1`.
    case bounded(Range<Int>)
    /// `bytes=-n`: the last `n` bytes, however long the object is.
    case suffix(Int)

    /// The `Range` header value.
    var headerValue: String {
        switch self {
        case .bounded(let range): "bytes=\(range.lowerBound)-\(range.upperBound - 1)"
        case .suffix(let count): "bytes=-\(count)"
        }
    }

    var description: String { self.headerValue }
}
