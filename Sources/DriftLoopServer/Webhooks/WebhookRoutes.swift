import Crypto
import DriftLoop
import Foundation
import HTTPTypes
import Hummingbird

/// Incoming triggers from monitoring: Alertmanager's webhook and generic drift webhooks (bearer or HMAC-signed).
/// Each answers 2xx only after every event it accepted is committed to the store.
struct WebhookRoutes: Sendable {
    var controller: Controller
    var authorizer: BearerTokenAuthorizer
    /// Alertmanager's own bearer token; nil accepts the API token.
    var alertmanagerAuthorizer: BearerTokenAuthorizer?
    var pipelineLabel: String
    /// Resolved signing secrets by source name.
    var signingSecrets: [String: String]
    var maxSkew: Duration
    var bodies: RequestBodyDecoder
    var metrics: DriftLoopMetrics

    func register(on router: Router<BasicRequestContext>) {
        router.post("/v1/webhooks/alertmanager") { request, _ in try await self.alertmanager(request) }
        router.post("/v1/webhooks/drift") { request, _ in try await self.driftWebhook(request) }
    }

    // MARK: Alertmanager

    private func alertmanager(_ request: Request) async throws -> Response {
        let principal = try (self.alertmanagerAuthorizer ?? self.authorizer).authorize(request, role: .trigger)
        let data = try await self.bodies.data(request, authenticated: principal != nil)
        let payload: AlertmanagerPayload
        do {
            payload = try JSONDecoder().decode(AlertmanagerPayload.self, from: data)
        } catch let error as DecodingError {
            throw RequestBodyDecoder.apiError(for: error)
        }
        try payload.checkTextLengths()
        guard payload.version == "4" else {
            throw APIError(
                .badRequest, code: "unsupported_version",
                message: "Alertmanager webhook version `\(payload.version)` is not supported; driftloop reads version 4", field: "version")
        }
        // Every start is checked before any alert is stored, so a bad notification stores nothing.
        var starts: [RFC3339Timestamp] = []
        for (index, alert) in payload.alerts.enumerated() {
            guard let start = RFC3339Timestamp(alert.startsAt) else {
                throw APIError(
                    .badRequest, code: "invalid_field", message: "`startsAt` must be an RFC 3339 timestamp, got `\(alert.startsAt)`",
                    field: "alerts[\(index)].startsAt")
            }
            starts.append(start)
        }
        // Firing alerts are stored per pipeline in one transaction each: a notification with thousands of alerts costs
        // one commit per pipeline, not one per alert. Resolutions and unroutable alerts are answered one by one.
        var results: [AlertDisposition?] = Array(repeating: nil, count: payload.alerts.count)
        var firing: [String: [(index: Int, trigger: Trigger)]] = [:]
        var pipelineOrder: [String] = []
        for (index, (alert, start)) in zip(payload.alerts, starts).enumerated() {
            switch try await self.prepare(alert, startsAt: start.canonical, payload: payload) {
            case .answered(let result):
                results[index] = result
            case .firing(let pipeline, let trigger):
                if firing[pipeline] == nil { pipelineOrder.append(pipeline) }
                firing[pipeline, default: []].append((index, trigger))
            }
        }
        for pipeline in pipelineOrder {
            let batch = firing[pipeline] ?? []
            let acceptances = try await self.controller.submit(pipeline: pipeline, triggers: batch.map(\.trigger))
            for (entry, acceptance) in zip(batch, acceptances) {
                let alert = payload.alerts[entry.index]
                results[entry.index] = AlertDisposition(
                    fingerprint: alert.fingerprint, status: alert.status, pipeline: pipeline, disposition: acceptance.disposition.rawValue,
                    cycleId: acceptance.cycleId)
            }
        }
        let answered = results.compactMap { $0 }
        for result in answered { self.metrics.webhook(source: "alertmanager", result: result.error == nil ? result.disposition : "unroutable") }
        return try JSONResponse.make(AlertmanagerAnswer(alerts: answered))
    }

    private enum PreparedAlert {
        /// Answered without a trigger: unroutable, or a resolution (recorded here).
        case answered(AlertDisposition)
        case firing(pipeline: String, trigger: Trigger)
    }

    private struct AlertmanagerAnswer: Encodable {
        var status = "ok"
        var alerts: [AlertDisposition]
    }

    private func prepare(_ alert: AlertmanagerPayload.Alert, startsAt: String, payload: AlertmanagerPayload) async throws -> PreparedAlert {
        var result = AlertDisposition(fingerprint: alert.fingerprint, status: alert.status, disposition: "ignored")
        guard let pipeline = alert.labels[self.pipelineLabel] else {
            // Retrying cannot fix a missing label, so the notification is still answered 200 (Alertmanager would resend forever).
            result.error = "the alert has no `\(self.pipelineLabel)` label; add it to the alert rule so driftloop knows which pipeline to retrain"
            return .answered(result)
        }
        result.pipeline = pipeline
        guard await self.controller.pipeline(named: pipeline) != nil else {
            result.error = "no pipeline named `\(pipeline)`"
            return .answered(result)
        }
        let record = Self.alertJSON(alert, payload: payload)
        if alert.status == "resolved" {
            let (cycleId, duplicate) = try await self.controller.resolveAlert(
                pipeline: pipeline, fingerprint: alert.fingerprint, startsAt: startsAt,
                endsAt: alert.endsAt.flatMap(RFC3339Timestamp.init)?.canonical,
                payload: record)
            result.disposition = duplicate ? "duplicate" : "resolved"
            result.cycleId = cycleId
            return .answered(result)
        }
        let name = alert.labels["alertname"] ?? "alert"
        let trigger = Trigger(
            kind: .alertmanager, source: payload.receiver.map { "alertmanager/\($0)" } ?? "alertmanager",
            reason: alert.annotations?["summary"] ?? "\(name) firing",
            dedupKey: AlertIdentity.firingKey(fingerprint: alert.fingerprint, startsAt: startsAt),
            payload: record)
        return .firing(pipeline: pipeline, trigger: trigger)
    }

    private static func alertJSON(_ alert: AlertmanagerPayload.Alert, payload: AlertmanagerPayload) -> JSONValue {
        var object: [String: JSONValue] = [
            "status": .string(alert.status), "labels": .object(alert.labels.mapValues(JSONValue.string)),
            "annotations": .object((alert.annotations ?? [:]).mapValues(JSONValue.string)), "startsAt": .string(alert.startsAt),
            "fingerprint": .string(alert.fingerprint),
        ]
        if let endsAt = alert.endsAt { object["endsAt"] = .string(endsAt) }
        if let url = alert.generatorURL { object["generatorURL"] = .string(url) }
        if let key = payload.groupKey { object["groupKey"] = .string(key) }
        if let url = payload.externalURL { object["externalURL"] = .string(url) }
        return .object(object)
    }

    // MARK: Drift webhooks

    private func driftWebhook(_ request: Request) async throws -> Response {
        let signature = request.headers[HTTPField.Name(WebhookSignature.signatureHeader)!]
        let headerSource = request.headers[HTTPField.Name(WebhookSignature.sourceHeader)!]
        // Who is calling is settled from the headers before the body is read: a bearer token, or a signed source
        // whose timestamp is inside the window. Only the MAC itself needs the body.
        let data: Data
        var signedBy: String?
        var mac: [UInt8]?
        if let signature {
            let (source, secret, timestamp) = try self.checkSignedHeaders(source: headerSource, request: request)
            data = try await self.bodies.data(request, authenticated: false)
            mac = try self.verify(signature: signature, timestamp: timestamp, secret: secret, body: data)
            signedBy = source
        } else {
            let principal = try self.authorizer.authorize(request, role: .trigger)
            data = try await self.bodies.data(request, authenticated: principal != nil)
        }
        let event: DriftWebhookEvent
        do {
            event = try JSONDecoder().decode(DriftWebhookEvent.self, from: data)
        } catch let error as DecodingError {
            throw RequestBodyDecoder.apiError(for: error)
        }
        try event.checkTextLengths()
        let source = signedBy ?? event.source ?? "webhook"
        if signedBy == nil {
            try self.checkUnsignedSource(source)
        }
        guard await self.controller.pipeline(named: event.pipeline) != nil else {
            let known = await self.controller.pipelines().map(\.name).joined(separator: ", ")
            throw APIError.notFound("no pipeline named `\(event.pipeline)`; pipelines: \(known)", field: "pipeline")
        }
        // Without an event id, the MAC identifies the request: a replay inside the window is a duplicate, however the
        // signature was spelt (only one spelling is accepted, and the key is taken from the decoded bytes).
        let identity = event.eventId ?? mac.map { "mac:" + $0.map { String(format: "%02x", $0) }.joined() }
        let trigger = Trigger(
            kind: .driftWebhook, source: source, reason: event.reason ?? "drift reported by \(source)",
            dedupKey: identity.map { "drift:\(source):\($0)" }, force: event.force ?? false,
            payload: JSONValue.parse(String(decoding: data, as: UTF8.self)) ?? .null)
        let acceptance = try await self.controller.submit(pipeline: event.pipeline, trigger: trigger)
        self.metrics.webhook(source: signedBy == nil ? "drift" : "signed", result: acceptance.disposition == .duplicate ? "duplicate" : "accepted")
        let body = TriggerAccepted(
            pipeline: event.pipeline, cycleId: acceptance.cycleId, triggerId: acceptance.triggerId, disposition: acceptance.disposition)
        return try JSONResponse.make(body, status: .accepted)
    }

    /// An unsigned event's self-declared source: it may not pass for a signed source (whatever its case or spaces),
    /// and it may not carry control characters or surrounding spaces, which would make it look like another.
    private func checkUnsignedSource(_ source: String) throws {
        if source.isEmpty || source != source.trimmingCharacters(in: .whitespacesAndNewlines)
            || LogText.containsControlCharacters(source)
        {
            throw APIError(
                .badRequest, code: "invalid_field", message: "`source` must be a name without control characters or surrounding spaces",
                field: "source")
        }
        let normalized = source.lowercased()
        if self.signingSecrets.keys.contains(where: { $0.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() == normalized }) {
            throw APIError(
                .unauthorized, code: "signature_required",
                message: "source `\(source)` is a signed source: its webhooks must be signed (\(WebhookSignature.signatureHeader))",
                field: WebhookSignature.signatureHeader)
        }
    }

    /// The signed source, its secret and the timestamp, from the headers alone.
    private func checkSignedHeaders(source: String?, request: Request) throws -> (source: String, secret: String, timestamp: String) {
        guard let source else {
            throw APIError(
                .unauthorized, code: "unauthorized", message: "a signed webhook must name its source in \(WebhookSignature.sourceHeader)",
                field: WebhookSignature.sourceHeader)
        }
        guard let secret = self.signingSecrets[source] else {
            throw APIError(
                .unauthorized, code: "unauthorized", message: "no signing secret is configured for that source (webhooks.signed.sources)",
                field: WebhookSignature.sourceHeader)
        }
        guard let timestamp = request.headers[HTTPField.Name(WebhookSignature.timestampHeader)!] else {
            throw APIError(
                .unauthorized, code: "unauthorized", message: "a signed webhook needs \(WebhookSignature.timestampHeader) (Unix seconds)",
                field: WebhookSignature.timestampHeader)
        }
        do {
            _ = try WebhookSignature.checkTimestamp(timestamp, now: Date(), maxSkew: self.maxSkew)
        } catch {
            throw self.signatureError(error)
        }
        return (source, secret, timestamp)
    }

    /// Checks a signed request's MAC over the body; returns the MAC.
    private func verify(signature: String, timestamp: String, secret: String, body: Data) throws -> [UInt8] {
        do {
            return try WebhookSignature.verify(
                signature: signature, timestamp: timestamp, body: body, secret: secret, now: Date(), maxSkew: self.maxSkew)
        } catch {
            throw self.signatureError(error)
        }
    }

    private func signatureError(_ error: WebhookSignature.Failure) -> APIError {
        let message: String
        let field: String
        switch error {
        case .malformedSignature:
            (message, field) = ("the signature must be `sha256=` followed by 64 lowercase hex digits", WebhookSignature.signatureHeader)
        case .malformedTimestamp: (message, field) = ("the timestamp must be Unix seconds", WebhookSignature.timestampHeader)
        case .outsideWindow(let skew):
            (message, field) = (
                "the timestamp is \(abs(skew)) s \(skew > 0 ? "old" : "in the future"), outside the \(self.maxSkew.components.seconds) s replay window",
                WebhookSignature.timestampHeader
            )
        case .mismatch: (message, field) = ("the signature does not match the body and timestamp", WebhookSignature.signatureHeader)
        }
        return APIError(.unauthorized, code: "bad_signature", message: message, field: field)
    }
}
