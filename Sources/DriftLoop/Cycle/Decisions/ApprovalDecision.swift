import Foundation

/// A person's verdict on a cycle waiting at an `approve` state: kept as the state's handle the moment it is given,
/// then as the cycle's decision when the state picks it up.
package struct ApprovalDecision: CycleDecision, Equatable {
    package static let key = DecisionKey.approval

    package var verdict: ApproveAction.Outcome
    package var approver: String
    package var comment: String?
    /// When it was given, RFC 3339.
    package var at: String

    package init(verdict: ApproveAction.Outcome, approver: String, comment: String?, at: Date) {
        self.verdict = verdict
        self.approver = approver
        self.comment = comment
        self.at = ISO8601DateFormatter().string(from: at)
    }

    enum CodingKeys: String, CodingKey { case verdict, approver, comment, at }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.verdict = try container.decode(ApproveAction.Outcome.self, forKey: .verdict)
        self.approver = try container.decodeIfPresent(String.self, forKey: .approver) ?? "someone"
        self.comment = try container.decodeIfPresent(String.self, forKey: .comment)
        self.at = try container.decodeIfPresent(String.self, forKey: .at) ?? ""
    }

    /// `comment` is written as null when absent, as the API has always answered.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.verdict, forKey: .verdict)
        try container.encode(self.approver, forKey: .approver)
        try container.encode(self.comment, forKey: .comment)
        try container.encode(self.at, forKey: .at)
    }

    /// "approved by alice: looks fine".
    package var text: String {
        "\(self.verdict.rawValue) by \(self.approver)" + (self.comment.map { ": \($0)" } ?? "")
    }
}
