/// Validates the footer's row groups against the schema and the file, and works out the byte
/// range of every column chunk, so reading can trust them.
enum RowGroupLayout {
    static func validate(
        _ metadata: FileMetaData,
        schema: ParquetSchema,
        metadataOffset: Int,
        limits: ParquetReadLimits
    ) throws -> [ParquetRowGroupInfo] {
        guard metadata.numRows >= 0 else {
            throw ParquetError(.corruptMetadata, "the footer declares \(metadata.numRows) rows")
        }
        var infos: [ParquetRowGroupInfo] = []
        infos.reserveCapacity(metadata.rowGroups.count)
        var totalRows: Int64 = 0
        for (groupIndex, group) in metadata.rowGroups.enumerated() {
            let place = "row group \(groupIndex)"
            guard let numRows = group.numRows, numRows >= 0 else {
                throw ParquetError(.corruptMetadata, "\(place) has no valid row count")
            }
            guard numRows <= Int64(limits.maxRowsPerRowGroup) else {
                throw ParquetError(.limitExceeded, "\(place) declares \(numRows) rows, above the limit of \(limits.maxRowsPerRowGroup)")
            }
            let (sum, overflow) = totalRows.addingReportingOverflow(numRows)
            guard !overflow else {
                throw ParquetError(.corruptMetadata, "the row groups' row counts overflow 64 bits")
            }
            totalRows = sum
            guard group.columns.count == schema.columns.count else {
                throw ParquetError(.corruptMetadata, "\(place) has \(group.columns.count) column chunks for \(schema.columns.count) schema columns")
            }
            var chunks: [ParquetColumnChunkInfo] = []
            chunks.reserveCapacity(group.columns.count)
            for (columnIndex, chunk) in group.columns.enumerated() {
                chunks.append(
                    try chunkInfo(
                        chunk, column: schema.columns[columnIndex], rowCount: Int(numRows),
                        metadataOffset: metadataOffset, place: place))
            }
            infos.append(
                ParquetRowGroupInfo(
                    index: groupIndex, rowCount: Int(numRows),
                    totalByteSize: Int(clamping: group.totalByteSize), columns: chunks))
        }
        guard totalRows == metadata.numRows else {
            throw ParquetError(.corruptMetadata, "the footer declares \(metadata.numRows) rows but its row groups hold \(totalRows)")
        }
        return infos
    }

    private static func chunkInfo(
        _ chunk: ColumnChunkMetaData,
        column: ParquetColumnDescriptor,
        rowCount: Int,
        metadataOffset: Int,
        place: String
    ) throws -> ParquetColumnChunkInfo {
        let where_ = "\(place), column `\(column.name)`"
        if chunk.isEncrypted {
            throw ParquetError(.unsupported, "\(where_) is encrypted; encrypted Parquet files are not supported")
        }
        if let path = chunk.filePath, !path.isEmpty {
            throw ParquetError(.unsupported, "\(where_) is stored in another file (`\(path)`), which is not supported")
        }
        guard chunk.hasMetaData else {
            throw ParquetError(.corruptMetadata, "\(where_) has no ColumnMetaData")
        }
        guard chunk.type == column.physicalType.rawValue else {
            throw ParquetError(
                .corruptMetadata, "\(where_) has physical type \(chunk.type.map(String.init) ?? "none") but the schema says \(column.physicalType)")
        }
        guard chunk.pathInSchema == [column.name] else {
            throw ParquetError(.corruptMetadata, "\(where_) has path_in_schema `\(chunk.pathInSchema.joined(separator: "."))`")
        }
        guard let numValues = chunk.numValues, numValues == Int64(rowCount) else {
            throw ParquetError(.corruptMetadata, "\(where_) holds \(chunk.numValues.map(String.init) ?? "no") values for \(rowCount) rows")
        }
        let codecID = chunk.codec ?? -1
        let encodings = chunk.encodings.compactMap(ParquetEncoding.init(rawValue:))
        let compressedSize = chunk.totalCompressedSize ?? -1

        // An empty chunk is never read: pyarrow writes data_page_offset 0 (the magic) for it.
        var byteRange = 0..<0
        if numValues > 0 {
            guard let dataPageOffset = chunk.dataPageOffset else {
                throw ParquetError(.corruptMetadata, "\(where_) has no data_page_offset")
            }
            var start = dataPageOffset
            // Arrow's rule: the dictionary page comes first when its offset is set and smaller.
            if let dictionaryOffset = chunk.dictionaryPageOffset, dictionaryOffset > 0, dictionaryOffset < start {
                start = dictionaryOffset
            }
            guard compressedSize > 0, start >= Int64(FooterReader.magic.count),
                start < Int64(metadataOffset), compressedSize <= Int64(metadataOffset) - start
            else {
                throw ParquetError(
                    .corruptMetadata,
                    "\(where_): chunk at offset \(start) with total_compressed_size \(compressedSize) lies outside the data area (4..<\(metadataOffset))"
                )
            }
            byteRange = Int(start)..<Int(start + compressedSize)
        }
        return ParquetColumnChunkInfo(
            columnIndex: column.index,
            codec: ParquetCompressionCodec(rawValue: codecID),
            codecID: codecID,
            encodings: encodings,
            valueCount: Int(numValues),
            compressedSize: Int(clamping: compressedSize),
            uncompressedSize: Int(clamping: chunk.totalUncompressedSize),
            byteRange: byteRange)
    }
}
