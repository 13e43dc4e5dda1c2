import CCurl
import Foundation
import Synchronization

/// One easy-handle transfer and the buffers its C callbacks fill.
///
/// Callbacks reach this object through an unmanaged pointer, so it is a class; its mutable state is
/// touched only by the one thread running `perform()`, except the cancellation flag, which is atomic.
final class CurlTransfer: Sendable {
    private let request: HTTPRequest
    private let cookies: CookieJar
    private let verifiesTLS: Bool
    private let caBundlePath: String?
    private let isCancelled = Atomic<Bool>(false)
    private let received = Mutex(ReceivedData())

    struct ReceivedData {
        var body = Data()
        var headers: [(name: String, value: String)] = []
    }

    init(request: HTTPRequest, cookies: CookieJar, verifiesTLS: Bool, caBundlePath: String?) {
        self.request = request
        self.cookies = cookies
        self.verifiesTLS = verifiesTLS
        self.caBundlePath = caBundlePath
    }

    func cancel() {
        self.isCancelled.store(true, ordering: .relaxed)
    }

    var cancelled: Bool { self.isCancelled.load(ordering: .relaxed) }

    func appendBody(_ pointer: UnsafeRawBufferPointer) {
        self.received.withLock { $0.body.append(contentsOf: pointer) }
    }

    func appendHeaderLine(_ line: String) {
        // "\r\n" is one Character in Swift, so trim with isNewline rather than comparing to "\r".
        let trimmed = String(line.drop { _ in false }.reversed().drop { $0.isNewline }.reversed())
        self.received.withLock { data in
            if trimmed.hasPrefix("HTTP/") {
                // A new status line: a redirect or an interim 100 came first, keep only the last headers.
                data.headers.removeAll()
            } else if let colon = trimmed.firstIndex(of: ":") {
                let name = String(trimmed[..<colon]).trimmingCharacters(in: .whitespaces)
                let value = String(trimmed[trimmed.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
                data.headers.append((name, value))
            }
        }
    }

    /// Runs the transfer on the calling thread. Blocking: call only from a dedicated thread.
    func perform() -> Result<HTTPResponse, any Error> {
        if self.cancelled { return .failure(CancellationError()) }
        guard let handle = ccurl_easy_init() else {
            let reason = ccurl_available() != 0 ? "curl_easy_init failed" : "libcurl (libcurl.so.4) could not be loaded"
            return .failure(CurlError(code: 2, message: reason, url: self.redactedURL))
        }
        var headerList: UnsafeMutablePointer<curl_slist>? = nil
        defer {
            ccurl_slist_free_all(headerList)
            ccurl_easy_cleanup(handle)
        }
        let host = URLComponents(string: self.request.url)?.host ?? ""
        let unmanagedSelf = Unmanaged.passUnretained(self).toOpaque()
        // curl writes its detailed message here during perform, so the buffer must outlive the call.
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        defer { errorBuffer.deallocate() }

        ccurl_setopt_string(handle, CURLOPT_URL, self.request.url)
        ccurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        ccurl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Self.milliseconds(self.request.timeout))
        ccurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(self.request.connectTimeout))
        ccurl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, self.verifiesTLS ? 1 : 0)
        ccurl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, self.verifiesTLS ? 2 : 0)
        if let caBundlePath { ccurl_setopt_string(handle, CURLOPT_CAINFO, caBundlePath) }
        // A proxy from the environment must never see loopback traffic (test servers, the built-in trainer).
        ccurl_setopt_string(handle, CURLOPT_NOPROXY, "127.0.0.1,localhost,::1")
        ccurl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        if self.request.followsRedirects {
            ccurl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 1)
            ccurl_setopt_long(handle, CURLOPT_MAXREDIRS, 10)
            ccurl_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        }
        ccurl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)

        switch self.request.method.uppercased() {
        case "GET": ccurl_setopt_long(handle, CURLOPT_HTTPGET, 1)
        case "HEAD": ccurl_setopt_long(handle, CURLOPT_NOBODY, 1)
        case "POST": ccurl_setopt_long(handle, CURLOPT_POST, 1)
        default: ccurl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, self.request.method.uppercased())
        }
        if let body = self.request.body ?? (self.request.method.uppercased() == "POST" ? Data() : nil) {
            ccurl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            body.withUnsafeBytes { bytes in
                // COPYPOSTFIELDS copies, so the Data may go away before perform.
                _ = ccurl_setopt_pointer(
                    handle, CURLOPT_COPYPOSTFIELDS,
                    UnsafeMutableRawPointer(mutating: bytes.baseAddress ?? UnsafeRawPointer(("" as StaticString).utf8Start)))
            }
        }

        switch self.request.authentication {
        case .none: break
        case .basic(let user, let password):
            ccurl_setopt_long(handle, CURLOPT_HTTPAUTH, ccurl_auth_basic)
            ccurl_setopt_string(handle, CURLOPT_USERNAME, user)
            ccurl_setopt_string(handle, CURLOPT_PASSWORD, password)
        case .bearer(let token):
            headerList = ccurl_slist_append(headerList, "Authorization: Bearer \(token)")
        case .awsSigV4(let provider, let region, let service, let accessKey, let secretKey, let sessionToken):
            // Setting CURLOPT_AWS_SIGV4 also selects CURLAUTH_AWS_SIGV4; the key pair goes in as user and password.
            ccurl_setopt_string(handle, CURLOPT_AWS_SIGV4, "\(provider):\(region):\(service)")
            ccurl_setopt_string(handle, CURLOPT_USERNAME, accessKey)
            ccurl_setopt_string(handle, CURLOPT_PASSWORD, secretKey)
            // A custom header, so libcurl signs it along with the others.
            if let sessionToken { headerList = ccurl_slist_append(headerList, "x-amz-security-token: \(sessionToken)") }
        }
        for header in self.request.headers {
            headerList = ccurl_slist_append(headerList, "\(header.name): \(header.value)")
        }
        if let cookie = self.cookies.cookieHeader(forHost: host) {
            headerList = ccurl_slist_append(headerList, "Cookie: \(cookie)")
        }
        // Large POSTs would otherwise wait a second for "100 Continue". Not with SigV4: libcurl 7.88 signs this
        // empty "remove the header" entry as a header it then never sends, and every server rejects the signature.
        if case .awsSigV4 = self.request.authentication {
        } else {
            headerList = ccurl_slist_append(headerList, "Expect:")
        }
        ccurl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList)

        ccurl_setopt_write_callback(handle, CURLOPT_WRITEFUNCTION) { pointer, size, count, context in
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
            let length = size * count
            if let pointer { transfer.appendBody(UnsafeRawBufferPointer(start: pointer, count: length)) }
            return length
        }
        ccurl_setopt_pointer(handle, CURLOPT_WRITEDATA, unmanagedSelf)
        ccurl_setopt_write_callback(handle, CURLOPT_HEADERFUNCTION) { pointer, size, count, context in
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
            let length = size * count
            if let pointer {
                let line = String(decoding: UnsafeRawBufferPointer(start: pointer, count: length), as: UTF8.self)
                transfer.appendHeaderLine(line)
            }
            return length
        }
        ccurl_setopt_pointer(handle, CURLOPT_HEADERDATA, unmanagedSelf)
        // The progress callback is how a cancelled Swift task stops a transfer already in flight.
        ccurl_setopt_long(handle, CURLOPT_NOPROGRESS, 0)
        ccurl_setopt_xferinfo_callback(handle) { context, _, _, _, _ in
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
            return transfer.cancelled ? 1 : 0
        }
        ccurl_setopt_pointer(handle, CURLOPT_XFERINFODATA, unmanagedSelf)

        let code = ccurl_easy_perform(handle)
        if self.cancelled { return .failure(CancellationError()) }
        guard code == CURLE_OK else {
            let detail = String(cString: errorBuffer)
            let base = String(cString: ccurl_easy_strerror(code))
            let message = detail.isEmpty || detail == base ? base : "\(base): \(detail)"
            return .failure(CurlError(code: Int(code.rawValue), message: message, url: self.redactedURL))
        }
        var status = 0
        ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        let data = self.received.withLock { $0 }
        let setCookies = data.headers.filter { $0.name.caseInsensitiveCompare("Set-Cookie") == .orderedSame }.map(\.value)
        self.cookies.store(setCookieHeaders: setCookies, host: host)
        return .success(HTTPResponse(status: status, headers: data.headers, body: data.body))
    }

    private var redactedURL: String {
        guard var components = URLComponents(string: self.request.url) else { return self.request.url }
        if components.password != nil { components.password = "***" }
        return components.string ?? self.request.url
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }
}
