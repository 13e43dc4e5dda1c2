/// Decodes a column chunk with the store for its physical type and turns the physical values
/// into typed ``ParquetColumnValues`` according to the logical type.
enum ColumnValueConversion {
    /// Nanoseconds in a day, and the Julian day number of 1970-01-01, for INT96 timestamps.
    static let nanosecondsPerDay: Int64 = 86_400_000_000_000
    static let julianDayOfUnixEpoch: Int64 = 2_440_588

    static func decodeColumn(_ chunk: [UInt8], with decoder: ColumnChunkDecoder) throws -> ParquetColumn {
        let descriptor = decoder.descriptor
        let logical = descriptor.logicalType
        let values: ParquetColumnValues
        let validity: ParquetValidity?

        switch descriptor.physicalType {
        case .boolean:
            let decoded = try decoder.decode(chunk, as: BooleanValueStore.self)
            values = .boolean(decoded.store.values)
            validity = decoded.validity

        case .int32:
            let decoded = try decoder.decode(chunk, as: NumericValueStore<Int32>.self)
            let raw = decoded.store.values
            validity = decoded.validity
            switch logical {
            case .integer(32, false):
                values = .int64(raw.map { Int64(UInt32(bitPattern: $0)) })
            case .date:
                values = .date(raw)
            case let .time(unit, utc):
                values = .time(raw.map { Int64($0) }, unit: unit, isAdjustedToUTC: utc)
            case let .decimal(precision, scale):
                values = .decimal(raw.map { Int128($0) }, precision: precision, scale: scale)
            default:
                values = .int32(raw)
            }

        case .int64:
            let decoded = try decoder.decode(chunk, as: NumericValueStore<Int64>.self)
            let raw = decoded.store.values
            validity = decoded.validity
            switch logical {
            case .integer(64, false):
                values = .uint64(raw.map { UInt64(bitPattern: $0) })
            case let .timestamp(unit, utc):
                values = .timestamp(raw, unit: unit, isAdjustedToUTC: utc)
            case let .time(unit, utc):
                values = .time(raw, unit: unit, isAdjustedToUTC: utc)
            case let .decimal(precision, scale):
                values = .decimal(raw.map { Int128($0) }, precision: precision, scale: scale)
            default:
                values = .int64(raw)
            }

        case .int96:
            let decoded = try decoder.decode(chunk, as: FixedLengthByteArrayValueStore.self)
            values = .timestamp(
                try int96Timestamps(decoded.store.bytes, validity: decoded.validity),
                unit: .nanoseconds, isAdjustedToUTC: false)
            validity = decoded.validity

        case .float:
            let decoded = try decoder.decode(chunk, as: NumericValueStore<Float>.self)
            values = .float(decoded.store.values)
            validity = decoded.validity

        case .double:
            let decoded = try decoder.decode(chunk, as: NumericValueStore<Double>.self)
            values = .double(decoded.store.values)
            validity = decoded.validity

        case .byteArray:
            let decoded = try decoder.decode(chunk, as: ByteArrayValueStore.self)
            validity = decoded.validity
            switch logical {
            case .string, .enumeration, .json:
                values = .string(decoded.store.values)
            case let .decimal(precision, scale):
                let arrays = decoded.store.values
                var unscaled: [Int128] = []
                unscaled.reserveCapacity(arrays.count)
                for index in 0..<arrays.count {
                    unscaled.append(try bigEndianTwosComplement(arrays[index], column: descriptor.name))
                }
                values = .decimal(unscaled, precision: precision, scale: scale)
            default:
                values = .binary(decoded.store.values)
            }

        case .fixedLenByteArray:
            let decoded = try decoder.decode(chunk, as: FixedLengthByteArrayValueStore.self)
            validity = decoded.validity
            let width = decoded.store.width
            let bytes = decoded.store.bytes
            if case let .decimal(precision, scale) = logical {
                var unscaled: [Int128] = []
                unscaled.reserveCapacity(bytes.count / width)
                for start in stride(from: 0, to: bytes.count, by: width) {
                    unscaled.append(try bigEndianTwosComplement(bytes[start..<start + width], column: descriptor.name))
                }
                values = .decimal(unscaled, precision: precision, scale: scale)
            } else {
                var arrays = ParquetByteArrays()
                arrays.reserveAdditionalCapacity(values: bytes.count / width, bytes: bytes.count)
                for start in stride(from: 0, to: bytes.count, by: width) {
                    arrays.append(bytes[start..<start + width])
                }
                values = .binary(arrays)
            }
        }

        if logical == .unknown {
            // The UNKNOWN (null) type carries no values; keep only the row count.
            return ParquetColumn(descriptor: descriptor, values: .null(count: values.count), validity: nil)
        }
        return ParquetColumn(descriptor: descriptor, values: values, validity: validity)
    }

    /// Decodes a big-endian two's-complement integer (DECIMAL in FIXED_LEN_BYTE_ARRAY or
    /// BYTE_ARRAY). Inputs longer than 16 bytes are accepted when the extra leading bytes are
    /// only sign extension. An empty value (a null slot's placeholder) is 0.
    static func bigEndianTwosComplement(_ bytes: ArraySlice<UInt8>, column: String) throws -> Int128 {
        guard let first = bytes.first else { return 0 }
        let negative = first & 0x80 != 0
        let significant = bytes.suffix(16)
        if bytes.count > 16 {
            let signByte: UInt8 = negative ? 0xFF : 0x00
            let topOfSignificant = significant.first! & 0x80 != 0
            guard bytes.prefix(bytes.count - 16).allSatisfy({ $0 == signByte }), topOfSignificant == negative else {
                throw ParquetError(.unsupported, "column `\(column)`: a decimal value does not fit in 128 bits")
            }
        }
        var value: UInt128 = negative ? ~0 : 0
        for byte in significant {
            value = (value << 8) | UInt128(byte)
        }
        return Int128(bitPattern: value)
    }

    /// INT96: 8 bytes of nanoseconds within the day, then a 4-byte Julian day, little-endian.
    static func int96Timestamps(_ bytes: [UInt8], validity: ParquetValidity?) throws -> [Int64] {
        let count = bytes.count / 12
        var result: [Int64] = []
        result.reserveCapacity(count)
        for row in 0..<count {
            if validity?.isNull(at: row) == true {
                result.append(0)
                continue
            }
            let base = row * 12
            var nanos: UInt64 = 0
            for offset in 0..<8 { nanos |= UInt64(bytes[base + offset]) << UInt64(offset * 8) }
            var day: UInt32 = 0
            for offset in 0..<4 { day |= UInt32(bytes[base + 8 + offset]) << UInt32(offset * 8) }
            let days = Int64(Int32(bitPattern: day)) - julianDayOfUnixEpoch
            let (dayNanos, overflow) = days.multipliedReportingOverflow(by: nanosecondsPerDay)
            let (total, overflow2) = dayNanos.addingReportingOverflow(Int64(bitPattern: nanos))
            guard !overflow, !overflow2 else {
                throw ParquetError(.corruptPage, "INT96 timestamp (Julian day \(day)) is outside the range of 64-bit nanoseconds")
            }
            result.append(total)
        }
        return result
    }
}
