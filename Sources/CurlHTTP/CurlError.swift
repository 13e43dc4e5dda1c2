/// A transfer that failed before an HTTP response arrived.
package struct CurlError: Error, Sendable, CustomStringConvertible, Equatable {
    /// libcurl's `CURLcode`.
    package var code: Int
    /// libcurl's message for the code, plus its error buffer when it said more.
    package var message: String
    /// The URL, without credentials.
    package var url: String

    package init(code: Int, message: String, url: String) {
        self.code = code
        self.message = message
        self.url = url
    }

    /// `CURLE_OPERATION_TIMEDOUT`: the connect or total timeout elapsed.
    package var isTimeout: Bool { self.code == 28 }
    /// Failures where nobody answered: refused, unresolvable, reset, timed out. Worth a retry.
    package var isTransient: Bool { [5, 6, 7, 28, 52, 55, 56].contains(self.code) }

    package var description: String { "HTTP request to \(self.url) failed: \(self.message) (curl error \(self.code))" }
}
