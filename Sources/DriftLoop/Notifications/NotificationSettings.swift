/// One outgoing notification channel (`notifications:` in config.yaml).
package struct NotificationSettings: Sendable, Equatable {
    package enum Kind: String, Sendable { case webhook, slack }

    /// The cycle events a channel can be told about.
    package enum Event: String, Sendable, CaseIterable {
        case cycleStarted = "cycle_started"
        case promoted, rejected, failed, cancelled
        case rolledBack = "rolled_back"
        case noDrift = "no_drift"
    }

    package var kind: Kind
    /// The URL, or where to read it (Slack incoming-webhook URLs are secrets).
    package var url: SecretReference
    /// Bearer token for a generic webhook.
    package var token: SecretReference?
    package var events: Set<Event>
    /// Sends per event before giving up (with backoff).
    package var attempts: Int
}

enum NotificationSettingsReader {
    static func read(_ node: YAMLNode, reader: inout YAMLReader) -> [NotificationSettings] {
        guard !node.isMissing else { return [] }
        let example = "notifications: [{kind: slack, url_env: SLACK_WEBHOOK_URL, events: [promoted, failed]}]"
        var channels: [NotificationSettings] = []
        let elements = node.elements()
        if elements.isEmpty, !node.isMissing { reader.fail(node, "`notifications` must be a list, for example \(example)") }
        for element in elements {
            guard reader.requireMapping(element, example: example) else { continue }
            reader.rejectUnknownKeys(element, allowed: ["kind", "url", "url_env", "url_file", "token_env", "token_file", "events", "attempts"])
            let kindNode = element.child("kind")
            let kindText = reader.string(kindNode, default: "webhook") ?? "webhook"
            guard let kind = NotificationSettings.Kind(rawValue: kindText) else {
                reader.fail(kindNode, "`kind` must be `webhook` or `slack`, got `\(kindText)`")
                continue
            }
            var url: SecretReference?
            if let literal = reader.string(element.child("url")) {
                url = .literal(literal)
            } else if let variable = reader.string(element.child("url_env")) {
                url = .environment(variable)
            } else if let path = reader.string(element.child("url_file")) {
                url = .file(path)
            }
            guard let url else {
                reader.fail(element, "a notification needs `url`, `url_env` or `url_file`")
                continue
            }
            var token: SecretReference?
            if let variable = reader.string(element.child("token_env")) { token = .environment(variable) }
            if let path = reader.string(element.child("token_file")) { token = .file(path) }
            var events = Set(NotificationSettings.Event.allCases)
            let eventsNode = element.child("events")
            if let names = reader.stringList(eventsNode) {
                events = []
                for name in names {
                    if let event = NotificationSettings.Event(rawValue: name) {
                        events.insert(event)
                    } else {
                        reader.fail(
                            eventsNode,
                            "unknown event `\(name)`; events are \(NotificationSettings.Event.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                }
            }
            channels.append(
                NotificationSettings(
                    kind: kind, url: url, token: token, events: events, attempts: reader.int(element.child("attempts"), default: 4, range: 1...20)))
        }
        return channels
    }
}
