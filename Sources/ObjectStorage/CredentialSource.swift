/// Where a key pair came from, so an error can say which setting to fix.
package enum CredentialSource: Sendable, Equatable, CustomStringConvertible {
    /// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and, when set, `AWS_SESSION_TOKEN`.
    case environment
    /// One profile of an AWS shared credentials file.
    case file(path: String, profile: String)

    /// The setting that holds the access key id.
    var accessKeySetting: String {
        switch self {
        case .environment: "AWS_ACCESS_KEY_ID"
        case .file(let path, let profile): "aws_access_key_id in profile [\(profile)] of \(path)"
        }
    }

    /// The setting that holds the secret key.
    var secretKeySetting: String {
        switch self {
        case .environment: "AWS_SECRET_ACCESS_KEY"
        case .file(let path, let profile): "aws_secret_access_key in profile [\(profile)] of \(path)"
        }
    }

    /// The setting that holds the session token.
    var sessionTokenSetting: String {
        switch self {
        case .environment: "AWS_SESSION_TOKEN"
        case .file(let path, let profile): "aws_session_token in profile [\(profile)] of \(path)"
        }
    }

    package var description: String {
        switch self {
        case .environment: "the environment variables AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY"
        case .file(let path, let profile): "profile [\(profile)] of the credentials file \(path)"
        }
    }
}
