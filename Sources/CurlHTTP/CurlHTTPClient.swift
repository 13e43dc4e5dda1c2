import CCurl
import Dispatch
import Foundation
import Synchronization

/// An async HTTP client on libcurl.
///
/// Each transfer runs `curl_easy_perform` on a thread of its own, never on Swift's cooperative pool:
/// that pool has one thread per core (two here) and Hummingbird's handlers run on it, so one blocking
/// call could stall the whole server. Dispatch's default root queues are no better: they are also
/// capped at the core count, so slow transfers would queue behind each other.
public final class CurlHTTPClient: Sendable {
    /// Verify TLS peers and host names. Default: `true`.
    package let verifiesTLS: Bool
    /// A CA bundle to trust instead of the system's. Default: the system's.
    package let caBundlePath: String?
    private let cookies = CookieJar()

    public init(verifiesTLS: Bool = true, caBundlePath: String? = nil) {
        self.verifiesTLS = verifiesTLS
        self.caBundlePath = caBundlePath
    }

    /// Sends a request and returns the response, whatever its status.
    ///
    /// Throws `CurlError` when no response arrived (timeout, refused, TLS failure) and
    /// `CancellationError` when the calling task is cancelled, which aborts the transfer in flight.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        // Set up on first use, not when the client is made: a command that never fetches (`driftloop drift` on
        // local files) then skips TLS library start-up.
        _ = curlGlobalInitialisation
        try Task.checkCancellation()
        let transfer = CurlTransfer(request: request, cookies: self.cookies, verifiesTLS: self.verifiesTLS, caBundlePath: self.caBundlePath)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, any Error>) in
                let thread = Thread {
                    continuation.resume(with: transfer.perform())
                }
                thread.name = "driftloop.curl"
                thread.start()
            }
        } onCancel: {
            transfer.cancel()
        }
    }
}

/// libcurl's global state must be set up once before any handle exists.
private let curlGlobalInitialisation: Void = {
    ccurl_global_init(Int(CURL_GLOBAL_DEFAULT))
}()
