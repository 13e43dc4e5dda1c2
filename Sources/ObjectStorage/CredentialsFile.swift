import Foundation

/// An AWS shared credentials file (`~/.aws/credentials` format):
///
///     [default]
///     aws_access_key_id = AKIA...
///     aws_secret_access_key = ...
///     aws_session_token = ...      # optional
///
/// Lines starting with `#` or `;` are comments. Keys are matched case-insensitively. Errors name the line
/// number, never the line: it may hold a secret.
struct CredentialsFile: Sendable {
    let path: String
    /// Profile name → lower-cased key → value.
    let profiles: [String: [String: String]]

    static func load(path: String) throws(ObjectStorageError) -> CredentialsFile {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "it is not readable UTF-8 text" : "it does not exist"
            throw .credentialsFileUnreadable(path: path, reason: reason)
        }
        return try Self.parse(text, path: path)
    }

    static func parse(_ text: String, path: String) throws(ObjectStorageError) -> CredentialsFile {
        var profiles: [String: [String: String]] = [:]
        var current: String?
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = String(rawLine).trimmingWhitespace
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), line.count > 2 else {
                    throw .credentialsFileInvalid(path: path, line: index + 1, problem: "a section header must look like [profile-name]")
                }
                var name = String(line.dropFirst().dropLast()).trimmingWhitespace
                // The config file spells sections "[profile name]"; accept that spelling here too.
                if name.hasPrefix("profile ") { name = String(name.dropFirst("profile ".count)).trimmingWhitespace }
                current = name
                profiles[name, default: [:]] = profiles[name] ?? [:]
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw .credentialsFileInvalid(path: path, line: index + 1, problem: "expected key = value or [profile-name]")
            }
            guard let profile = current else {
                throw .credentialsFileInvalid(path: path, line: index + 1, problem: "a key = value line comes before any [profile-name] header")
            }
            let key = String(line[..<equals]).trimmingWhitespace.lowercased()
            let value = String(line[line.index(after: equals)...]).trimmingWhitespace
            profiles[profile, default: [:]][key] = value
        }
        return CredentialsFile(path: path, profiles: profiles)
    }

    func credentials(profile: String) throws(ObjectStorageError) -> S3Credentials {
        guard let values = self.profiles[profile] else {
            throw .credentialsProfileMissing(path: self.path, profile: profile, available: self.profiles.keys.sorted())
        }
        let source = CredentialSource.file(path: self.path, profile: profile)
        func value(_ key: String) -> String? { values[key].flatMap { $0.isEmpty ? nil : $0 } }
        guard let accessKeyID = value("aws_access_key_id") else { throw .incompleteCredentials(source: source, missing: "aws_access_key_id") }
        guard let secret = value("aws_secret_access_key") else { throw .incompleteCredentials(source: source, missing: "aws_secret_access_key") }
        return S3Credentials(accessKeyID: accessKeyID, secretAccessKey: secret, sessionToken: value("aws_session_token"), source: source)
    }
}
