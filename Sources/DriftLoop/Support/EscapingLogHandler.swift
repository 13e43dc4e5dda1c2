import Logging

/// A log handler that escapes control characters in every message, metadata value and error before the wrapped
/// handler writes them. Logged values come from requests (an approver, a pause actor, a trigger's reason) and from
/// trainers; one with a newline would otherwise write a line of its own that looks like the controller's.
package struct EscapingLogHandler: LogHandler {
    private var wrapped: any LogHandler

    package init(wrapping wrapped: any LogHandler) {
        self.wrapped = wrapped
    }

    /// The controller's own logs: to standard error, escaped.
    package static func standardError(label: String) -> EscapingLogHandler {
        EscapingLogHandler(wrapping: StreamLogHandler.standardError(label: label))
    }

    package var logLevel: Logger.Level {
        get { self.wrapped.logLevel }
        set { self.wrapped.logLevel = newValue }
    }

    package var metadataProvider: Logger.MetadataProvider? {
        get { self.wrapped.metadataProvider }
        set { self.wrapped.metadataProvider = newValue.map(Self.escaping) }
    }

    package var metadata: Logger.Metadata {
        get { self.wrapped.metadata }
        set { self.wrapped.metadata = Self.escape(newValue) }
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.wrapped[metadataKey: key] }
        set { self.wrapped[metadataKey: LogText.escape(key)] = newValue.map(Self.escape) }
    }

    package func log(event: LogEvent) {
        var event = event
        event.message = Logger.Message(stringLiteral: LogText.escape(event.message.description))
        var metadata = event.metadata.map(Self.escape)
        // The wrapped handler would print the error's description as it is; it is escaped here instead.
        if let error = event.error {
            metadata = metadata ?? [:]
            metadata?["error.message"] = .string(LogText.escape("\(error)"))
            metadata?["error.type"] = .string(String(reflecting: type(of: error)))
            event.error = nil
        }
        event.metadata = metadata
        self.wrapped.log(event: event)
    }

    static func escape(_ metadata: Logger.Metadata) -> Logger.Metadata {
        var escaped: Logger.Metadata = [:]
        for (key, value) in metadata { escaped[LogText.escape(key)] = Self.escape(value) }
        return escaped
    }

    static func escape(_ value: Logger.Metadata.Value) -> Logger.Metadata.Value {
        switch value {
        case .string(let text): .string(LogText.escape(text))
        case .stringConvertible(let convertible): .string(LogText.escape(convertible.description))
        case .array(let values): .array(values.map(Self.escape))
        case .dictionary(let dictionary): .dictionary(Self.escape(dictionary))
        }
    }

    private static func escaping(_ provider: Logger.MetadataProvider) -> Logger.MetadataProvider {
        Logger.MetadataProvider { Self.escape(provider.get()) }
    }
}
