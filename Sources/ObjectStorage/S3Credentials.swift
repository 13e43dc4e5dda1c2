/// An access key pair, optionally with a session token, and where it was read from.
///
/// Made only from the environment or a credentials file (see `S3Settings`), never from configuration values,
/// so secrets stay out of config files that get committed or logged. The secret and the token are not public
/// and never appear in `description`.
package struct S3Credentials: Sendable, CustomStringConvertible {
    /// The access key id. Not a secret: S3 names it in its own error messages.
    package let accessKeyID: String
    let secretAccessKey: String
    let sessionToken: String?
    /// Where the key pair came from.
    package let source: CredentialSource

    init(accessKeyID: String, secretAccessKey: String, sessionToken: String?, source: CredentialSource) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.source = source
    }

    /// Whether a session token (temporary credentials) is sent.
    package var hasSessionToken: Bool { self.sessionToken != nil }

    package var description: String {
        "\(self.accessKeyID) (secret ***\(self.hasSessionToken ? ", session token ***" : ""), from \(self.source))"
    }

    /// The variables `fromEnvironment` reads, for the "no credentials" message.
    static let environmentVariables = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"]

    /// Reads `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and the optional `AWS_SESSION_TOKEN`.
    static func fromEnvironment(_ environment: [String: String]) throws(ObjectStorageError) -> S3Credentials {
        func value(_ name: String) -> String? {
            guard let value = environment[name]?.trimmingWhitespace, !value.isEmpty else { return nil }
            return value
        }
        let accessKeyID = value("AWS_ACCESS_KEY_ID")
        let secret = value("AWS_SECRET_ACCESS_KEY")
        switch (accessKeyID, secret) {
        case (let accessKeyID?, let secret?):
            return S3Credentials(
                accessKeyID: accessKeyID, secretAccessKey: secret, sessionToken: value("AWS_SESSION_TOKEN"), source: .environment)
        case (nil, nil):
            throw .noCredentials(lookedFor: Self.environmentVariables)
        case (nil, _):
            throw .incompleteCredentials(source: .environment, missing: "AWS_ACCESS_KEY_ID")
        case (_, nil):
            throw .incompleteCredentials(source: .environment, missing: "AWS_SECRET_ACCESS_KEY")
        }
    }
}
