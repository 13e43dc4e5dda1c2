import Foundation

/// What a bearer token may do. Each role includes the ones before it: `read` < `trigger` < `approve`.
package enum APIRole: String, Sendable, Comparable, CaseIterable {
    /// GET routes.
    case read
    /// Starting cycles: retrain, drift and Alertmanager webhooks, feedback.
    case trigger
    /// Deciding for people: approve and reject, rollback, cancel, pause and resume.
    case approve

    package static func < (lhs: APIRole, rhs: APIRole) -> Bool {
        Self.allCases.firstIndex(of: lhs)! < Self.allCases.firstIndex(of: rhs)!
    }
}

/// One named API token (`api_tokens:` in config.yaml). The token itself is in the environment or a file.
package struct APITokenSettings: Sendable, Equatable {
    package var name: String
    package var role: APIRole
    package var secret: SecretReference

    package init(name: String, role: APIRole, secret: SecretReference) {
        self.name = name
        self.role = role
        self.secret = secret
    }
}

enum APITokenSettingsReader {
    static let example = "`api_tokens: [{name: ci, role: trigger, token_env: DRIFTLOOP_CI_TOKEN}]`"

    static func read(_ node: YAMLNode, baseDirectory: String, reader: inout YAMLReader) -> [APITokenSettings] {
        guard !node.isMissing else { return [] }
        guard node.isSequence else {
            reader.fail(node, "`api_tokens` must be a list, for example \(Self.example)")
            return []
        }
        let items = node.elements()
        var tokens: [APITokenSettings] = []
        for item in items {
            guard reader.requireMapping(item, example: "{name: ci, role: trigger, token_env: DRIFTLOOP_CI_TOKEN}") else { continue }
            reader.rejectUnknownKeys(item, allowed: ["name", "role", "token_env", "token_file"])
            let nameNode = item.child("name")
            guard let name = reader.string(nameNode), !name.isEmpty else {
                reader.fail(
                    nameNode.isMissing ? item : nameNode, "each API token needs a `name` (it is recorded as who acted), for example \(Self.example)")
                continue
            }
            if tokens.contains(where: { $0.name == name }) { reader.fail(nameNode, "API token `\(name)` is declared twice") }
            let roleNode = item.child("role")
            let roleText = reader.string(roleNode) ?? ""
            guard let role = APIRole(rawValue: roleText) else {
                reader.fail(roleNode.isMissing ? item : roleNode, "`role` of API token `\(name)` must be read, trigger or approve")
                continue
            }
            let secret: SecretReference
            if let variable = reader.string(item.child("token_env")) {
                secret = .environment(variable)
            } else if let path = reader.string(item.child("token_file")) {
                secret = .file(PathResolution.resolve(path, relativeTo: baseDirectory))
            } else {
                reader.fail(item, "API token `\(name)` needs `token_env: VARIABLE` or `token_file: PATH` (never the token itself)")
                continue
            }
            tokens.append(APITokenSettings(name: name, role: role, secret: secret))
        }
        return tokens
    }
}
