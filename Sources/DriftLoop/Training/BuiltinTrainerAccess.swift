/// Where the built-in trainer listens and the bearer token it requires.
package struct BuiltinTrainerAccess: Sendable {
    package var endpoint: BuiltinTrainerEndpoint
    package var token: String

    package init(endpoint: BuiltinTrainerEndpoint, token: String) {
        self.endpoint = endpoint
        self.token = token
    }

    /// A built-in trainer at a known address.
    package init(url: String, token: String) {
        self.init(endpoint: BuiltinTrainerEndpoint(url: url), token: token)
    }
}

/// Secrets made by the process for its own use.
package enum TrainerCredential {
    /// 256 random bits as hex, from the system's cryptographic generator.
    package static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in
            let word = generator.next() as UInt64
            let hex = String(word, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }
}
