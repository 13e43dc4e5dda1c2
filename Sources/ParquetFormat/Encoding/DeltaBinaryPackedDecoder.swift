/// Decoder for DELTA_BINARY_PACKED (Encodings.md), used for INT32/INT64 values and for the
/// length streams inside DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY.
///
/// Layout: header `<block size> <miniblocks per block> <total count> <first value (zigzag)>`,
/// then per block `<min delta (zigzag)> <one bit-width byte per miniblock> <miniblocks>`.
/// value[i] = value[i-1] + minDelta + packed[i] with wrapping arithmetic. Everything is done on
/// UInt64 bit patterns and widths up to 64 are accepted even for INT32: DuckDB 2.0.1 writes
/// INT32 columns with 33-bit miniblocks and a min delta outside the int32 range, and the values
/// come out right when the sum wraps and is truncated at the end.
enum DeltaBinaryPackedDecoder {
    /// Largest block size accepted; writers use 128, 256 or 2048.
    static let maxBlockSize: UInt64 = 1 << 20

    /// Reads one stream at the reader's position and appends its values (as 64-bit patterns)
    /// to `output`. The stream's total count must equal `count`. On return the reader sits just
    /// after the last miniblock that holds a value, which is where a following section starts.
    static func decode(from reader: inout ByteReader, count: Int, into output: inout [UInt64]) throws {
        let blockSize = try reader.readULEB128()
        let miniblocksPerBlock = try reader.readULEB128()
        let totalCount = try reader.readULEB128()
        let firstValue = try reader.readZigzagVarint()

        guard blockSize > 0, blockSize % 128 == 0, blockSize <= maxBlockSize else {
            throw ParquetError(.corruptPage, "DELTA_BINARY_PACKED block size \(blockSize) is not a positive multiple of 128 up to \(maxBlockSize)")
        }
        guard miniblocksPerBlock > 0, blockSize % miniblocksPerBlock == 0,
            (blockSize / miniblocksPerBlock) % 32 == 0
        else {
            throw ParquetError(
                .corruptPage,
                "DELTA_BINARY_PACKED block of \(blockSize) values cannot hold \(miniblocksPerBlock) miniblocks of a multiple of 32 values")
        }
        guard totalCount == UInt64(count) else {
            throw ParquetError(.corruptPage, "DELTA_BINARY_PACKED stream holds \(totalCount) values where \(count) are expected")
        }
        if count == 0 { return }

        let miniblockCount = Int(miniblocksPerBlock)
        let valuesPerMiniblock = Int(blockSize / miniblocksPerBlock)
        output.reserveAdditionalCapacity(count)
        output.append(UInt64(bitPattern: firstValue))
        var previous = UInt64(bitPattern: firstValue)
        var remaining = count - 1
        var unpacked = [UInt64](repeating: 0, count: min(valuesPerMiniblock, remaining))

        while remaining > 0 {
            let minDelta = UInt64(bitPattern: try reader.readZigzagVarint())
            // Width bytes of unused miniblocks in the last block are present (with any value).
            let widths = try reader.take(miniblockCount)
            for miniblock in 0..<miniblockCount where remaining > 0 {
                let bitWidth = Int(widths[miniblock])
                guard bitWidth <= 64 else {
                    throw ParquetError(.corruptPage, "DELTA_BINARY_PACKED miniblock bit width \(bitWidth) is above 64")
                }
                let valueCount = min(valuesPerMiniblock, remaining)
                let neededBytes = BitUnpacking.byteCount(values: valueCount, bitWidth: bitWidth)
                guard neededBytes <= reader.remaining else {
                    throw ByteReader.endOfData("a DELTA_BINARY_PACKED miniblock of \(neededBytes) bytes (\(reader.remaining) left)")
                }
                unpacked.withUnsafeMutableBufferPointer { buffer in
                    BitUnpacking.unpack(
                        UnsafeRawBufferPointer(rebasing: reader.rest[0..<neededBytes]),
                        bitWidth: bitWidth, count: valueCount, into: buffer)
                }
                for index in 0..<valueCount {
                    previous = previous &+ minDelta &+ unpacked[index]
                    output.append(previous)
                }
                // A miniblock is padded to its full size; tolerate a writer that cut the
                // padding of the very last one.
                let fullBytes = valuesPerMiniblock * bitWidth / 8
                try reader.skip(min(fullBytes, reader.remaining))
                remaining -= valueCount
            }
        }
    }

    /// Decodes a stream of lengths (for the byte-array encodings): each must be in 0...Int32.max.
    static func decodeLengths(from reader: inout ByteReader, count: Int, what: String) throws -> [Int] {
        var raw: [UInt64] = []
        try decode(from: &reader, count: count, into: &raw)
        return try raw.map { bits in
            let value = Int64(bitPattern: bits)
            guard value >= 0, value <= Int64(Int32.max) else {
                throw ParquetError(.corruptPage, "\(what) \(value) is out of range")
            }
            return Int(value)
        }
    }
}
