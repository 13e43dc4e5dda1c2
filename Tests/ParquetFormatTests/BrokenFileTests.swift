import Foundation
import Testing

@testable import ParquetFormat

/// Broken files are refused with a ParquetError that names the file and the problem.
@Suite("Broken and unsupported files are refused")
struct BrokenFileTests {
    /// Opens and decodes everything; the first ParquetError is what a caller would see.
    static func readEverything(_ source: some ParquetByteSource, name: String, limits: ParquetReadLimits = ParquetReadLimits()) throws(ParquetError) {
        let file = try ParquetFile.open(reading: source, name: name, limits: limits)
        _ = try file.readColumns()
    }

    static func error(reading bytes: [UInt8], name: String = "mutated.parquet", limits: ParquetReadLimits = ParquetReadLimits()) -> ParquetError? {
        do {
            try readEverything(MemoryByteSource(bytes: bytes), name: name, limits: limits)
            return nil
        } catch {
            return error
        }
    }

    @Test("each broken fixture fails as its sidecar says", arguments: FixtureFiles.brokenCases)
    func brokenFixture(_ name: String) throws {
        let sidecar = try FixtureFiles.json("broken/\(name).json")
        let path = FixtureFiles.path("broken/\(name).parquet")
        let error = #expect(throws: ParquetError.self) {
            try Self.readEverything(try FileByteSource(path: path), name: path)
        }
        let message = error?.description ?? ""
        #expect(message.contains(path), "the message names the file: \(message)")
        switch sidecar["error_kind"] as? String {
        case "truncated":
            #expect(error?.kind == .badMagic)
            #expect(message.contains("trailing magic") && message.contains("truncated"), "\(message)")
        case "bad_magic":
            #expect(error?.kind == .badMagic)
            #expect(message.contains("leading magic") && message.contains("PAR0"), "\(message)")
        case "corrupt_page":
            #expect(error?.kind == .corruptPage)
            #expect(
                message.contains("column `name`") && message.contains("compressed_page_size 8191")
                    && message.contains("runs past the column chunk"), "\(message)")
        default:
            Issue.record("unknown error_kind in \(name).json")
        }
    }

    @Test(
        "nested columns are refused naming the column",
        arguments: [
            ("generated/nested_struct.parquet", "a.b"),
            ("generated/nested_list.parquet", "tags.list.element"),
        ])
    func nestedColumnsAreRefused(_ file: String, _ column: String) throws {
        let error = #expect(throws: ParquetError.self) {
            _ = try ParquetFile.open(path: FixtureFiles.path(file))
        }
        #expect(error?.kind == .unsupported)
        #expect(error?.detail == "nested column `\(column)` is not supported; driftloop reads flat tables")
    }

    @Test("an encrypted footer (PARE magic) is refused as unsupported")
    func encryptedFooter() throws {
        var bytes = try FixtureFiles.bytes("pa_bss_zstd_v1.parquet")
        bytes.replaceSubrange(bytes.count - 4..<bytes.count, with: Array("PARE".utf8))
        let error = Self.error(reading: bytes)
        #expect(error?.kind == .unsupported)
        #expect(error?.detail.contains("encrypted") == true)
    }

    @Test("a footer length larger than the file is refused before anything is allocated")
    func oversizedFooterLength() throws {
        var bytes = try FixtureFiles.bytes("pa_bss_zstd_v1.parquet")
        bytes.replaceSubrange(bytes.count - 8..<bytes.count - 4, with: [0xF0, 0xFF, 0xFF, 0xFF])
        let error = Self.error(reading: bytes)
        #expect(error?.kind == .truncated)
        #expect(error?.detail.contains("footer length 4294967280 does not fit") == true, "\(String(describing: error))")
    }

    @Test("a footer length that points into the data is a corrupt footer")
    func shiftedFooterLength() throws {
        var bytes = try FixtureFiles.bytes("pa_bss_zstd_v1.parquet")
        let length = Int(bytes[bytes.count - 8]) | Int(bytes[bytes.count - 7]) << 8
        let wrong = length + 3
        bytes[bytes.count - 8] = UInt8(wrong & 0xFF)
        bytes[bytes.count - 7] = UInt8(wrong >> 8)
        let error = Self.error(reading: bytes)
        #expect(error?.kind == .corruptMetadata, "\(String(describing: error))")
    }

    @Test("files shorter than 12 bytes are refused")
    func tinyFiles() {
        for size in [0, 4, 8, 11] {
            let error = Self.error(reading: Array("PAR1PAR1PAR1".utf8.prefix(size)))
            #expect(error?.kind == .truncated)
        }
    }

    @Test("limits: footer, rows per row group and page size are enforced")
    func limitsAreEnforced() throws {
        let bytes = try FixtureFiles.bytes("pa_dict_snappy_v1_multirg.parquet")
        var limits = ParquetReadLimits()
        limits.maxFooterBytes = 100
        #expect(Self.error(reading: bytes, limits: limits)?.kind == .limitExceeded)

        limits = ParquetReadLimits()
        limits.maxRowsPerRowGroup = 399
        #expect(Self.error(reading: bytes, limits: limits)?.kind == .limitExceeded)

        limits = ParquetReadLimits()
        limits.maxPageBytes = 100
        let error = Self.error(reading: bytes, limits: limits)
        #expect(error?.kind == .limitExceeded)
        #expect(error?.location?.contains("row group 0, column `id`") == true)

        limits = ParquetReadLimits()
        limits.maxDecodedBytesPerColumnChunk = 1000
        #expect(Self.error(reading: bytes, limits: limits)?.kind == .limitExceeded)
    }

    @Test("unknown columns and row groups are reported with the file name")
    func badRequests() throws {
        let file = try ParquetFile.open(path: FixtureFiles.path("pa_bss_zstd_v1.parquet"))
        let missing = #expect(throws: ParquetError.self) { _ = try file.readColumns(["nope"]) }
        #expect(missing?.kind == .invalidRequest)
        #expect(missing?.description.contains("no column named `nope`") == true)
        #expect(missing?.description.contains("pa_bss_zstd_v1.parquet") == true)
        let group = #expect(throws: ParquetError.self) { _ = try file.readRowGroup(5) }
        #expect(group?.kind == .invalidRequest)
    }
}
