import Foundation

/// How a fresh champion's observe window ended: `healthy` after the whole window (how many checks ran and the last
/// readings), or `rolled_back` when a rule tripped (the version restored, why, and the readings that tripped it).
package struct ObservationDecision: CycleDecision {
    package static let key = DecisionKey.observation

    package var verdict: ObserveAction.Outcome
    /// The window watched (`healthy`), e.g. `30m`.
    package var window: String?
    /// How many rounds of checks ran (`healthy`).
    package var checkCount: Int?
    /// The last round's readings (`healthy`), or the round that tripped (`rolled_back`).
    package var readings: [ObservationReading]
    package var toVersion: String?
    package var reason: String?

    package static func healthy(window: Duration, checks: Int, last: [ObservationReading]) -> Self {
        Self(verdict: .healthy, window: DurationText.format(window), checkCount: checks, readings: last, toVersion: nil, reason: nil)
    }

    package static func rolledBack(to version: String, reason: String, readings: [ObservationReading]) -> Self {
        Self(verdict: .rolledBack, window: nil, checkCount: nil, readings: readings, toVersion: version, reason: reason)
    }

    private init(
        verdict: ObserveAction.Outcome, window: String?, checkCount: Int?, readings: [ObservationReading], toVersion: String?, reason: String?
    ) {
        self.verdict = verdict
        self.window = window
        self.checkCount = checkCount
        self.readings = readings
        self.toVersion = toVersion
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case verdict, window, checks, last, reason
        case toVersion = "to_version"
    }

    // The stored shape: `healthy` keeps the count in `checks` and the readings in `last`; `rolled_back` keeps the
    // readings in `checks`.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.verdict = try container.decode(ObserveAction.Outcome.self, forKey: .verdict)
        self.window = try container.decodeIfPresent(String.self, forKey: .window)
        self.toVersion = try container.decodeIfPresent(String.self, forKey: .toVersion)
        self.reason = try container.decodeIfPresent(String.self, forKey: .reason)
        if let count = try? container.decodeIfPresent(Int.self, forKey: .checks) {
            self.checkCount = count
            self.readings = try container.decodeIfPresent([ObservationReading].self, forKey: .last) ?? []
        } else {
            self.checkCount = nil
            self.readings = try container.decodeIfPresent([ObservationReading].self, forKey: .checks) ?? []
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.verdict, forKey: .verdict)
        switch self.verdict {
        case .healthy:
            try container.encodeIfPresent(self.window, forKey: .window)
            try container.encode(self.checkCount ?? 0, forKey: .checks)
            try container.encode(self.readings, forKey: .last)
        case .rolledBack:
            try container.encodeIfPresent(self.toVersion, forKey: .toVersion)
            try container.encodeIfPresent(self.reason, forKey: .reason)
            try container.encode(self.readings, forKey: .checks)
        }
    }
}

/// One observe rule's reading.
package struct ObservationReading: Codable, Sendable, Equatable {
    package var rule: String
    package var query: String
    package var value: Double?
    package var threshold: Double
    package var comparison: ObservationPolicy.Rule.Comparison
    package var tripped: Bool
    package var explanation: String
}
