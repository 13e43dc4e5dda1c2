/// How a table's bytes are laid out.
package enum TableFormat: String, Sendable, Equatable {
    case csv, parquet

    /// Parquet files begin with `PAR1`; anything else is read as CSV.
    static func detect(leadingBytes: some Collection<UInt8>) -> TableFormat {
        Array(leadingBytes.prefix(4)) == Array("PAR1".utf8) ? .parquet : .csv
    }

    /// By name, for remote objects whose first bytes are not fetched yet: `.parquet`/`.parq`/`.pq` (any case).
    static func guess(fileName: String) -> TableFormat? {
        let lowered = fileName.lowercased()
        if lowered.hasSuffix(".parquet") || lowered.hasSuffix(".parq") || lowered.hasSuffix(".pq") { return .parquet }
        if lowered.hasSuffix(".csv") || lowered.hasSuffix(".txt") || lowered.hasSuffix(".tsv") { return .csv }
        return nil
    }
}
