import Foundation

/// One prediction production made, and later maybe its true label, as sent to `POST /v1/pipelines/{name}/feedback`.
/// A label may arrive in a later batch for an earlier id; the two are joined by id.
public struct FeedbackRecord: Sendable, Equatable {
    public var id: String
    public var timestamp: Date?
    /// The predicted class (text or number) or value.
    public var prediction: String?
    /// The predicted probability of the positive class, for log loss and ROC AUC.
    public var score: Double?
    public var label: String?
    public var features: JSONValue?

    public init(id: String, timestamp: Date? = nil, prediction: String?, score: Double? = nil, label: String? = nil, features: JSONValue? = nil) {
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
    public var labelledSeq: Int64
    public var id: String
    public var prediction: String
    public var label: String
    public var score: Double?
}

/// What a feedback batch changed.
public struct FeedbackIngestResult: Sendable, Codable, Equatable {
    /// New records stored.
    public var accepted: Int
    /// Labels joined to predictions received earlier.
    public var labelsJoined: Int
    /// Records already known (same id, nothing new), ignored.
    public var duplicates: Int

    public init(accepted: Int = 0, labelsJoined: Int = 0, duplicates: Int = 0) {
        self.accepted = accepted
        self.labelsJoined = labelsJoined
        self.duplicates = duplicates
    }

    enum CodingKeys: String, CodingKey {
        case accepted, duplicates
        case labelsJoined = "labels_joined"
    }
}
