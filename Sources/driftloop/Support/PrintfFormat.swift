#if canImport(Glibc)
import Glibc
#endif

/// printf's `%.<n>g` through `vsnprintf`, for the `drift` summary: Foundation's `String(format:)` builds an
/// NSString, and its first use costs about half a millisecond of a command timed as a whole (issue 3).
enum PrintfFormat {
    static func general(_ value: Double, significantDigits: Int) -> String {
        let capacity = 48
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: capacity) { buffer in
            let written = withVaList([value]) { arguments in
                vsnprintf(buffer.baseAddress, capacity, "%.\(significantDigits)g", arguments)
            }
            guard written >= 0 else { return "\(value)" }
            return String(decoding: UnsafeRawBufferPointer(start: buffer.baseAddress, count: min(Int(written), capacity - 1)).bindMemory(to: UInt8.self), as: UTF8.self)
        }
    }
}
