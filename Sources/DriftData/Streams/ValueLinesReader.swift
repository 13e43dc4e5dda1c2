/// Reads a stream file for `driftloop detect`: one decimal value per line, blank lines skipped, spaces, tabs and a
/// CR around a value allowed. It parses with the CSV reader's number parser straight from the bytes: splitting the
/// text into Strings and converting each with `Double(String)` used to cost a thousand times the detector's updates.
package enum ValueLinesReader {
    /// A line that is not a number, or a value the caller does not accept, with its 1-based line number.
    package struct Failure: Error, Sendable, Equatable {
        package enum Kind: Sendable, Equatable { case notANumber, notAccepted }
        package var line: Int
        /// The line's text, at most 40 characters.
        package var text: String
        package var kind: Kind
    }

    /// Every value of `bytes`, in order; stops at the first line that is not a finite number or that `accepts`
    /// refuses.
    package static func values(of bytes: UnsafeBufferPointer<UInt8>, accepts: (Double) -> Bool) throws(Failure) -> [Double] {
        var values: [Double] = []
        // A full-precision value with its newline takes about 20 bytes.
        values.reserveCapacity(bytes.count / 8)
        var line = 0
        var start = 0
        let count = bytes.count
        while start < count {
            line += 1
            var end = start
            while end < count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
            let next = end + 1
            var first = start
            var last = end
            while first < last, Self.isBlank(bytes[first]) { first += 1 }
            while last > first, Self.isBlank(bytes[last - 1]) { last -= 1 }
            if first < last {
                let field = UnsafeBufferPointer(rebasing: bytes[first..<last])
                // The fast path reads up to 17 bytes past a value's start where the buffer has them (it checks).
                let parsed = NumberParser.fastPath(field, readableUpTo: bytes.baseAddress! + count) ?? NumberParser.parse(field)
                guard let (value, _) = parsed, value.isFinite else {
                    throw Failure(line: line, text: String(decoding: field.prefix(40), as: UTF8.self), kind: .notANumber)
                }
                guard accepts(value) else {
                    throw Failure(line: line, text: String(decoding: field.prefix(40), as: UTF8.self), kind: .notAccepted)
                }
                values.append(value)
            }
            start = next
        }
        return values
    }

    @inline(__always)
    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }
}
