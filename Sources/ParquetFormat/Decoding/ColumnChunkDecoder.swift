/// The bytes of one column chunk decoded into row-aligned values.
struct DecodedColumnChunk<Store: PhysicalValueStore> {
    var store: Store
    /// nil when no slot is null.
    var validity: ParquetValidity?
}

/// Walks the pages of one column chunk and decodes them into a ``PhysicalValueStore``.
///
/// The chunk is the byte range `[start, start + total_compressed_size)` read from the file.
/// Every page header size is checked against what is left of that range before a page body is
/// sliced or a buffer allocated, and every page's value count against what is left of the
/// chunk's declared count.
struct ColumnChunkDecoder {
    let descriptor: ParquetColumnDescriptor
    let codec: ParquetCompressionCodec
    /// `num_values` of the chunk; for a flat column, its row count.
    let valueCount: Int
    /// File offset of the chunk's first byte, for error messages.
    let fileOffset: Int
    let limits: ParquetReadLimits

    private var valueContext: ValueDecodingContext {
        ValueDecodingContext(typeLength: descriptor.typeLength ?? 1, byteLimit: limits.maxDecodedBytesPerColumnChunk)
    }

    /// Per-chunk decoding state: the dictionary and reusable scratch buffers.
    private struct State<Store: PhysicalValueStore> {
        var store: Store
        var validity: ParquetValidity?
        var dictionary: Store?
        var slotsDone = 0
        var sawDataPage = false
        /// The current page's definition levels (0 or 1 per slot).
        var levels: [UInt8] = []
        /// The same as Bool, built only for pages that have nulls.
        var isPresent: [Bool] = []
        var indices: [UInt32] = []
    }

    func decode<Store: PhysicalValueStore>(_ chunk: [UInt8], as storeType: Store.Type) throws -> DecodedColumnChunk<Store> {
        var state = State(store: Store(context: valueContext))
        guard valueCount > 0 else {
            return DecodedColumnChunk(store: state.store, validity: nil)
        }
        // A capacity hint only: bounded by the chunk size so a lying row count reserves little.
        state.store.reserveCapacity(min(valueCount, chunk.count.multipliedReportingOverflow(by: 8).partialValue + 1024))

        var position = 0
        while state.slotsDone < valueCount {
            let pageOffset = fileOffset + position
            guard position < chunk.count else {
                throw ParquetError(.corruptPage, "the column chunk ends after \(state.slotsDone) of its \(valueCount) values")
            }
            do {
                var thrift = ThriftCompactReader(bytes: chunk, range: position..<chunk.count, maxDepth: limits.maxThriftNestingDepth)
                let header = try PageHeader(from: &thrift)
                position = thrift.position
                let bodySize = Int(header.compressedPageSize)
                guard header.compressedPageSize >= 0, header.uncompressedPageSize >= 0 else {
                    throw ParquetError(
                        .corruptPage, "negative page size (compressed \(header.compressedPageSize), uncompressed \(header.uncompressedPageSize))")
                }
                guard bodySize <= chunk.count - position else {
                    throw ParquetError(
                        .corruptPage,
                        "compressed_page_size \(bodySize) runs past the column chunk end (\(chunk.count - position) bytes left in the chunk)")
                }
                guard Int(header.uncompressedPageSize) <= limits.maxPageBytes else {
                    throw ParquetError(
                        .limitExceeded, "uncompressed_page_size \(header.uncompressedPageSize) is above the \(limits.maxPageBytes)-byte page limit")
                }
                let body = position..<position + bodySize
                position += bodySize
                try chunk.withUnsafeBytes { bytes in
                    try decodePage(header, body: UnsafeRawBufferPointer(rebasing: bytes[body]), state: &state)
                }
            } catch let error as ParquetError {
                throw ParquetError(error.kind, "page at offset \(pageOffset): \(error.detail)")
            }
        }
        return DecodedColumnChunk(store: state.store, validity: state.validity)
    }

    private func decodePage<Store>(_ header: PageHeader, body: UnsafeRawBufferPointer, state: inout State<Store>) throws {
        switch PageType(rawValue: header.type) {
        case .dictionaryPage:
            try decodeDictionaryPage(header, body: body, state: &state)
        case .dataPage:
            try decodeDataPageV1(header, body: body, state: &state)
        case .dataPageV2:
            try decodeDataPageV2(header, body: body, state: &state)
        case .indexPage, nil:
            // Index pages and page types from newer writers carry nothing a reader needs.
            return
        }
    }

    private func decodeDictionaryPage<Store>(_ header: PageHeader, body: UnsafeRawBufferPointer, state: inout State<Store>) throws {
        guard let dictionaryHeader = header.dictionaryPage else {
            throw ParquetError(.corruptPage, "dictionary page without a DictionaryPageHeader")
        }
        guard state.dictionary == nil, !state.sawDataPage else {
            throw ParquetError(.corruptPage, "a dictionary page must be the chunk's first page, and only one is allowed")
        }
        guard dictionaryHeader.numValues >= 0 else {
            throw ParquetError(.corruptPage, "dictionary page with \(dictionaryHeader.numValues) values")
        }
        // PLAIN_DICTIONARY (2) in a dictionary page means PLAIN.
        guard
            dictionaryHeader.encoding == ParquetEncoding.plain.rawValue
                || dictionaryHeader.encoding == ParquetEncoding.plainDictionary.rawValue
        else {
            throw ParquetError(.unsupported, "dictionary page encoding \(Self.encodingName(dictionaryHeader.encoding)) is not supported")
        }
        var dictionary = Store(context: valueContext)
        try PageDecompressor.withDecompressed(body, codec: codec, uncompressedSize: Int(header.uncompressedPageSize)) { page in
            try dictionary.appendDecoded(.plain, count: Int(dictionaryHeader.numValues), from: page)
        }
        state.dictionary = dictionary
    }

    private func decodeDataPageV1<Store>(_ header: PageHeader, body: UnsafeRawBufferPointer, state: inout State<Store>) throws {
        guard let pageHeader = header.dataPage else {
            throw ParquetError(.corruptPage, "data page without a DataPageHeader")
        }
        let slotCount = try checkedSlotCount(pageHeader.numValues, state: state)
        let encoding = try Self.encoding(pageHeader.encoding)
        try PageDecompressor.withDecompressed(body, codec: codec, uncompressedSize: Int(header.uncompressedPageSize)) { page in
            var reader = ByteReader(page)
            // A flat column has no repetition levels. Definition levels exist only for OPTIONAL
            // columns and, in V1 pages, start with their byte length.
            var presentCount = slotCount
            if descriptor.isNullable {
                let levelEncoding = try Self.encoding(pageHeader.definitionLevelEncoding)
                let levelBytes: UnsafeRawBufferPointer
                if levelEncoding == .bitPacked {
                    levelBytes = try reader.take(BitUnpacking.byteCount(values: slotCount, bitWidth: 1))
                } else {
                    let length = Int(try reader.readUInt32LittleEndian())
                    levelBytes = try reader.take(length)
                }
                presentCount = try DefinitionLevels.decode(
                    levelBytes, encoding: levelEncoding, count: slotCount, into: &state.levels)
            }
            try appendValues(encoding, presentCount: presentCount, slotCount: slotCount, data: reader.rest, state: &state)
        }
    }

    private func decodeDataPageV2<Store>(_ header: PageHeader, body: UnsafeRawBufferPointer, state: inout State<Store>) throws {
        guard let pageHeader = header.dataPageV2 else {
            throw ParquetError(.corruptPage, "V2 data page without a DataPageHeaderV2")
        }
        let slotCount = try checkedSlotCount(pageHeader.numValues, state: state)
        let encoding = try Self.encoding(pageHeader.encoding)
        let repetitionLength = Int(pageHeader.repetitionLevelsByteLength)
        let definitionLength = Int(pageHeader.definitionLevelsByteLength)
        guard repetitionLength >= 0, definitionLength >= 0, pageHeader.numNulls >= 0,
            repetitionLength + definitionLength <= body.count,
            repetitionLength + definitionLength <= Int(header.uncompressedPageSize)
        else {
            throw ParquetError(
                .corruptPage,
                "V2 level lengths (repetition \(repetitionLength), definition \(definitionLength)) do not fit the page (\(body.count) bytes, \(header.uncompressedPageSize) uncompressed)"
            )
        }
        // Levels are never compressed in V2 pages; they carry no length prefix.
        var presentCount = slotCount
        if descriptor.isNullable {
            let levels = UnsafeRawBufferPointer(rebasing: body[repetitionLength..<repetitionLength + definitionLength])
            presentCount = try DefinitionLevels.decode(
                levels, encoding: .rle, count: slotCount, into: &state.levels)
        }
        guard Int(pageHeader.numNulls) == slotCount - presentCount else {
            throw ParquetError(
                .corruptPage, "V2 page header says \(pageHeader.numNulls) nulls but the definition levels hold \(slotCount - presentCount)")
        }
        // Only the values are compressed, and only when is_compressed is true (its default);
        // pyarrow stores them raw whenever compression would not shrink them.
        let values = UnsafeRawBufferPointer(rebasing: body[(repetitionLength + definitionLength)...])
        let valuesCodec = pageHeader.isCompressed ? codec : .uncompressed
        let uncompressedValuesSize = Int(header.uncompressedPageSize) - repetitionLength - definitionLength
        try PageDecompressor.withDecompressed(values, codec: valuesCodec, uncompressedSize: uncompressedValuesSize) { data in
            try appendValues(encoding, presentCount: presentCount, slotCount: slotCount, data: data, state: &state)
        }
    }

    /// Decodes the non-null values of one page, then spreads them over the page's slots.
    private func appendValues<Store>(
        _ encoding: ParquetEncoding,
        presentCount: Int,
        slotCount: Int,
        data: UnsafeRawBufferPointer,
        state: inout State<Store>
    ) throws {
        state.sawDataPage = true
        if encoding.isDictionaryIndices {
            guard let dictionary = state.dictionary else {
                throw ParquetError(.corruptPage, "\(encoding) page but the chunk has no dictionary page")
            }
            if presentCount > 0 {
                // One byte of index bit width, then hybrid runs without a length prefix.
                var reader = ByteReader(data)
                let bitWidth = Int(try reader.readByte())
                var decoder = try RLEBitPackedHybridDecoder(bitWidth: bitWidth, data: reader.rest)
                state.indices.removeAll(keepingCapacity: true)
                try decoder.decode(count: presentCount, into: &state.indices)
                try state.store.appendGathered(from: dictionary, indices: state.indices)
            }
        } else {
            try state.store.appendDecoded(encoding, count: presentCount, from: data)
        }

        if descriptor.isNullable {
            let nullCount = slotCount - presentCount
            if nullCount > 0 {
                state.isPresent.removeAll(keepingCapacity: true)
                state.isPresent.append(contentsOf: state.levels.lazy.map { $0 != 0 })
                let slots = state.isPresent[...]
                state.store.spreadTrailingValues(over: slots, nonNullCount: presentCount)
                if state.validity == nil {
                    state.validity = ParquetValidity(allValid: state.slotsDone)
                }
                state.validity?.append(slots, nullCount: nullCount)
            } else {
                state.validity?.appendValid(count: slotCount)
            }
        }
        state.slotsDone += slotCount
        guard state.store.count == state.slotsDone else {
            throw ParquetError(.corruptPage, "decoded \(state.store.count) values where \(state.slotsDone) were expected")
        }
    }

    /// A page's `num_values` (nulls included) must fit in what the chunk still owes.
    private func checkedSlotCount<Store>(_ numValues: Int32, state: State<Store>) throws -> Int {
        let remaining = valueCount - state.slotsDone
        guard numValues >= 0, Int(numValues) <= remaining else {
            throw ParquetError(.corruptPage, "data page holds \(numValues) values but only \(remaining) of the chunk's \(valueCount) remain")
        }
        return Int(numValues)
    }

    private static func encoding(_ raw: Int32) throws -> ParquetEncoding {
        guard let encoding = ParquetEncoding(rawValue: raw) else {
            throw ParquetError(.unsupported, "encoding \(encodingName(raw)) is not supported")
        }
        return encoding
    }

    private static func encodingName(_ raw: Int32) -> String {
        if let known = ParquetEncoding(rawValue: raw) { return known.description }
        return raw == 10 ? "ALP (10)" : "#\(raw)"
    }
}
