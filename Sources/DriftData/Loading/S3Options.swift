import Foundation
import ObjectStorage

/// How to reach S3 objects: config.yaml's `s3:` (endpoint, region, addressing, a credentials file) over the
/// standard AWS variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION,
/// AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL). Credentials never come from config itself.
public struct S3Options: Sendable, Equatable {
    package var endpoint: String?
    package var region: String?
    package var pathStyle: Bool?
    /// An AWS shared credentials file (`[profile]` with aws_access_key_id, aws_secret_access_key, aws_session_token).
    package var credentialsFile: String?
    package var profile: String?
    /// Keys per listing page (S3's default and cap: 1000); smaller in tests, to cross pages with few objects.
    package var listPageSize: Int?

    public init(endpoint: String? = nil, region: String? = nil, pathStyle: Bool? = nil, credentialsFile: String? = nil, profile: String? = nil) {
        self.endpoint = endpoint
        self.region = region
        self.pathStyle = pathStyle
        self.credentialsFile = credentialsFile
        self.profile = profile
    }

    /// The settings, read when an `s3://` source is first used: a command that reads only local files never needs
    /// credentials.
    func settings(environment: [String: String]) throws -> S3Settings {
        try S3Settings(
            endpoint: self.endpoint, region: self.region, pathStyle: self.pathStyle, credentialsFile: self.credentialsFile, profile: self.profile,
            environment: environment)
    }
}
