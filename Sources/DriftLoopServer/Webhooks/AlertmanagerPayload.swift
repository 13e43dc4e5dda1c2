import DriftLoop
import HTTPTypes

/// Alertmanager's webhook body, version 4 (`notify/webhook`): one notification for one alert group.
struct AlertmanagerPayload: Decodable {
    struct Alert: Decodable {
        var status: String
        var labels: [String: String]
        var annotations: [String: String]?
        var startsAt: String
        var endsAt: String?
        var generatorURL: String?
        var fingerprint: String
    }

    var version: String
    var groupKey: String?
    var status: String
    var receiver: String?
    var externalURL: String?
    var alerts: [Alert]
    var truncatedAlerts: Int?
}

/// What happened to each alert of a notification, in the 200 answer.
struct AlertDisposition: Encodable {
    var fingerprint: String
    var status: String
    var pipeline: String?
    var disposition: String
    var cycleId: String?
    var error: String?

    enum CodingKeys: String, CodingKey {
        case fingerprint, status, pipeline, disposition, error
        case cycleId = "cycle_id"
    }
}

extension AlertmanagerPayload {
    /// Every text an alert brings is stored, shown on the status page and may become a cycle's reason or a Jenkins
    /// parameter, so each has the same cap as the API's free-text fields. The 400 names the first one over it.
    func checkTextLengths() throws {
        let cap = RetrainRequest.maxTextBytes
        func check(_ value: String?, _ field: @autoclosure () -> String) throws {
            guard let value, value.utf8.count > cap else { return }
            throw APIError(
                .badRequest, code: "invalid_field", message: "`\(field())` is \(value.utf8.count) bytes long; at most \(cap) are accepted",
                field: field())
        }
        try check(self.version, "version")
        try check(self.groupKey, "groupKey")
        try check(self.status, "status")
        try check(self.receiver, "receiver")
        try check(self.externalURL, "externalURL")
        for (index, alert) in self.alerts.enumerated() {
            let path = "alerts[\(index)]"
            try check(alert.status, "\(path).status")
            try check(alert.startsAt, "\(path).startsAt")
            try check(alert.endsAt, "\(path).endsAt")
            try check(alert.generatorURL, "\(path).generatorURL")
            try check(alert.fingerprint, "\(path).fingerprint")
            for (name, value) in alert.labels.sorted(by: { $0.key < $1.key }) {
                try check(name, "\(path).labels")
                try check(value, "\(path).labels.\(name)")
            }
            for (name, value) in (alert.annotations ?? [:]).sorted(by: { $0.key < $1.key }) {
                try check(name, "\(path).annotations")
                try check(value, "\(path).annotations.\(name)")
            }
        }
    }
}
