/// A transfer that failed before an HTTP response arrived.
public struct CurlError: Error, Sendable, CustomStringConvertible, Equatable {
    /// libcurl's `CURLcode`.
    public var code: Int
    /// libcurl's message for the code, plus its error buffer when it said more.
    public var message: String
    /// The URL, without credentials.
    public var url: String

    public init(code: Int, message: String, url: String) {
        self.code = code
        self.message = message
        self.url = url
    }

    /// `CURLE_OPERATION_TIMEDOUT`: the connect or total timeout elapsed.
    public var isTimeout: Bool { self.code == 28 }
    /// Failures where nobody answered: refused, unresolvable, reset, timed out. Worth a retry.
    public var isTransient: Bool { [5, 6, 7, 28, 52, 55, 56].contains(self.code) }

    public var description: String { "HTTP request to \(self.url) failed: \(self.message) (curl error \(self.code))" }
}
