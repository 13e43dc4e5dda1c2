import Foundation

/// Where S3 is and how to sign for it.
///
/// Credentials come only from the standard AWS environment variables or from a credentials file the caller
/// names: never from configuration values, so no secret sits in a config file.
package struct S3Settings: Sendable, CustomStringConvertible {
    /// The service's base URL.
    let endpoint: S3Endpoint
    /// The region requests are signed for.
    package let region: String
    /// Bucket in the path or in the host name.
    package let addressing: S3Addressing
    /// The key pair requests are signed with.
    package let credentials: S3Credentials
    /// Limit on one request, connection included.
    package var requestTimeout: Duration = .seconds(60)
    /// Limit on establishing a connection.
    package var connectTimeout: Duration = .seconds(10)
    /// Tries per request when the failure is transient (5xx, timeouts, resets, partial transfers).
    package var maxAttempts: Int = 3

    /// The endpoint as a URL string, e.g. `https://s3.us-east-1.amazonaws.com`.
    package var endpointURL: String { self.endpoint.description }

    /// The region used when neither the caller nor the environment names one.
    package static let defaultRegion = "us-east-1"

    /// Settings from the environment alone:
    /// - credentials: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, optional `AWS_SESSION_TOKEN`;
    /// - region: `AWS_REGION`, else `AWS_DEFAULT_REGION`, else us-east-1;
    /// - endpoint: `AWS_ENDPOINT_URL_S3`, else `AWS_ENDPOINT_URL`, else `https://s3.<region>.amazonaws.com`;
    /// - path-style addressing exactly when an endpoint is set.
    package static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws(ObjectStorageError)
        -> S3Settings
    {
        try S3Settings(environment: environment)
    }

    /// Settings with explicit values; what is `nil` falls back to the environment as in `fromEnvironment`.
    ///
    /// - Parameters:
    ///   - endpoint: base URL of an S3-compatible service (MinIO, Ceph, moto); `nil`: environment, then AWS.
    ///   - region: signing region; `nil`: environment, then us-east-1.
    ///   - pathStyle: `nil`: path-style when an endpoint is given (explicitly or by the environment).
    ///   - credentialsFile: an AWS shared credentials file to read the key pair from instead of the environment.
    ///   - profile: the profile in `credentialsFile`; `nil`: `AWS_PROFILE`, else `default`.
    package init(
        endpoint: String? = nil, region: String? = nil, pathStyle: Bool? = nil, credentialsFile: String? = nil, profile: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ObjectStorageError) {
        func nonEmpty(_ name: String) -> String? {
            guard let value = environment[name]?.trimmingWhitespace, !value.isEmpty else { return nil }
            return value
        }
        let region = region ?? nonEmpty("AWS_REGION") ?? nonEmpty("AWS_DEFAULT_REGION") ?? Self.defaultRegion
        guard !region.isEmpty, region.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            throw .invalidSettings(setting: "region", value: region, problem: "a region is letters, digits and '-', e.g. eu-west-1")
        }
        let endpointSetting: (name: String, value: String)? =
            endpoint.map { ("endpoint", $0) } ?? nonEmpty("AWS_ENDPOINT_URL_S3").map { ("AWS_ENDPOINT_URL_S3", $0) }
            ?? nonEmpty("AWS_ENDPOINT_URL").map { ("AWS_ENDPOINT_URL", $0) }
        if let endpointSetting {
            self.endpoint = try S3Endpoint.parse(endpointSetting.value, setting: endpointSetting.name)
        } else {
            self.endpoint = S3Endpoint.aws(region: region)
        }
        self.region = region
        self.addressing = (pathStyle ?? (endpointSetting != nil)) ? .pathStyle : .virtualHosted
        if let credentialsFile {
            self.credentials = try CredentialsFile.load(path: credentialsFile).credentials(profile: profile ?? nonEmpty("AWS_PROFILE") ?? "default")
        } else {
            self.credentials = try S3Credentials.fromEnvironment(environment)
        }
    }

    package var description: String {
        "S3Settings(endpoint: \(self.endpoint), region: \(self.region), addressing: \(self.addressing.rawValue), credentials: \(self.credentials))"
    }
}
