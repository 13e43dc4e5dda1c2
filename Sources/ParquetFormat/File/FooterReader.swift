/// Reads and decodes the footer with two range reads: the last 8 bytes (footer length and
/// magic), then the FileMetaData itself. The leading magic costs one more 4-byte read.
enum FooterReader {
    static let magic: [UInt8] = Array("PAR1".utf8)
    static let encryptedFooterMagic: [UInt8] = Array("PARE".utf8)
    /// Leading magic, footer length, trailing magic.
    static let minimumFileSize = 12

    struct Footer {
        var metadata: FileMetaData
        /// File offset where the FileMetaData starts; column chunks must end before it.
        var metadataOffset: Int
    }

    static func read(from source: some ParquetByteSource, limits: ParquetReadLimits) throws -> Footer {
        let size = source.size
        guard size >= minimumFileSize else {
            throw ParquetError(.truncated, "not a Parquet file: \(size) bytes is shorter than the 12 bytes of magic and footer length")
        }
        let tail = try source.readChecked(offset: size - 8, count: 8, what: "the footer length and trailing magic")
        let trailingMagic = Array(tail[4..<8])
        if trailingMagic == encryptedFooterMagic {
            throw ParquetError(.unsupported, "the footer is encrypted (trailing magic PARE); encrypted Parquet files are not supported")
        }
        guard trailingMagic == magic else {
            throw ParquetError(.badMagic, "bad trailing magic \(describe(trailingMagic)) (expected \"PAR1\"): the file is truncated or not Parquet")
        }
        let head = try source.readChecked(offset: 0, count: 4, what: "the leading magic")
        guard head == magic else {
            throw ParquetError(.badMagic, "bad leading magic \(describe(head)) (expected \"PAR1\"): not a Parquet file")
        }

        let footerLength = Int(UInt32(tail[0]) | UInt32(tail[1]) << 8 | UInt32(tail[2]) << 16 | UInt32(tail[3]) << 24)
        guard footerLength <= size - minimumFileSize else {
            throw ParquetError(.truncated, "footer length \(footerLength) does not fit in the \(size)-byte file")
        }
        guard footerLength <= limits.maxFooterBytes else {
            throw ParquetError(.limitExceeded, "footer length \(footerLength) is above the \(limits.maxFooterBytes)-byte limit")
        }
        let metadataOffset = size - 8 - footerLength
        let footer = try source.readChecked(offset: metadataOffset, count: footerLength, what: "the footer")
        var reader = ThriftCompactReader(bytes: footer, range: 0..<footer.count, maxDepth: limits.maxThriftNestingDepth)
        do {
            let metadata = try FileMetaData(from: &reader)
            return Footer(metadata: metadata, metadataOffset: metadataOffset)
        } catch let error as ParquetError {
            throw ParquetError(
                .corruptMetadata, "footer (FileMetaData at offset \(metadataOffset), \(footerLength) bytes) is corrupt: \(error.detail)")
        }
    }

    /// Printable ASCII as text, anything else as hex, so the message shows what was found.
    static func describe(_ bytes: [UInt8]) -> String {
        if bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            return "\"" + String(decoding: bytes, as: UTF8.self) + "\""
        }
        return "0x"
            + bytes.map { byte in
                let hex = String(byte, radix: 16)
                return hex.count == 1 ? "0" + hex : hex
            }.joined()
    }
}
