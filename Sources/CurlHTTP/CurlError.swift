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
    /// Failures of the connection rather than refusals: unresolvable, refused or timed out, or an exchange the peer
    /// broke off. Worth a retry.
    package var isTransient: Bool { [5, 6, 7, 28].contains(self.code) || self.brokeOff }
    /// The peer was reached but the exchange broke off: a partial body or chunk (18), an HTTP/2 framing or stream
    /// error (16, 92), an empty reply (52), a send or receive error such as a reset (55, 56).
    package var brokeOff: Bool { [16, 18, 52, 55, 56, 92].contains(self.code) }
    /// "is unreachable" or "broke off its answer", for messages that start with the peer's name.
    package var whatThePeerDid: String { self.brokeOff ? "broke off its answer" : "is unreachable" }

    package var description: String { "HTTP request to \(self.url) failed: \(self.message) (curl error \(self.code))" }
}
