import Foundation

/// The Parquet fixtures (the shared ones with their CSV twins) live with the format's tests; the table tests read
/// the same files from there.
enum DataFixtures {
    static let parquetDirectory: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.lastPathComponent != "Tests" { url.deleteLastPathComponent() }
        return url.appendingPathComponent("ParquetFormatTests/Fixtures").path
    }()

    static func parquet(_ name: String) -> String { "\(Self.parquetDirectory)/\(name).parquet" }
    static func csv(_ name: String) -> String { "\(Self.parquetDirectory)/\(name).csv" }
}
