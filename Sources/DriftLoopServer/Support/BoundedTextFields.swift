import HTTPTypes

/// Request bodies whose free-text fields are stored, logged and echoed in later answers: each has a length cap, so
/// one request cannot bloat the store, the logs and every answer that quotes it.
protocol BoundedTextFields {
    /// Each field's JSON name and value.
    var textFields: [(name: String, value: String?)] { get }
}

extension BoundedTextFields {
    static var maxTextBytes: Int { 4096 }

    /// A 400 naming the first field over the cap.
    func checkTextLengths() throws {
        for (name, value) in self.textFields {
            if let value, value.utf8.count > Self.maxTextBytes {
                throw APIError(
                    .badRequest, code: "invalid_field",
                    message: "`\(name)` is \(value.utf8.count) bytes long; at most \(Self.maxTextBytes) are accepted",
                    field: name)
            }
        }
    }
}

extension RetrainRequest: BoundedTextFields {
    var textFields: [(name: String, value: String?)] { [("reason", self.reason), ("requested_by", self.requestedBy)] }
}

extension RollbackRequest: BoundedTextFields {
    var textFields: [(name: String, value: String?)] { [("to_version", self.toVersion), ("reason", self.reason), ("actor", self.actor)] }
}

extension PauseRequest: BoundedTextFields {
    var textFields: [(name: String, value: String?)] { [("actor", self.actor), ("reason", self.reason)] }
}

extension ApprovalRequest: BoundedTextFields {
    var textFields: [(name: String, value: String?)] { [("approver", self.approver), ("comment", self.comment)] }
}

extension DriftWebhookEvent: BoundedTextFields {
    var textFields: [(name: String, value: String?)] {
        [("pipeline", self.pipeline), ("source", self.source), ("event_id", self.eventId), ("reason", self.reason)]
    }
}
