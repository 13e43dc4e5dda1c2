/// The one error type the reader throws.
///
/// Every failure names the file (the `name` given to ``ParquetFile/open(reading:name:limits:)``),
/// where in it the problem sits (row group, column) when that is known, and what is wrong.
/// Decoders deep in the stack do not know the file name; they throw with an empty name and the
/// file layer fills in the name and location on the way out (see `ParquetError.located`).
package struct ParquetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Broad classes of failure, for callers that react differently to each.
    package enum Kind: String, Sendable, Equatable {
        /// The leading or trailing magic is not `PAR1`: not a Parquet file, or cut short.
        case badMagic
        /// The file or a structure inside it ends before its declared length.
        case truncated
        /// The footer (FileMetaData) cannot be decoded or contradicts itself.
        case corruptMetadata
        /// A page header, page body or encoded value stream is inconsistent.
        case corruptPage
        /// A valid Parquet feature that this reader does not implement (nested columns,
        /// encryption, some codecs and encodings).
        case unsupported
        /// A size read from the file is above a configured ``ParquetReadLimits`` value.
        case limitExceeded
        /// The caller asked for a column or row group that the file does not have.
        case invalidRequest
        /// The byte source failed to deliver the requested bytes.
        case io
    }

    package let kind: Kind
    /// The name the file was opened under.
    package internal(set) var fileName: String
    /// Row group and column, e.g. "row group 2, column `price`", when known.
    package internal(set) var location: String?
    /// What is wrong, in words.
    package let detail: String

    package init(_ kind: Kind, _ detail: String, fileName: String = "", location: String? = nil) {
        self.kind = kind
        self.detail = detail
        self.fileName = fileName
        self.location = location
    }

    package var description: String {
        var text = "Parquet file `\(fileName)`"
        if let location { text += ", \(location)" }
        return text + ": " + detail
    }

    /// Fills in the file name and, if not yet set, the location.
    package func located(fileName: String, location: String? = nil) -> ParquetError {
        var copy = self
        if copy.fileName.isEmpty { copy.fileName = fileName }
        if copy.location == nil { copy.location = location }
        return copy
    }
}

/// Runs `body` and turns whatever it throws into a ``ParquetError`` that names the file.
///
/// Internal code throws untyped errors (so it can use closures such as `withUnsafeBytes`
/// freely) but only ever throws `ParquetError` itself; a byte source may throw anything,
/// which becomes an `.io` error here.
package func withParquetErrorContext<T>(
    fileName: String,
    location: @autoclosure () -> String? = nil,
    _ body: () throws -> T
) throws(ParquetError) -> T {
    do {
        return try body()
    } catch let error as ParquetError {
        throw error.located(fileName: fileName, location: location())
    } catch {
        throw ParquetError(.io, "reading failed: \(error)", fileName: fileName, location: location())
    }
}
