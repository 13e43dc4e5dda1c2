import CurlHTTP
import Foundation
import Logging

/// Tells the declared channels about cycle events, off the cycle's path: events are queued and sent by one
/// background task, retried with backoff, and a channel that stays down only costs a log line. (The queue is in
/// memory: events of a controller that stops before sending them are not sent after the restart.)
package actor CycleNotifier {
    struct Channel: Sendable {
        var settings: NotificationSettings
        var url: String
        var token: String?
    }

    private let channels: [Channel]
    private let store: any CycleStore
    private let client: CurlHTTPClient
    private let publicURL: String?
    private let logger: Logger
    private let queue: AsyncStream<(String, String, String)>.Continuation
    private let events: AsyncStream<(String, String, String)>
    /// Backoff before each retry; tests shorten it.
    private let retryDelay: Duration

    package init(
        settings: [NotificationSettings], environment: [String: String], store: any CycleStore, client: CurlHTTPClient, publicURL: String?,
        logger: Logger,
        retryDelay: Duration = .seconds(1)
    ) throws {
        var channels: [Channel] = []
        for setting in settings {
            guard let url = setting.url.resolve(environment: environment) else {
                throw NotificationError("the URL of a \(setting.kind.rawValue) notification (\(setting.url)) is not set")
            }
            channels.append(Channel(settings: setting, url: url, token: setting.token?.resolve(environment: environment)))
        }
        self.channels = channels
        self.store = store
        self.client = client
        self.publicURL = publicURL
        self.logger = logger
        self.retryDelay = retryDelay
        (self.events, self.queue) = AsyncStream.makeStream(of: (String, String, String).self, bufferingPolicy: .bufferingNewest(10_000))
    }

    package var isEmpty: Bool { self.channels.isEmpty }

    /// Queues a committed transition (the controller's observer); returns at once.
    package nonisolated func transition(cycleId: String, from: String, to: String) {
        self.queue.yield((cycleId, from, to))
    }

    /// Sends queued events until the stream ends (`finish`) or the task is cancelled.
    package func run() async {
        for await (cycleId, from, to) in self.events {
            guard !self.channels.isEmpty, let (event, body) = await self.describe(cycleId: cycleId, from: from, to: to) else { continue }
            for channel in self.channels where channel.settings.events.contains(event) {
                await self.send(body, kind: event, to: channel)
            }
        }
    }

    package nonisolated func finish() { self.queue.finish() }

    private struct Message: Sendable {
        var generic: JSONValue
        var text: String
    }

    private func describe(cycleId: String, from: String, to: String) async -> (NotificationSettings.Event, Message)? {
        guard let cycle = try? await self.store.cycle(id: cycleId) else { return nil }
        let event: NotificationSettings.Event
        if from.isEmpty {
            event = .cycleStarted
        } else if let outcome = cycle.outcome, cycle.status == .finished {
            switch outcome {
            case .promoted: event = .promoted
            case .rejected: event = .rejected
            case .failed: event = .failed
            case .cancelled: event = .cancelled
            case .rolledBack: event = .rolledBack
            case .noDrift: event = .noDrift
            }
        } else {
            return nil
        }
        let url = self.publicURL.map { "\($0)/v1/cycles/\(cycleId)" }
        let reason = cycle.decision(TriggerDecision.self)?.reason ?? cycle.reason
        let version = cycle.decision(PromotionResult.self)?.version ?? cycle.decision(RejectionDecision.self)?.version
        let summary = cycle.decision(EvaluationVerdict.self)?.summary ?? cycle.failure
        var generic: [String: JSONValue] = [
            "event": .string(event.rawValue), "pipeline": .string(cycle.pipeline), "cycle_id": .string(cycleId),
            "trigger": .string(cycle.kind.rawValue),
            "at": .string(ISO8601DateFormatter().string(from: Date())),
        ]
        if let outcome = cycle.outcome { generic["outcome"] = .string(outcome.rawValue) }
        if let reason { generic["reason"] = .string(reason) }
        if let version { generic["version"] = .string(version) }
        if let summary { generic["summary"] = .string(summary) }
        if let url { generic["cycle_url"] = .string(url) }
        let headline =
            event == .cycleStarted
            ? "cycle started (\(cycle.kind.rawValue)\(reason.map { ": \($0)" } ?? ""))"
            : "cycle \(event.rawValue.replacingOccurrences(of: "_", with: " "))\(version.map { ", version \($0)" } ?? "")"
        let text =
            "*driftloop* `\(cycle.pipeline)`: \(headline)" + (summary.map { "\n\($0)" } ?? "") + (url.map { "\n<\($0)|cycle \(cycleId)>" } ?? "")
        return (event, Message(generic: .object(generic), text: text))
    }

    private func send(_ message: Message, kind event: NotificationSettings.Event, to channel: Channel) async {
        let body: JSONValue = channel.settings.kind == .slack ? ["text": .string(message.text)] : message.generic
        var request = HTTPRequest(
            method: "POST", url: channel.url, headers: [("Content-Type", "application/json")], body: Data(body.jsonText.utf8), timeout: .seconds(10),
            authentication: channel.token.map { .bearer(token: $0) } ?? .none)
        request.followsRedirects = true
        var delay = self.retryDelay
        for attempt in 1...channel.settings.attempts {
            do {
                let response = try await self.client.send(request)
                if response.isSuccess { return }
                // 4xx other than 408/429 will not get better.
                if (400..<500).contains(response.status), response.status != 408, response.status != 429 {
                    self.logger.warning(
                        "notification refused",
                        metadata: ["event": "\(event.rawValue)", "status": "\(response.status)", "kind": "\(channel.settings.kind.rawValue)"])
                    return
                }
            } catch {
                if attempt == channel.settings.attempts {
                    self.logger.warning("notification not delivered", metadata: ["event": "\(event.rawValue)", "error": "\(error)"])
                }
            }
            if attempt < channel.settings.attempts {
                try? await Task.sleep(for: delay)
                delay = delay * 4
            }
        }
        self.logger.warning(
            "notification not delivered after retries",
            metadata: ["event": "\(event.rawValue)", "kind": "\(channel.settings.kind.rawValue)", "attempts": "\(channel.settings.attempts)"])
    }
}

/// A notification channel declared without what it needs (found at start), or a delivery the receiver refused or
/// that could not reach it (retried with backoff, then logged; a cycle never waits on it).
package struct NotificationError: Error, CustomStringConvertible, Sendable {
    package var description: String
    init(_ description: String) { self.description = description }
}
