import Foundation
import Logging

enum BenchmarkSupport {
    static let logger: Logger = {
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        return logger
    }()

    static func temporaryDirectory() throws -> String {
        let directory = NSTemporaryDirectory() + "driftloop-bench-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }
}
