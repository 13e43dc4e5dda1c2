/// Where the built-in trainer listens and the bearer token it requires.
public struct BuiltinTrainerAccess: Sendable {
    public var endpoint: BuiltinTrainerEndpoint
    public var token: String

    public init(endpoint: BuiltinTrainerEndpoint, token: String) {
        self.endpoint = endpoint
        self.token = token
    }

    /// A built-in trainer at a known address.
    public init(url: String, token: String) {
        self.init(endpoint: BuiltinTrainerEndpoint(url: url), token: token)
    }
}

/// Secrets made by the process for its own use.
public enum TrainerCredential {
    /// 256 random bits as hex, from the system's cryptographic generator.
    public static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in
            let word = generator.next() as UInt64
            let hex = String(word, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }
}
