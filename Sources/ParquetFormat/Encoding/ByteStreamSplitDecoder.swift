/// Decoder for BYTE_STREAM_SPLIT: the values section is K streams of N bytes, byte j of value i
/// at `j * N + i`, where K is the value width and N = section length / K.
enum ByteStreamSplitDecoder {
    /// Reassembles the first `count` values of `data` into `destination` (count × width bytes).
    static func decode(_ data: UnsafeRawBufferPointer, width: Int, count: Int, into destination: UnsafeMutableRawBufferPointer) throws {
        precondition(width > 0 && destination.count >= count * width, "caller sizes the destination")
        guard data.count % width == 0 else {
            throw ParquetError(.corruptPage, "BYTE_STREAM_SPLIT section of \(data.count) bytes is not a multiple of the value width \(width)")
        }
        let streamLength = data.count / width
        guard streamLength >= count else {
            throw ParquetError(.corruptPage, "BYTE_STREAM_SPLIT section holds \(streamLength) values where \(count) are expected")
        }
        guard count > 0 else { return }
        let source = data.baseAddress!
        let target = destination.baseAddress!
        for stream in 0..<width {
            let streamStart = stream * streamLength
            for index in 0..<count {
                target.storeBytes(
                    of: source.load(fromByteOffset: streamStart + index, as: UInt8.self),
                    toByteOffset: index * width + stream, as: UInt8.self)
            }
        }
    }
}
