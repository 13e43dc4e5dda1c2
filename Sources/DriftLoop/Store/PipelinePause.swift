import Foundation

/// A paused pipeline: who paused it, when and why.
public struct PipelinePause: Sendable, Codable, Equatable {
    public var pipeline: String
    public var pausedAt: Date
    public var actor: String
    public var reason: String?

    public init(pipeline: String, pausedAt: Date, actor: String, reason: String?) {
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
