import CurlHTTP
import Foundation
import Synchronization
import Testing

@testable import ObjectStorage

/// Every S3 error a response can produce, classified and worded, without a server.
@Suite struct ObjectStorageErrorTests {
    static let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    static let token = "FQoGZXIvYXdzEXAMPLETOKEN"

    private func classifier(file: Bool = false) throws -> S3ErrorClassifier {
        let environment = [
            "AWS_ACCESS_KEY_ID": "AKIAEXAMPLE", "AWS_SECRET_ACCESS_KEY": Self.secret, "AWS_SESSION_TOKEN": Self.token,
            "AWS_ENDPOINT_URL_S3": "http://127.0.0.1:9000",
        ]
        return S3ErrorClassifier(settings: try S3Settings.fromEnvironment(environment))
    }

    private func error(_ code: String?, status: Int, key: String? = "k") throws -> ObjectStorageError {
        let body = code.map { S3ErrorResponse(code: $0, message: "server says \($0)", region: nil) }
        return try self.classifier().error(status: status, body: body, request: S3Request(method: "GET", bucket: "bkt", key: key), url: "s3://bkt/k")
    }

    @Test func s3CodesBecomeActionableCases() throws {
        let cases: [(String?, Int, String, Bool)] = [
            ("InvalidAccessKeyId", 403, "does not know access key id AKIAEXAMPLE (InvalidAccessKeyId). Fix AWS_ACCESS_KEY_ID", false),
            ("SignatureDoesNotMatch", 403, "the secret key does not belong to that key. Fix AWS_SECRET_ACCESS_KEY", false),
            ("InvalidToken", 400, "Refresh AWS_SESSION_TOKEN", false),
            ("ExpiredToken", 400, "Refresh AWS_SESSION_TOKEN", false),
            ("AccessDenied", 403, "S3 denied access to s3://bkt/k for access key id AKIAEXAMPLE", false),
            ("NoSuchBucket", 404, "bucket 'bkt' does not exist at http://127.0.0.1:9000 (NoSuchBucket)", false),
            ("NoSuchKey", 404, "s3://bkt/k does not exist (NoSuchKey)", false),
            ("AuthorizationHeaderMalformed", 400, "Set AWS_REGION", false),
            ("SlowDown", 503, "Server error 503 SlowDown", true),
            ("InternalError", 500, "retrying later may help", true),
            ("WeirdThing", 400, "Unexpected HTTP 400 WeirdThing: server says WeirdThing", false),
            ("WeirdThing", 502, "Server error 502", true),
            (nil, 404, "s3://bkt/k does not exist", false),
            (nil, 503, "Server error 503", true),
            (nil, 403, "S3 denied access", false),
        ]
        for (code, status, phrase, transient) in cases {
            let error = try self.error(code, status: status)
            let message = "\(error)"
            #expect(message.contains(phrase), "\(code ?? "nil") \(status): \(message)")
            #expect(error.isTransient == transient, "\(code ?? "nil") \(status)")
            #expect(!message.contains(Self.secret) && !message.contains(Self.token))
        }
        #expect("\(try self.error(nil, status: 404, key: nil))".contains("bucket 'bkt' does not exist"))
    }

    @Test func curlFailuresSplitIntoUnreachableAndTransfer() throws {
        let classifier = try self.classifier()
        let refused = classifier.error(for: CurlError(code: 7, message: "Couldn't connect to server", url: "http://127.0.0.1:9000/bkt/k"))
        #expect("\(refused)".contains("Cannot reach the S3 endpoint http://127.0.0.1:9000") && "\(refused)".contains("AWS_ENDPOINT_URL_S3"))
        #expect(refused.isTransient)
        let timeout = classifier.error(for: CurlError(code: 28, message: "Timeout was reached", url: "http://127.0.0.1:9000/bkt/k"))
        #expect(timeout.isTransient && "\(timeout)".contains("Transfer from http://127.0.0.1:9000/bkt/k failed"))
        let partial = classifier.error(for: CurlError(code: 18, message: "Transferred a partial file", url: "u"))
        #expect(partial.isTransient)
        let tls = classifier.error(for: CurlError(code: 60, message: "SSL peer certificate", url: "u"))
        #expect(!tls.isTransient)
    }

    @Test func credentialsFromAFileAreNamedByFileAndProfile() {
        let error = ObjectStorageError.credentialsRejected(
            code: "SignatureDoesNotMatch", accessKeyID: "AKIA1", source: .file(path: "/etc/dl/creds", profile: "ci"), endpoint: "https://s3")
        #expect("\(error)".hasSuffix("Fix aws_secret_access_key in profile [ci] of /etc/dl/creds."))
    }

    @Test func retryingStopsAtTheLimitAndOnlyForTransientErrors() async throws {
        let attempts = Counter()
        let policy = RetryPolicy(maxAttempts: 3, firstDelay: .milliseconds(1))
        await #expect(throws: ObjectStorageError.self) {
            try await policy.run { () async throws -> Int in
                attempts.increment()
                throw ObjectStorageError.serverError(status: 503, code: nil, message: nil, url: "u")
            }
        }
        #expect(attempts.value == 3)
        let permanent = Counter()
        await #expect(throws: ObjectStorageError.self) {
            try await policy.run { () async throws -> Int in
                permanent.increment()
                throw ObjectStorageError.noSuchKey(bucket: "b", key: "k")
            }
        }
        #expect(permanent.value == 1)
    }
}

/// A thread-safe count for closures the test hands out.
final class Counter: Sendable {
    private let count = Mutex(0)
    func increment() { self.count.withLock { $0 += 1 } }
    var value: Int { self.count.withLock { $0 } }
}
