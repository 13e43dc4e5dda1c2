import Foundation
import ParquetFormat

/// The fixtures live in the source tree next to the tests (copied from the shared reference
/// data so the package stands alone), found relative to this file.
enum FixtureFiles {
    static let directory: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // ParquetFormatTests
        .appendingPathComponent("Fixtures").path

    /// The shared fixtures with CSV twins, as listed in MANIFEST.json (broken ones aside).
    static let sharedCases = [
        "pa_plain_uncompressed_v1",
        "pa_dict_snappy_v1_multirg",
        "pa_dict_zstd_v2",
        "pa_delta_gzip_v2",
        "pa_delta_lz4raw_v1",
        "pa_bss_zstd_v1",
        "pa_brotli_v1",
        "pa_decimal_int_storage",
        "pa_edge_cases",
        "pa_empty",
        "pandas_default",
        "duckdb_default",
        "duckdb_v2_zstd",
        "polars_default",
    ]

    static let brokenCases = [
        "broken_truncated_footer",
        "broken_bad_magic",
        "broken_page_size_overrun",
    ]

    static func path(_ relative: String) -> String {
        directory + "/" + relative
    }

    static func bytes(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path(relative))))
    }

    static func json(_ relative: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path(relative)))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }
}

/// An in-memory file, for mutated bytes.
struct MemoryByteSource: ParquetByteSource {
    let bytes: [UInt8]
    var size: Int { bytes.count }

    func read(offset: Int, count: Int) throws -> [UInt8] {
        Array(bytes[offset..<offset + count])
    }
}
