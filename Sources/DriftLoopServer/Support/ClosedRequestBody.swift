/// A request body whose keys are all known: a key it does not have (`{"reasn": "x"}`) is refused with a 400 naming
/// it and the keys it takes, as config files are, instead of being silently ignored. Webhook events stay open: their
/// senders add fields of their own.
protocol ClosedRequestBody: Decodable {
    associatedtype CodingKeys: CodingKey & CaseIterable
}

extension ClosedRequestBody {
    static var allowedKeys: [String] { CodingKeys.allCases.map(\.stringValue) }
}
