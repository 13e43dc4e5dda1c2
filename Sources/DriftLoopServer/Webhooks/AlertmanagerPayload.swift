import DriftLoop

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
