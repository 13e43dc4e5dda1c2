/// Resolution of TIME and TIMESTAMP values.
package enum ParquetTimeUnit: Sendable, Equatable, CustomStringConvertible {
    case milliseconds
    case microseconds
    case nanoseconds

    /// Ticks per second; also how many fraction digits a rendering shows (3, 6, 9).
    package var ticksPerSecond: Int64 {
        switch self {
        case .milliseconds: 1_000
        case .microseconds: 1_000_000
        case .nanoseconds: 1_000_000_000
        }
    }

    package var fractionDigits: Int {
        switch self {
        case .milliseconds: 3
        case .microseconds: 6
        case .nanoseconds: 9
        }
    }

    package var description: String {
        switch self {
        case .milliseconds: "MILLIS"
        case .microseconds: "MICROS"
        case .nanoseconds: "NANOS"
        }
    }
}
