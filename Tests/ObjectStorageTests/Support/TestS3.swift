import Foundation
import Testing

@testable import ObjectStorage

/// A real S3-compatible server for the client tests: moto with request authentication on, started by
/// `scripts/s3_server.sh`, which also makes the IAM user, key pair and session credentials named below.
/// Each test works in a bucket of its own, so tests run in parallel.
enum TestS3 {
    static let skipMessage =
        "needs an S3 server: bash scripts/s3_server.sh start && eval \"$(bash scripts/s3_server.sh env)\""

    private static func variable(_ name: String) -> String? {
        ProcessInfo.processInfo.environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var endpoint: String? { variable("DRIFTLOOP_S3_ENDPOINT") }
    static var region: String { variable("DRIFTLOOP_S3_REGION") ?? "us-east-1" }
    static var accessKeyID: String? { variable("DRIFTLOOP_S3_ACCESS_KEY_ID") }
    static var secretAccessKey: String? { variable("DRIFTLOOP_S3_SECRET_ACCESS_KEY") }
    static var sessionAccessKeyID: String? { variable("DRIFTLOOP_S3_SESSION_ACCESS_KEY_ID") }
    static var sessionSecretAccessKey: String? { variable("DRIFTLOOP_S3_SESSION_SECRET_ACCESS_KEY") }
    static var sessionToken: String? { variable("DRIFTLOOP_S3_SESSION_TOKEN") }

    static var isAvailable: Bool { endpoint != nil && accessKeyID != nil && secretAccessKey != nil }

    /// The standard AWS variables as a process would see them, pointing at the test server.
    static func awsEnvironment(
        accessKeyID: String? = nil, secretAccessKey: String? = nil, sessionToken: String? = nil, endpoint: String? = nil
    ) -> [String: String] {
        var environment = [
            "AWS_ENDPOINT_URL_S3": endpoint ?? self.endpoint ?? "",
            "AWS_REGION": self.region,
            "AWS_ACCESS_KEY_ID": accessKeyID ?? self.accessKeyID ?? "",
            "AWS_SECRET_ACCESS_KEY": secretAccessKey ?? self.secretAccessKey ?? "",
        ]
        if let sessionToken { environment["AWS_SESSION_TOKEN"] = sessionToken }
        return environment
    }

    /// A client signing with the test user's key pair (or the given overrides); one try per request.
    static func client(
        accessKeyID: String? = nil, secretAccessKey: String? = nil, sessionToken: String? = nil, endpoint: String? = nil
    ) throws -> S3Client {
        var settings = try S3Settings.fromEnvironment(
            awsEnvironment(accessKeyID: accessKeyID, secretAccessKey: secretAccessKey, sessionToken: sessionToken, endpoint: endpoint))
        settings.maxAttempts = 1
        return S3Client(settings: settings)
    }

    /// Creates an empty bucket with a unique name.
    static func freshBucket(_ client: S3Client) async throws -> String {
        let name = "dl-test-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        try await client.createBucket(name)
        return name
    }

    /// Uploads `objects` (key → body), eight at a time.
    static func put(_ objects: [(key: String, body: Data)], bucket: String, client: S3Client) async throws {
        _ = try await mapConcurrently(objects, limit: 8) { object in
            try await client.put(bucket: bucket, key: object.key, body: object.body)
        }
    }

    /// Deterministic bytes: object contents whose every range is checkable.
    static func bytes(count: Int, seed: Int = 0) -> Data {
        Data((0..<count).map { UInt8(truncatingIfNeeded: ($0 &* 31) ^ ($0 >> 8) &+ seed) })
    }
}

/// The error a throwing async expression threw, or a recorded issue when it did not throw one of this type.
func objectStorageError(
    sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> some Any
) async -> ObjectStorageError? {
    do {
        _ = try await body()
        Issue.record("expected an ObjectStorageError, nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as ObjectStorageError {
        return error
    } catch {
        Issue.record("expected an ObjectStorageError, got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
