/// An opened flat Parquet file: schema and row-group metadata from the footer, and column data
/// read on demand, one column chunk (one range read) at a time.
///
/// ```swift
/// let file = try ParquetFile.open(reading: try FileByteSource(path: path), name: path)
/// for column in try file.readColumns(["price", "day"]) { ... }
/// ```
package struct ParquetFile: Sendable {
    /// The name given at open; every error names it.
    package let name: String
    package let schema: ParquetSchema
    package let rowGroups: [ParquetRowGroupInfo]
    package let rowCount: Int
    /// FileMetaData.version (1 or 2; it does not decide page formats).
    package let formatVersion: Int
    package let createdBy: String?
    package let keyValueMetadata: [ParquetKeyValue]
    package let limits: ParquetReadLimits

    private let source: any ParquetByteSource

    /// Reads and checks the footer through `source`: the 8-byte tail, the FileMetaData, and
    /// the 4-byte leading magic. No column data is read.
    package static func open(
        reading source: some ParquetByteSource,
        name: String,
        limits: ParquetReadLimits = ParquetReadLimits()
    ) throws(ParquetError) -> ParquetFile {
        try withParquetErrorContext(fileName: name) {
            let footer = try FooterReader.read(from: source, limits: limits)
            let metadata = footer.metadata
            if metadata.hasEncryptionAlgorithm {
                throw ParquetError(
                    .unsupported, "the file is encrypted (plaintext footer with encryption_algorithm); encrypted Parquet files are not supported")
            }
            let schema = try ParquetSchema(elements: metadata.schema)
            let rowGroups = try RowGroupLayout.validate(
                metadata, schema: schema, metadataOffset: footer.metadataOffset, limits: limits)
            return ParquetFile(
                name: name,
                schema: schema,
                rowGroups: rowGroups,
                rowCount: Int(metadata.numRows),
                formatVersion: Int(metadata.version),
                createdBy: metadata.createdBy,
                keyValueMetadata: metadata.keyValueMetadata.map { ParquetKeyValue(key: $0.key, value: $0.value) },
                limits: limits,
                source: source)
        }
    }

    /// Opens a local file; the path is the name used in errors.
    package static func open(path: String, limits: ParquetReadLimits = ParquetReadLimits()) throws(ParquetError) -> ParquetFile {
        try open(reading: try FileByteSource(path: path), name: path, limits: limits)
    }

    private init(
        name: String, schema: ParquetSchema, rowGroups: [ParquetRowGroupInfo], rowCount: Int,
        formatVersion: Int, createdBy: String?, keyValueMetadata: [ParquetKeyValue],
        limits: ParquetReadLimits, source: any ParquetByteSource
    ) {
        self.name = name
        self.schema = schema
        self.rowGroups = rowGroups
        self.rowCount = rowCount
        self.formatVersion = formatVersion
        self.createdBy = createdBy
        self.keyValueMetadata = keyValueMetadata
        self.limits = limits
        self.source = source
    }

    /// Schema positions of the named columns (all columns for nil), in the order asked.
    package func columnIndices(_ names: [String]?) throws(ParquetError) -> [Int] {
        guard let names else { return Array(schema.columns.indices) }
        var indices: [Int] = []
        for name in names {
            guard let column = schema.column(named: name) else {
                let known = schema.columns.prefix(20).map { "`\($0.name)`" }.joined(separator: ", ")
                throw ParquetError(
                    .invalidRequest, "no column named `\(name)`; the columns are \(known)\(schema.columns.count > 20 ? ", ..." : "")",
                    fileName: self.name)
            }
            indices.append(column.index)
        }
        return indices
    }

    /// Reads and decodes the named columns (all for nil) of one row group. Each column chunk is
    /// one range read; columns not named are not read at all.
    package func readRowGroup(_ index: Int, columns names: [String]? = nil) throws(ParquetError) -> ParquetRowGroup {
        try readRowGroup(index, columnIndices: try columnIndices(names))
    }

    package func readRowGroup(_ index: Int, columnIndices: [Int]) throws(ParquetError) -> ParquetRowGroup {
        guard rowGroups.indices.contains(index) else {
            throw ParquetError(.invalidRequest, "row group \(index) does not exist (the file has \(rowGroups.count))", fileName: name)
        }
        let group = rowGroups[index]
        var columns: [ParquetColumn] = []
        columns.reserveCapacity(columnIndices.count)
        for columnIndex in columnIndices {
            guard schema.columns.indices.contains(columnIndex) else {
                throw ParquetError(
                    .invalidRequest, "column index \(columnIndex) does not exist (the file has \(schema.columns.count))", fileName: name)
            }
            columns.append(try readColumnChunk(group.columns[columnIndex], rowGroup: index))
        }
        return ParquetRowGroup(index: index, rowCount: group.rowCount, columns: columns)
    }

    /// Reads the named columns (all for nil) across every row group, appended into one column
    /// each. Memory is the kept columns plus one column chunk at a time.
    package func readColumns(_ names: [String]? = nil) throws(ParquetError) -> [ParquetColumn] {
        let indices = try columnIndices(names)
        var columns: [ParquetColumn]?
        var iterator = rowGroupIterator(columnIndices: indices)
        while let group = try iterator.next() {
            if var accumulated = columns {
                columns = nil  // keep each column's storage uniquely owned while appending
                for position in accumulated.indices {
                    try accumulated[position].append(contentsOf: group.columns[position])
                }
                columns = accumulated
            } else {
                columns = group.columns
            }
        }
        if let columns { return columns }
        // No row groups at all: empty columns of the right types, made by the same conversion
        // that typed columns with rows.
        return try withParquetErrorContext(fileName: name) {
            try indices.map { index in
                let decoder = ColumnChunkDecoder(
                    descriptor: schema.columns[index], codec: .uncompressed, valueCount: 0,
                    fileOffset: 0, limits: limits)
                return try ColumnValueConversion.decodeColumn([], with: decoder)
            }
        }
    }

    /// Iterates over row groups in file order, decoding only the named columns.
    package func rowGroupIterator(columns names: [String]? = nil) throws(ParquetError) -> ParquetRowGroupIterator {
        rowGroupIterator(columnIndices: try columnIndices(names))
    }

    package func rowGroupIterator(columnIndices: [Int]) -> ParquetRowGroupIterator {
        ParquetRowGroupIterator(file: self, columnIndices: columnIndices)
    }

    private func readColumnChunk(_ chunk: ParquetColumnChunkInfo, rowGroup: Int) throws(ParquetError) -> ParquetColumn {
        let descriptor = schema.columns[chunk.columnIndex]
        return try withParquetErrorContext(fileName: name, location: "row group \(rowGroup), column `\(descriptor.name)`") {
            guard let codec = chunk.codec else {
                throw ParquetError(.unsupported, "unknown compression codec \(chunk.codecID)")
            }
            guard codec.isSupported else {
                throw ParquetError(.unsupported, "compression codec \(codec) is not supported")
            }
            let bytes = try source.readChecked(
                offset: chunk.byteRange.lowerBound, count: chunk.byteRange.count, what: "the column chunk")
            let decoder = ColumnChunkDecoder(
                descriptor: descriptor, codec: codec, valueCount: chunk.valueCount,
                fileOffset: chunk.byteRange.lowerBound, limits: limits)
            return try ColumnValueConversion.decodeColumn(bytes, with: decoder)
        }
    }
}

/// Row groups one at a time, so a caller can process a file larger than memory.
package struct ParquetRowGroupIterator: Sendable {
    private let file: ParquetFile
    private let columnIndices: [Int]
    private var nextIndex = 0

    init(file: ParquetFile, columnIndices: [Int]) {
        self.file = file
        self.columnIndices = columnIndices
    }

    package mutating func next() throws(ParquetError) -> ParquetRowGroup? {
        guard nextIndex < file.rowGroups.count else { return nil }
        defer { nextIndex += 1 }
        return try file.readRowGroup(nextIndex, columnIndices: columnIndices)
    }
}
