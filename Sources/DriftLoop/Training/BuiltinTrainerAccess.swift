/// Where the built-in trainer listens and the bearer token it requires.
public struct BuiltinTrainerAccess: Sendable {
    public var url: String
    public var token: String

    public init(url: String, token: String) {
        self.url = url
        self.token = token
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
