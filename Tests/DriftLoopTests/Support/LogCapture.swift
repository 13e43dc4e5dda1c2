import DriftLoop
import Logging
import Synchronization

/// Log lines as the controller writes them (escaped, in swift-log's stream format), kept for a test to read.
final class LogCapture: Sendable {
    private struct Stream: TextOutputStream, Sendable {
        let capture: LogCapture
        mutating func write(_ string: String) { self.capture.lines.withLock { $0 += string } }
    }

    private let lines = Mutex("")

    var text: String { self.lines.withLock { $0 } }

    /// A logger at `level` whose lines land here, through the same escaping handler `driftloop serve` uses.
    func logger(level: Logger.Level) -> Logger {
        let capture = self
        var logger = Logger(label: "driftloop") { label in
            EscapingLogHandler(wrapping: StreamLogHandler(label: label, stream: Stream(capture: capture), metadataProvider: nil))
        }
        logger.logLevel = level
        return logger
    }
}
