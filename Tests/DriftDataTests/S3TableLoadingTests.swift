import CurlHTTP
import DriftStats
import Foundation
import ObjectStorage
import ParquetFormat
import Testing

@testable import DriftData

/// Tables read from S3 objects against the real S3-compatible server CI starts (moto, with signature checking on):
/// one object, a prefix across pages, a glob, and range reads that fetch only the kept columns.
@Suite(.enabled(if: S3Fixture.isAvailable, Comment(rawValue: S3Fixture.skipMessage)))
struct S3TableLoadingTests {
    @Test func oneParquetObjectReadsAsTheLocalFile() async throws {
        let s3 = try await S3Fixture()
        try await s3.put("churn/reference.parquet", file: DataFixtures.parquet("pa_dict_snappy_v1_multirg"))
        let remote = try await s3.loader().load("s3://\(s3.bucket)/churn/reference.parquet")
        let local = try await TableLoader(http: CurlHTTPClient()).load(DataFixtures.parquet("pa_dict_snappy_v1_multirg"))
        #expect(remote.rowCount == local.rowCount)
        #expect(remote.columnNames == local.columnNames)
        let analysis = DataDriftAnalysis()
        #expect(analysis.run(reference: remote, current: local).columns == analysis.run(reference: local, current: local).columns)
        #expect(remote.source?.source == "s3://\(s3.bucket)/churn/reference.parquet")
        #expect(remote.source?.format == "parquet")
    }

    @Test func aPrefixAcrossSeveralListingPagesIsOneDataset() async throws {
        let s3 = try await S3Fixture()
        for day in 1...7 { try await s3.put("logs/date=2026-12-0\(day)/part-0.parquet", file: DataFixtures.parquet("pa_dict_zstd_v2")) }
        try await s3.put("logs/README.txt", body: Data("not data".utf8))
        // Two keys per page: the seven objects take four pages.
        let loader = s3.loader(pageSize: 2)
        let glob = try await loader.load("s3://\(s3.bucket)/logs/date=2026-12-0*/part-*.parquet", columns: ["id", "f64"])
        #expect(glob.rowCount == 7 * 2000)
        #expect(glob.source?.objects == 7)
        let window = try await loader.load("s3://\(s3.bucket)/logs/date=2026-12-0[5-7]/*.parquet", columns: ["id"])
        #expect(window.rowCount == 3 * 2000)
        await #expect {
            _ = try await loader.load("s3://\(s3.bucket)/logs/", columns: ["id"])
        } throws: { "\($0)".contains("both Parquet and other objects") }
    }

    @Test func csvObjectsUnderAPrefixReadAsOneFile() async throws {
        let s3 = try await S3Fixture()
        try await s3.put("csv/a.csv", body: Data("x,y\n1,a\n2,b\n".utf8))
        try await s3.put("csv/b.csv", body: Data("x,y\n3,c\n".utf8))
        let table = try await s3.loader().load("s3://\(s3.bucket)/csv/")
        #expect(table.rowCount == 3)
        #expect(table["x"]?.storage == .integer)
        try await s3.put("csv/c.csv", body: Data("x,z\n4,d\n".utf8))
        await #expect {
            _ = try await s3.loader().load("s3://\(s3.bucket)/csv/")
        } throws: { "\($0)".contains("different headers") }
    }

    /// Reading 2 of 20 columns fetches under a quarter of the object's bytes, counted by the client.
    @Test func twoOfTwentyColumnsFetchUnderAQuarterOfTheObject() async throws {
        let s3 = try await S3Fixture()
        let path = DataFixtures.parquetDirectory + "/generated/wide_20_columns.parquet"
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        try await s3.put("wide.parquet", file: path)
        let file = try ParquetFile.open(path: path)
        let two = Array(file.schema.columns.map(\.name).prefix(2))
        let table = try await s3.loader().load("s3://\(s3.bucket)/wide.parquet", columns: two)
        #expect(table.columnNames == two)
        #expect(table.rowCount == file.rowCount)
        let fetched = try #require(table.source?.bytesFetched)
        #expect(fetched < size / 4, "fetched \(fetched) of \(size) bytes")
        let all = try await s3.loader().load("s3://\(s3.bucket)/wide.parquet")
        #expect((all.source?.bytesFetched ?? 0) >= size * 9 / 10, "all columns need nearly the whole object")
    }

    @Test func wrongCredentialsAMissingBucketOrKeyAndADownServerSayWhatToFix() async throws {
        let s3 = try await S3Fixture()
        try await s3.put("x.parquet", file: DataFixtures.parquet("pa_empty"))
        let badSecret = "definitely-not-the-secret"
        let wrong = TableLoader(http: CurlHTTPClient(), environment: S3Fixture.environment(secret: badSecret))
        await #expect {
            _ = try await wrong.load("s3://\(s3.bucket)/x.parquet")
        } throws: { error in
            "\(error)".contains("AWS_SECRET_ACCESS_KEY") && !"\(error)".contains(badSecret)
        }
        await #expect { _ = try await s3.loader().load("s3://no-such-bucket-\(s3.bucket)/x.parquet") } throws: { "\($0)".contains("bucket") }
        await #expect { _ = try await s3.loader().load("s3://\(s3.bucket)/missing.parquet") } throws: { "\($0)".contains("missing.parquet") }
        let down = TableLoader(http: CurlHTTPClient(), environment: S3Fixture.environment(endpoint: "http://127.0.0.1:1"))
        await #expect { _ = try await down.load("s3://\(s3.bucket)/x.parquet") } throws: { error in
            "\(error)".contains("127.0.0.1:1") && ("\(error)".contains("AWS_ENDPOINT_URL") || "\(error)".contains("endpoint"))
        }
        let none = TableLoader(http: CurlHTTPClient(), environment: [:])
        await #expect { _ = try await none.load("s3://\(s3.bucket)/x.parquet") } throws: { "\($0)".contains("AWS_ACCESS_KEY_ID") }
    }
}

/// A bucket of its own on the test S3 server (`scripts/s3_server.sh` sets the DRIFTLOOP_S3_* variables CI exports).
struct S3Fixture {
    static let skipMessage = "needs an S3 server: bash scripts/s3_server.sh start && eval \"$(bash scripts/s3_server.sh env)\""
    static var variables: [String: String] { ProcessInfo.processInfo.environment }
    static var isAvailable: Bool { variables["DRIFTLOOP_S3_ENDPOINT"] != nil && variables["DRIFTLOOP_S3_ACCESS_KEY_ID"] != nil }

    /// The standard AWS variables, as a user's process would have them.
    static func environment(secret: String? = nil, endpoint: String? = nil) -> [String: String] {
        [
            "AWS_ENDPOINT_URL_S3": endpoint ?? Self.variables["DRIFTLOOP_S3_ENDPOINT"] ?? "",
            "AWS_REGION": Self.variables["DRIFTLOOP_S3_REGION"] ?? "us-east-1",
            "AWS_ACCESS_KEY_ID": Self.variables["DRIFTLOOP_S3_ACCESS_KEY_ID"] ?? "",
            "AWS_SECRET_ACCESS_KEY": secret ?? Self.variables["DRIFTLOOP_S3_SECRET_ACCESS_KEY"] ?? "",
        ]
    }

    let client: S3Client
    let bucket: String

    init() async throws {
        var settings = try S3Settings.fromEnvironment(Self.environment())
        settings.maxAttempts = 1
        self.client = S3Client(settings: settings)
        self.bucket = "dl-data-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        try await self.client.createBucket(self.bucket)
    }

    func put(_ key: String, file: String) async throws {
        try await self.client.put(bucket: self.bucket, key: key, body: try Data(contentsOf: URL(fileURLWithPath: file)))
    }

    func put(_ key: String, body: Data) async throws {
        try await self.client.put(bucket: self.bucket, key: key, body: body)
    }

    func loader(pageSize: Int? = nil) -> TableLoader {
        var options = S3Options()
        options.listPageSize = pageSize
        return TableLoader(http: CurlHTTPClient(), s3: options, environment: Self.environment())
    }
}
