/// Random access to the bytes of one Parquet file.
///
/// The reader only ever asks for ranges: the 8-byte tail, the footer, then each column chunk it
/// needs. That keeps the same reader usable over HTTP or S3 range requests, where reading the
/// whole object to get two columns would be wasteful.
package protocol ParquetByteSource: Sendable {
    /// Total size of the file in bytes.
    var size: Int { get }

    /// Returns exactly `count` bytes starting at `offset`.
    ///
    /// The reader only asks for ranges inside `0..<size`. An implementation may throw any error
    /// (the reader reports it as ``ParquetError/Kind/io``); returning fewer bytes is also
    /// reported as an I/O failure.
    func read(offset: Int, count: Int) throws -> [UInt8]
}

extension ParquetByteSource {
    /// Reads a range after checking it lies inside the file, and checks the source kept the
    /// protocol's promise about the length.
    func readChecked(offset: Int, count: Int, what: @autoclosure () -> String) throws -> [UInt8] {
        guard offset >= 0, count >= 0, offset <= size, count <= size - offset else {
            throw ParquetError(.truncated, "\(what()) at offset \(offset) with \(count) bytes runs past the end of the \(size)-byte file")
        }
        if count == 0 { return [] }
        let bytes = try read(offset: offset, count: count)
        guard bytes.count == count else {
            throw ParquetError(.io, "byte source returned \(bytes.count) bytes for \(what()) instead of \(count)")
        }
        return bytes
    }
}
