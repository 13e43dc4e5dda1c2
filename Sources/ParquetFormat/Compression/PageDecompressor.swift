import CBrotli
import CLZ4
import CSnappy
import CZlib
import CZstd

/// Decompresses one page (or the values section of a V2 page) with the Debian codec libraries.
///
/// The output buffer is sized by the page header's uncompressed size (already checked against
/// ``ParquetReadLimits/maxPageBytes`` by the caller), and the decompressor must produce exactly
/// that many bytes: more or fewer means the header lies or the data is corrupt.
enum PageDecompressor {
    /// Calls `body` with the uncompressed bytes; UNCOMPRESSED pages are passed through without
    /// a copy.
    static func withDecompressed<Result>(
        _ input: UnsafeRawBufferPointer,
        codec: ParquetCompressionCodec,
        uncompressedSize: Int,
        _ body: (UnsafeRawBufferPointer) throws -> Result
    ) throws -> Result {
        if codec == .uncompressed {
            guard input.count == uncompressedSize else {
                throw ParquetError(.corruptPage, "uncompressed page holds \(input.count) bytes but its header says \(uncompressedSize)")
            }
            return try body(input)
        }
        let output = try decompress(input, codec: codec, uncompressedSize: uncompressedSize)
        return try output.withUnsafeBytes(body)
    }

    static func decompress(_ input: UnsafeRawBufferPointer, codec: ParquetCompressionCodec, uncompressedSize: Int) throws -> [UInt8] {
        precondition(uncompressedSize >= 0, "caller checks page sizes")
        try checkDeclaredSize(input, codec: codec, expected: uncompressedSize)
        var failure: ParquetError?
        // One spare byte so that the buffer is never empty: some C APIs reject a null output
        // pointer even when asked for zero bytes.
        let output = [UInt8](unsafeUninitializedCapacity: uncompressedSize + 1) { buffer, initialized in
            let destination = UnsafeMutableRawBufferPointer(buffer)
            do {
                let produced = try decompress(input, codec: codec, into: destination, expected: uncompressedSize)
                guard produced == uncompressedSize else {
                    throw ParquetError(.corruptPage, "\(codec) page decompressed to \(produced) bytes but its header says \(uncompressedSize)")
                }
                // The spare byte stays outside the initialized count.
                initialized = produced
            } catch let error as ParquetError {
                failure = error
                initialized = 0
            } catch {
                failure = ParquetError(.corruptPage, "\(codec) decompression failed: \(error)")
                initialized = 0
            }
        }
        if let failure { throw failure }
        return output
    }

    /// Snappy streams and zstd frames state their own decompressed size; a mismatch with the
    /// page header is caught here, before the output buffer is allocated.
    private static func checkDeclaredSize(_ input: UnsafeRawBufferPointer, codec: ParquetCompressionCodec, expected: Int) throws {
        guard let source = input.baseAddress else { return }
        switch codec {
        case .snappy:
            var declared = 0
            guard snappy_uncompressed_length(source.assumingMemoryBound(to: CChar.self), input.count, &declared) == SNAPPY_OK else {
                throw ParquetError(.corruptPage, "SNAPPY page has a corrupt length preamble")
            }
            guard declared == expected else {
                throw ParquetError(.corruptPage, "SNAPPY page declares \(declared) uncompressed bytes but its header says \(expected)")
            }
        case .zstd:
            let contentSize = ZSTD_getFrameContentSize(source, input.count)
            // UInt64.max = size not recorded (allowed), UInt64.max - 1 = not a zstd frame.
            if contentSize == UInt64.max - 1 {
                throw ParquetError(.corruptPage, "ZSTD page does not start with a zstd frame")
            }
            if contentSize != UInt64.max && contentSize != UInt64(expected) {
                throw ParquetError(.corruptPage, "ZSTD frame declares \(contentSize) uncompressed bytes but the page header says \(expected)")
            }
        default:
            return
        }
    }

    /// Returns the number of bytes produced. `destination` has one byte more than `expected`
    /// so that an overlong stream is detected instead of silently cut.
    private static func decompress(
        _ input: UnsafeRawBufferPointer,
        codec: ParquetCompressionCodec,
        into destination: UnsafeMutableRawBufferPointer,
        expected: Int
    ) throws -> Int {
        let source = input.baseAddress ?? UnsafeRawPointer(destination.baseAddress!)
        let sourceCount = input.count
        let target = destination.baseAddress!
        switch codec {
        case .uncompressed:
            guard sourceCount <= destination.count else { return sourceCount }
            target.copyMemory(from: source, byteCount: sourceCount)
            return sourceCount

        case .snappy:
            var length = destination.count
            let status = snappy_uncompress(
                source.assumingMemoryBound(to: CChar.self), sourceCount,
                target.assumingMemoryBound(to: CChar.self), &length)
            guard status == SNAPPY_OK else {
                throw ParquetError(.corruptPage, "SNAPPY page is corrupt (snappy status \(status.rawValue))")
            }
            return length

        case .zstd:
            let result = ZSTD_decompress(target, destination.count, source, sourceCount)
            if ZSTD_isError(result) != 0 {
                throw ParquetError(.corruptPage, "ZSTD page is corrupt: \(String(cString: ZSTD_getErrorName(result)))")
            }
            return result

        case .lz4Raw:
            guard sourceCount <= Int(Int32.max), destination.count <= Int(Int32.max) else {
                throw ParquetError(.limitExceeded, "LZ4_RAW page larger than 2 GiB")
            }
            let result = LZ4_decompress_safe(
                source.assumingMemoryBound(to: CChar.self),
                target.assumingMemoryBound(to: CChar.self),
                Int32(sourceCount), Int32(destination.count))
            guard result >= 0 else {
                throw ParquetError(.corruptPage, "LZ4_RAW page is corrupt (lz4 error \(result))")
            }
            return Int(result)

        case .brotli:
            var length = destination.count
            let result = BrotliDecoderDecompress(
                sourceCount, source.assumingMemoryBound(to: UInt8.self),
                &length, target.assumingMemoryBound(to: UInt8.self))
            guard result == BROTLI_DECODER_RESULT_SUCCESS else {
                throw ParquetError(.corruptPage, "BROTLI page is corrupt or larger than its header says")
            }
            return length

        case .gzip:
            return try inflateGzipMembers(source: source, sourceCount: sourceCount, into: destination)

        case .lzo, .lz4Hadoop:
            throw ParquetError(.unsupported, "compression codec \(codec) is not supported")
        }
    }

    /// Inflates one or more concatenated gzip members (Compression.md asks readers to accept
    /// several).
    private static func inflateGzipMembers(source: UnsafeRawPointer, sourceCount: Int, into destination: UnsafeMutableRawBufferPointer) throws -> Int
    {
        guard sourceCount <= Int(UInt32.max), destination.count <= Int(UInt32.max) else {
            throw ParquetError(.limitExceeded, "GZIP page larger than 4 GiB")
        }
        var stream = z_stream()
        // 16 + MAX_WBITS selects the gzip wrapper; inflateInit2 is a C macro, so call the
        // function it expands to.
        let initStatus = inflateInit2_(&stream, 16 + 15, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard initStatus == Z_OK else {
            throw ParquetError(.corruptPage, "zlib could not start (status \(initStatus))")
        }
        defer { inflateEnd(&stream) }
        stream.next_in = UnsafeMutablePointer(mutating: source.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(sourceCount)
        stream.next_out = destination.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = uInt(destination.count)
        while true {
            let status = inflate(&stream, Z_FINISH)
            if status == Z_STREAM_END {
                if stream.avail_in == 0 { break }
                // Another member follows.
                guard inflateReset(&stream) == Z_OK else {
                    throw ParquetError(.corruptPage, "GZIP page: cannot start the next gzip member")
                }
                continue
            }
            if (status == Z_OK || status == Z_BUF_ERROR) && stream.avail_out == 0 {
                throw ParquetError(.corruptPage, "GZIP page inflates to more bytes than its header says")
            }
            throw ParquetError(.corruptPage, "GZIP page is corrupt or truncated (zlib status \(status))")
        }
        return destination.count - Int(stream.avail_out)
    }
}
