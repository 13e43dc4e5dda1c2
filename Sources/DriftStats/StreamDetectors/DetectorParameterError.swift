/// A detector parameter that is unknown or out of range, named as River names it.
public struct DetectorParameterError: Error, Sendable, Equatable, CustomStringConvertible {
    package var parameter: String
    package var message: String

    package init(parameter: String, message: String) {
        self.parameter = parameter
        self.message = message
    }

    public var description: String {
        // An unknown detector's message names it already; "detector parameter `detector`" said it twice.
        self.parameter == "detector" ? self.message : "detector parameter `\(self.parameter)` \(self.message)"
    }
}
