import Foundation

/// A paused pipeline: who paused it, when and why.
public struct PipelinePause: Sendable, Codable, Equatable {
    package var pipeline: String
    package var pausedAt: Date
    package var actor: String
    package var reason: String?

    package init(pipeline: String, pausedAt: Date, actor: String, reason: String?) {
        self.pipeline = pipeline
        self.pausedAt = pausedAt
        self.actor = actor
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case pipeline
        case pausedAt = "paused_at"
        case actor
        case reason
    }
}
