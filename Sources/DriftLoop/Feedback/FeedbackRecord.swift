import Foundation

/// One prediction production made, and later maybe its true label, as sent to `POST /v1/pipelines/{name}/feedback`.
/// A label may arrive in a later batch for an earlier id; the two are joined by id.
public struct FeedbackRecord: Sendable, Equatable {
    package var id: String
    package var timestamp: Date?
    /// The predicted class (text or number) or value.
    package var prediction: String?
    /// The predicted probability of the positive class, for log loss and ROC AUC.
    package var score: Double?
    package var label: String?
    package var features: JSONValue?

    package init(id: String, timestamp: Date? = nil, prediction: String?, score: Double? = nil, label: String? = nil, features: JSONValue? = nil) {
        self.id = id
        self.timestamp = timestamp
        self.prediction = prediction
        self.score = score
        self.label = label
        self.features = features
    }
}

/// A prediction whose label is known, in the order labels became known.
public struct LabelledFeedback: Sendable, Equatable {
    package var labelledSeq: Int64
    package var id: String
    package var prediction: String
    package var label: String
    package var score: Double?
}

/// What a feedback batch changed.
public struct FeedbackIngestResult: Sendable, Codable, Equatable {
    /// New records stored.
    package var accepted: Int
    /// Labels joined to predictions received earlier.
    package var labelsJoined: Int
    /// Records already known (same id, nothing new), ignored.
    package var duplicates: Int

    package init(accepted: Int = 0, labelsJoined: Int = 0, duplicates: Int = 0) {
        self.accepted = accepted
        self.labelsJoined = labelsJoined
        self.duplicates = duplicates
    }

    enum CodingKeys: String, CodingKey {
        case accepted, duplicates
        case labelsJoined = "labels_joined"
    }
}
