import CurlHTTP
import Foundation
import Testing

@testable import ObjectStorage

/// URL encoding and the XML S3 answers with: what a server checks the signature and key names against.
@Suite struct S3WireFormatTests {
    @Test func pathEncodingKeepsOnlyUnreservedCharactersAndSlashes() {
        // The expected values are botocore's (urllib.parse.quote(key, safe="/~")).
        #expect(S3URIEncoding.encodePath("dir/a b=c+d/é.txt") == "dir/a%20b%3Dc%2Bd/%C3%A9.txt")
        #expect(S3URIEncoding.encodePath("semi;colon,comma:at@") == "semi%3Bcolon%2Ccomma%3Aat%40")
        #expect(S3URIEncoding.encodePath("tilde~dash-under_score.") == "tilde~dash-under_score.")
        #expect(S3URIEncoding.encodePath("percent%20literal") == "percent%2520literal")
        #expect(S3URIEncoding.encodePath("日本") == "%E6%97%A5%E6%9C%AC")
    }

    @Test func queryIsEncodedAndSortedCanonically() {
        let query = S3URIEncoding.canonicalQuery([
            ("prefix", "a b/c=d+é"), ("list-type", "2"), ("continuation-token", "1/xyz=="), ("max-keys", "100"),
        ])
        #expect(query == "continuation-token=1%2Fxyz%3D%3D&list-type=2&max-keys=100&prefix=a%20b%2Fc%3Dd%2B%C3%A9")
    }

    @Test func pathStyleAndVirtualHostedURLs() throws {
        let local = try S3Endpoint.parse("http://127.0.0.1:9000", setting: "endpoint")
        #expect(try S3Addressing.pathStyle.url(endpoint: local, bucket: "bkt", key: "a b/c") == "http://127.0.0.1:9000/bkt/a%20b/c")
        #expect(
            try S3Addressing.pathStyle.url(endpoint: local, bucket: "bkt", key: nil, query: [("list-type", "2")])
                == "http://127.0.0.1:9000/bkt?list-type=2")
        let aws = S3Endpoint.aws(region: "eu-west-1")
        #expect(try S3Addressing.virtualHosted.url(endpoint: aws, bucket: "bkt", key: "k") == "https://bkt.s3.eu-west-1.amazonaws.com/k")
        #expect(
            try S3Addressing.virtualHosted.url(endpoint: aws, bucket: "bkt", key: nil, query: [("prefix", "p")])
                == "https://bkt.s3.eu-west-1.amazonaws.com/?prefix=p")
        // A dotted bucket would not match the *.s3 wildcard certificate: kept in the path.
        #expect(try S3Addressing.virtualHosted.url(endpoint: aws, bucket: "b.c", key: "k") == "https://s3.eu-west-1.amazonaws.com/b.c/k")
        let mounted = try S3Endpoint.parse("https://gw.example/s3/", setting: "endpoint")
        #expect(try S3Addressing.pathStyle.url(endpoint: mounted, bucket: "bkt", key: "k") == "https://gw.example/s3/bkt/k")
    }

    @Test(arguments: ["a/../b", "./a", "a/.", ""])
    func keysLibcurlWouldRewriteAreRefused(key: String) {
        let endpoint = S3Endpoint.aws(region: "us-east-1")
        #expect(throws: ObjectStorageError.self) { try S3Addressing.pathStyle.url(endpoint: endpoint, bucket: "bkt", key: key) }
    }

    @Test func errorDocuments() {
        let body = Data(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>a &amp; b</Key><RequestId>1</RequestId></Error>
            """.utf8)
        #expect(S3ErrorResponse.parse(body) == S3ErrorResponse(code: "NoSuchKey", message: "The specified key does not exist.", region: nil))
        let region = Data("<Error><Code>AuthorizationHeaderMalformed</Code><Message>wrong region</Message><Region>eu-west-1</Region></Error>".utf8)
        #expect(S3ErrorResponse.parse(region)?.region == "eu-west-1")
        #expect(S3ErrorResponse.parse(Data()) == nil)
        #expect(S3ErrorResponse.parse(Data("<html><body>502 Bad Gateway</body></html>".utf8)) == nil)
        #expect(S3ErrorResponse.parse(Data("<Error><Code>".utf8)) == nil)
    }

    @Test func listPages() throws {
        let body = Data(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
              <Name>bkt</Name><Prefix>p/</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys><IsTruncated>true</IsTruncated>
              <Contents><Key>p/a &lt;1&gt; </Key><LastModified>2026-12-01T00:00:00.000Z</LastModified>
                <ETag>&quot;9b2cf535f27731c974343645a3985328&quot;</ETag><Size>12</Size><StorageClass>STANDARD</StorageClass></Contents>
              <Contents><Key>p/é</Key><ETag>"abc-2"</ETag><Size>0</Size></Contents>
              <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
            </ListBucketResult>
            """.utf8)
        let page = try ListObjectsPage.parse(body)
        #expect(
            page.entries == [
                .init(key: "p/a <1> ", size: 12, etag: "9b2cf535f27731c974343645a3985328"), .init(key: "p/é", size: 0, etag: "abc-2"),
            ])
        #expect(page.isTruncated)
        #expect(page.nextContinuationToken == "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=")

        let last = try ListObjectsPage.parse(Data("<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>".utf8))
        #expect(last.entries.isEmpty && !last.isTruncated && last.nextContinuationToken == nil)
        #expect(throws: ListObjectsParseError.self) { try ListObjectsPage.parse(Data("<Error><Code>x</Code></Error>".utf8)) }
        #expect(throws: ListObjectsParseError.self) {
            try ListObjectsPage.parse(Data("<ListBucketResult><Contents><Key>k</Key></Contents></ListBucketResult>".utf8))
        }
    }

    @Test func contentRanges() {
        #expect(ContentRange.parse("bytes 0-99/1234") == ContentRange(range: 0..<100, completeLength: 1234))
        #expect(ContentRange.parse("bytes 5-5/*") == ContentRange(range: 5..<6, completeLength: nil))
        #expect(ContentRange.parse("bytes */1234") == ContentRange(range: nil, completeLength: 1234))
        #expect(ContentRange.parse("bytes 10-5/20") == nil)
        #expect(ContentRange.parse("bytes 0-20/20") == nil)
        #expect(ContentRange.parse("items 0-1/2") == nil)
        #expect(ByteRangeRequest.bounded(10..<20).headerValue == "bytes=10-19")
        #expect(ByteRangeRequest.suffix(8).headerValue == "bytes=-8")
    }

    @Test func partialAnswersShorterThanAnnouncedAreTransient() {
        let response = HTTPResponse(status: 206, headers: [("Content-Range", "bytes 0-99/1000")], body: Data(count: 60))
        #expect {
            try FetchedRange.from(response, request: .bounded(0..<100), url: "s3://b/k")
        } throws: { error in
            (error as? ObjectStorageError)?.isTransient == true && "\(error)".contains("60 of 100 bytes")
        }
    }
}
