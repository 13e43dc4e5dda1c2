import Foundation

/// Where a secret comes from; the value itself is never in config, logs or the store.
package enum SecretReference: Sendable, Equatable, CustomStringConvertible {
    case environment(String)
    case file(String)
    /// Written in config itself: for values that are not secret.
    case literal(String)

    /// The secret's value: the variable's, or the file's first line; nil when unset, empty or unreadable.
    package func resolve(environment: [String: String]) -> String? {
        switch self {
        case .environment(let name):
            return environment[name].flatMap { $0.isEmpty ? nil : $0 }
        case .literal(let value):
            return value
        case .file(let path):
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
            return text.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }
    }

    /// Names where the secret is looked for, never its value.
    package var description: String {
        switch self {
        case .environment(let name): "environment variable \(name)"
        case .file(let path): "file \(path)"
        case .literal: "config"
        }
    }
}
