import CurlHTTP
import Foundation
import Testing

@testable import ObjectStorage

/// The client against a real S3-compatible server (moto, signatures checked): see `TestS3`.
@Suite(.enabled(if: TestS3.isAvailable, Comment(rawValue: TestS3.skipMessage)))
struct S3ClientTests {
    @Test func headAndGetOneObject() async throws {
        let client = try TestS3.client()
        let bucket = try await TestS3.freshBucket(client)
        let body = TestS3.bytes(count: 10_000)
        try await client.put(bucket: bucket, key: "data/one.bin", body: body)

        let info = try await client.head(bucket: bucket, key: "data/one.bin")
        #expect(info.size == 10_000)
        #expect(info.key == "data/one.bin")
        // moto's ETag for a single-part upload is the MD5 hex digest, 32 characters, quotes removed.
        #expect(info.etag?.count == 32)
        #expect(try await client.get(bucket: bucket, key: "data/one.bin") == body)
        #expect(try await client.resolve(S3Location(parsing: "s3://\(bucket)/data/one.bin")) == [info])
    }

    @Test func listingFollowsContinuationTokensAcrossPages() async throws {
        let client = try TestS3.client()
        let bucket = try await TestS3.freshBucket(client)
        let keys = (0..<250).map { String(format: "many/item-%04d.txt", $0) }
        try await TestS3.put(keys.map { ($0, Data($0.utf8)) }, bucket: bucket, client: client)
        try await client.put(bucket: bucket, key: "other/outside.txt", body: Data("x".utf8))

        // Three pages of at most 100: only the continuation-token loop reaches items 100 to 249.
        let paged = try await client.list(bucket: bucket, prefix: "many/", pageSize: 100)
        #expect(paged.map(\.key) == keys)
        #expect(paged.allSatisfy { $0.size == $0.key.utf8.count && $0.bucket == bucket })
        let onePage = try await client.list(bucket: bucket, prefix: "many/")
        #expect(onePage == paged)
        let everything = try await client.list(bucket: bucket, pageSize: 7)
        #expect(everything.count == 251)
    }

    @Test func resolveFiltersByGlobSortedByKey() async throws {
        let client = try TestS3.client()
        let bucket = try await TestS3.freshBucket(client)
        let keys = [
            "logs/date=2026-12-01/part-0.parquet", "logs/date=2026-12-01/part-1.parquet", "logs/date=2026-12-01/_SUCCESS",
            "logs/date=2026-12-09/part-0.parquet", "logs/date=2026-12-10/part-0.parquet", "logs/date=2026-11-30/part-0.parquet",
            "logs/date=2026-12-02/nested/part-0.parquet", "logs/readme.txt",
        ]
        try await TestS3.put(keys.map { ($0, Data($0.utf8)) }, bucket: bucket, client: client)

        let matched = try await client.resolve(S3Location(parsing: "s3://\(bucket)/logs/date=2026-12-0*/part-*.parquet"))
        #expect(
            matched.map(\.key) == [
                "logs/date=2026-12-01/part-0.parquet", "logs/date=2026-12-01/part-1.parquet", "logs/date=2026-12-09/part-0.parquet",
            ])
        let sets = try await client.resolve(S3Location(parsing: "s3://\(bucket)/logs/date=2026-1[12]-?0/part-[!1].parquet"))
        #expect(sets.map(\.key) == ["logs/date=2026-11-30/part-0.parquet", "logs/date=2026-12-10/part-0.parquet"])
        let prefix = try await client.resolve(S3Location(parsing: "s3://\(bucket)/logs/date=2026-12-01/"))
        #expect(prefix.map(\.key) == ["logs/date=2026-12-01/_SUCCESS", "logs/date=2026-12-01/part-0.parquet", "logs/date=2026-12-01/part-1.parquet"])

        let nothing = await objectStorageError { try await client.resolve(S3Location(parsing: "s3://\(bucket)/logs/date=2027-*/part-*.parquet")) }
        guard case .nothingMatched(_, let listedPrefix, let listedCount)? = nothing else {
            Issue.record("expected nothingMatched, got \(String(describing: nothing))")
            return
        }
        #expect(listedPrefix == "logs/date=2027-")
        #expect(listedCount == 0)
        #expect("\(nothing!)".contains("s3://\(bucket)/logs/date=2027-*/part-*.parquet"))
        let noneOfListed = await objectStorageError { try await client.resolve(S3Location(parsing: "s3://\(bucket)/logs/*.csv")) }
        #expect("\(noneOfListed.map { "\($0)" } ?? "")".contains("found 8 objects"))
    }

    @Test func rangeReadsAndSuffixReads() async throws {
        let client = try TestS3.client()
        let bucket = try await TestS3.freshBucket(client)
        let body = TestS3.bytes(count: 100_000)
        try await client.put(bucket: bucket, key: "r.bin", body: body)

        #expect(try await client.get(bucket: bucket, key: "r.bin", range: 10...19) == body[10...19])
        #expect(try await client.get(bucket: bucket, key: "r.bin", range: 99_990...200_000) == body[99_990...])
        let tail = try await client.getTail(bucket: bucket, key: "r.bin", count: 8)
        #expect(tail.objectSize == 100_000)
        #expect(tail.bytes == body.suffix(8))
        let longerThanObject = try await client.getTail(bucket: bucket, key: "r.bin", count: 1_000_000)
        #expect(longerThanObject.bytes == body)
        #expect(longerThanObject.objectSize == 100_000)

        let pastEnd = await objectStorageError { try await client.get(bucket: bucket, key: "r.bin", range: 100_000...100_010) }
        guard case .rangeNotSatisfiable? = pastEnd else {
            Issue.record("expected rangeNotSatisfiable, got \(String(describing: pastEnd))")
            return
        }
    }

    @Test func prefetchFetchesOnlyTheRangesAskedFor() async throws {
        let client = try TestS3.client()
        let bucket = try await TestS3.freshBucket(client)
        let body = TestS3.bytes(count: 2_000_000, seed: 7)
        try await client.put(bucket: bucket, key: "table.parquet", body: body)

        // The footer first, as a Parquet reader does: the size comes with it.
        let footer = try await client.prefetch(bucket: bucket, key: "table.parquet", ranges: [], tail: 1024)
        #expect(footer.objectSize == 2_000_000)
        #expect(footer.bytesFetched == 1024)
        #expect(footer.requestCount == 1)
        #expect(try footer.tail(count: 8) == Array(body.suffix(8)))

        // Two column chunks 50 bytes apart (one request with the gap) and a third far away (its own request).
        let chunks = try await client.prefetch(
            bucket: bucket, key: "table.parquet", ranges: [0..<100, 150..<200, 1_500_000..<1_500_100, 160..<170])
        #expect(chunks.requestCount == 2)
        #expect(chunks.bytesFetched == 300)
        #expect(chunks.fetchedRanges == [0..<200, 1_500_000..<1_500_100])
        let cache = footer.merging(chunks)
        #expect(cache.bytesFetched == 1324)
        #expect(try cache.read(offset: 150, count: 50) == Array(body[150..<200]))
        #expect(try cache.read(offset: 1_500_010, count: 90) == Array(body[1_500_010..<1_500_100]))
        #expect(try cache.read(offset: 1_999_000, count: 1000) == Array(body[1_999_000...]))
        // The budget: far below the 2 MB object.
        #expect(cache.bytesFetched < 2_000)

        let outside = #expect(throws: ObjectStorageError.self) { try cache.read(offset: 1000, count: 10) }
        #expect("\(outside.map { "\($0)" } ?? "")".contains("Bytes 1000..<1010 of s3://\(bucket)/table.parquet were not prefetched"))

        // Without a gap allowance the near ranges stay separate requests; at most two run at a time.
        let separate = try await client.prefetch(
            bucket: bucket, key: "table.parquet", ranges: [0..<100, 150..<200, 300..<400],
            options: PrefetchOptions(coalescingGap: 0, maxConcurrentRequests: 2))
        #expect(separate.requestCount == 3)
        #expect(separate.bytesFetched == 250)
    }

    @Test(arguments: [
        "dir/a b=c+d/é.txt", "sp ace.txt", "plus+sign", "eq=uals", "ünï/日本語.csv", "semi;colon,comma:at@", "tilde~dash-under_score",
        "quote'paren(x)!$&", "percent%20literal", "hash#frag", "date=2026-12-01/part 0.parquet",
    ])
    func keysWithSpecialCharacters(key: String) async throws {
        let client = try TestS3.client()
        let bucket = try await TestS3.freshBucket(client)
        let body = Data("contents of \(key)".utf8)
        try await client.put(bucket: bucket, key: key, body: body)
        try await client.put(bucket: bucket, key: key + ".sibling", body: Data())

        #expect(try await client.head(bucket: bucket, key: key).size == body.count)
        #expect(try await client.get(bucket: bucket, key: key) == body)
        #expect(try await client.get(bucket: bucket, key: key, range: 0...7) == body.prefix(8))
        // The key as prefix: its characters travel in the query string, signed there.
        #expect(try await client.list(bucket: bucket, prefix: key).map(\.key) == [key, key + ".sibling"])
        let escaped = key.map { GlobPattern.wildcardCharacters.contains($0) || $0 == "\\" ? "\\\($0)" : String($0) }.joined()
        #expect(try await client.resolve(S3Location(parsing: "s3://\(bucket)/\(escaped)*")).map(\.key) == [key, key + ".sibling"])
    }

    @Test func wrongSecretNamesTheSettingNeverTheSecret() async throws {
        let secret = "wrong-secret-\(UUID().uuidString)"
        let client = try TestS3.client(secretAccessKey: secret)
        for operation in [
            { _ = try await client.list(bucket: "dl-any-bucket") }, { _ = try await client.get(bucket: "dl-any-bucket", key: "k") },
            { _ = try await client.head(bucket: "dl-any-bucket", key: "k") },
        ] as [@Sendable () async throws -> Void] {
            let error = await objectStorageError { try await operation() }
            guard case .credentialsRejected(let code, let keyID, .environment, _)? = error else {
                Issue.record("expected credentialsRejected, got \(String(describing: error))")
                continue
            }
            #expect(code == "SignatureDoesNotMatch")
            #expect(keyID == TestS3.accessKeyID)
            let message = "\(error!)"
            #expect(message.contains("AWS_SECRET_ACCESS_KEY"))
            #expect(message.contains(TestS3.accessKeyID!))
            #expect(!message.contains(secret))
            #expect(!error!.isTransient)
        }
    }

    @Test func unknownAccessKeyNamesTheKeyID() async throws {
        let client = try TestS3.client(accessKeyID: "AKIADRIFTLOOPUNKNOWN")
        let error = await objectStorageError { try await client.get(bucket: "dl-any-bucket", key: "k") }
        guard case .credentialsRejected("InvalidAccessKeyId", "AKIADRIFTLOOPUNKNOWN", .environment, _)? = error else {
            Issue.record("expected credentialsRejected(InvalidAccessKeyId), got \(String(describing: error))")
            return
        }
        let message = "\(error!)"
        #expect(message.contains("AKIADRIFTLOOPUNKNOWN") && message.contains("AWS_ACCESS_KEY_ID"))
        #expect(!message.contains(TestS3.secretAccessKey!))
    }

    @Test func credentialsFileIsUsedAndNamedInErrors() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dl-s3-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("credentials").path
        let badSecret = "bad-\(UUID().uuidString)"
        try """
        [default]
        aws_access_key_id = \(TestS3.accessKeyID!)
        aws_secret_access_key = \(TestS3.secretAccessKey!)

        [broken]
        aws_access_key_id=\(TestS3.accessKeyID!)
        aws_secret_access_key=\(badSecret)
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let good = S3Client(settings: try S3Settings(endpoint: TestS3.endpoint, region: TestS3.region, credentialsFile: path, environment: [:]))
        let bucket = try await TestS3.freshBucket(good)
        #expect(try await good.list(bucket: bucket).isEmpty)

        var settings = try S3Settings(endpoint: TestS3.endpoint, region: TestS3.region, credentialsFile: path, profile: "broken", environment: [:])
        settings.maxAttempts = 1
        let error = await objectStorageError { try await S3Client(settings: settings).list(bucket: bucket) }
        let message = error.map { "\($0)" } ?? ""
        #expect(message.contains("SignatureDoesNotMatch"))
        #expect(message.contains("aws_secret_access_key in profile [broken] of \(path)"))
        #expect(!message.contains(badSecret))
    }

    @Test func missingBucketAndMissingKey() async throws {
        let client = try TestS3.client()
        let bucket = try await TestS3.freshBucket(client)
        let absent = "dl-absent-\(UUID().uuidString.prefix(8).lowercased())"

        for operation in [
            { _ = try await client.get(bucket: absent, key: "k") }, { _ = try await client.head(bucket: absent, key: "k") },
            { _ = try await client.list(bucket: absent) },
        ] as [@Sendable () async throws -> Void] {
            let error = await objectStorageError { try await operation() }
            guard case .noSuchBucket(absent, TestS3.endpoint!)? = error else {
                Issue.record("expected noSuchBucket, got \(String(describing: error))")
                continue
            }
            #expect("\(error!)".contains("bucket '\(absent)' does not exist at \(TestS3.endpoint!)"))
        }
        for operation in [
            { _ = try await client.get(bucket: bucket, key: "no/such key") }, { _ = try await client.head(bucket: bucket, key: "no/such key") },
            { _ = try await client.getTail(bucket: bucket, key: "no/such key", count: 10) },
        ] as [@Sendable () async throws -> Void] {
            let error = await objectStorageError { try await operation() }
            guard case .noSuchKey(bucket, "no/such key")? = error else {
                Issue.record("expected noSuchKey, got \(String(describing: error))")
                continue
            }
            #expect("\(error!)".contains("s3://\(bucket)/no/such key does not exist"))
        }
    }

    @Test func serverDownNamesTheEndpointAndTheVariable() async throws {
        // Port 1 on loopback: nothing listens there, the connection is refused at once.
        var settings = try S3Settings.fromEnvironment(TestS3.awsEnvironment(endpoint: "http://127.0.0.1:1"))
        settings.maxAttempts = 2
        let error = await objectStorageError { try await S3Client(settings: settings).get(bucket: "dl-bucket", key: "k") }
        guard case .endpointUnreachable(let endpoint, let curlError)? = error else {
            Issue.record("expected endpointUnreachable, got \(String(describing: error))")
            return
        }
        #expect(endpoint == "http://127.0.0.1:1")
        #expect(curlError.code == 7)
        #expect(error!.isTransient)
        let message = "\(error!)"
        #expect(message.contains("http://127.0.0.1:1") && message.contains("AWS_ENDPOINT_URL_S3"))
        #expect(!message.contains(TestS3.secretAccessKey!))
    }

    @Test(.enabled(if: TestS3.sessionToken != nil, "needs DRIFTLOOP_S3_SESSION_* from scripts/s3_server.sh"))
    func sessionTokenIsSentAndChecked() async throws {
        let client = try TestS3.client(
            accessKeyID: TestS3.sessionAccessKeyID, secretAccessKey: TestS3.sessionSecretAccessKey, sessionToken: TestS3.sessionToken)
        #expect(client.settings.credentials.hasSessionToken)
        #expect(!"\(client.settings)".contains(TestS3.sessionToken!))
        let bucket = try await TestS3.freshBucket(client)
        try await client.put(bucket: bucket, key: "k", body: Data("session".utf8))
        #expect(try await client.get(bucket: bucket, key: "k") == Data("session".utf8))

        let wrongToken = "not-the-token-\(UUID().uuidString)"
        let rejected = try TestS3.client(
            accessKeyID: TestS3.sessionAccessKeyID, secretAccessKey: TestS3.sessionSecretAccessKey, sessionToken: wrongToken)
        let error = await objectStorageError { try await rejected.get(bucket: bucket, key: "k") }
        guard case .credentialsRejected("InvalidToken", _, .environment, _)? = error else {
            Issue.record("expected credentialsRejected(InvalidToken), got \(String(describing: error))")
            return
        }
        let message = "\(error!)"
        #expect(message.contains("AWS_SESSION_TOKEN"))
        #expect(!message.contains(wrongToken) && !message.contains(TestS3.sessionToken!))
    }

    @Test func emptyObjectHasAnEmptyTail() async throws {
        let client = try TestS3.client()
        let bucket = try await TestS3.freshBucket(client)
        try await client.put(bucket: bucket, key: "empty", body: Data())
        #expect(try await client.head(bucket: bucket, key: "empty").size == 0)
        let tail = try await client.getTail(bucket: bucket, key: "empty", count: 8)
        #expect(tail.bytes.isEmpty)
        #expect(tail.objectSize == 0)
    }
}
