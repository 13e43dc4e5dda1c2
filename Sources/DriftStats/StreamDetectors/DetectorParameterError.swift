/// A detector parameter that is unknown or out of range, named as River names it.
public struct DetectorParameterError: Error, Sendable, Equatable, CustomStringConvertible {
    public var parameter: String
    public var message: String

    public init(parameter: String, message: String) {
        self.parameter = parameter
        self.message = message
    }

    public var description: String { "detector parameter `\(self.parameter)` \(self.message)" }
}
