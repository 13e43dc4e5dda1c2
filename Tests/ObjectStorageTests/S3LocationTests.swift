import Testing

@testable import ObjectStorage

@Suite struct S3LocationTests {
    @Test func objectPrefixAndBucket() throws {
        let object = try S3Location(parsing: "s3://my-bucket/data/file.parquet")
        #expect(object.bucket == "my-bucket")
        #expect(object.kind == .object(key: "data/file.parquet"))
        #expect(object.listingPrefix == "data/file.parquet")

        let prefix = try S3Location(parsing: "s3://my-bucket/data/")
        #expect(prefix.kind == .prefix("data/"))
        #expect(try S3Location(parsing: "s3://my-bucket").kind == .prefix(""))
        #expect(try S3Location(parsing: "s3://my-bucket/").kind == .prefix(""))
        #expect(try S3Location(parsing: "s3://b.with.dots/k").bucket == "b.with.dots")
    }

    @Test func globUsesTheLiteralTextBeforeTheFirstWildcardAsPrefix() throws {
        let glob = try S3Location(parsing: "s3://b12/logs/date=2026-12-0*/part-*.parquet")
        guard case .glob(let pattern) = glob.kind else {
            Issue.record("expected a glob, got \(glob.kind)")
            return
        }
        #expect(glob.listingPrefix == "logs/date=2026-12-0")
        #expect(pattern.matches("logs/date=2026-12-01/part-0.parquet"))
        #expect(try S3Location(parsing: "s3://b12/a/b?c").listingPrefix == "a/b")
        #expect(try S3Location(parsing: "s3://b12/[ab]/x").listingPrefix == "")
        #expect(try S3Location(parsing: "s3://b12/x/*").listingPrefix == "x/")
    }

    @Test func backslashMakesWildcardsLiteral() throws {
        let literal = try S3Location(parsing: #"s3://b12/odd\*name\?.txt"#)
        #expect(literal.kind == .object(key: "odd*name?.txt"))
        let mixed = try S3Location(parsing: #"s3://b12/a\[1]/*.txt"#)
        #expect(mixed.listingPrefix == "a[1]/")
    }

    @Test(arguments: [
        ("my-bucket/key", "does not start with s3://"),
        ("S3://bucket/key", "does not start with s3://"),
        ("https://bucket/key", "does not start with s3://"),
        ("s3:///key", "the bucket name is empty"),
        ("s3://", "the bucket name is empty"),
        ("s3://ab/key", "must be 3 to 63 characters"),
        ("s3://My_Bucket/key", "may hold only lower-case letters"),
        ("s3://-bucket/key", "may hold only lower-case letters"),
        ("s3://buck*/key", "has a wildcard; globs are allowed in the key only"),
        ("s3://bucket/logs/[abc", "a '[' without its closing ']'"),
        ("s3://bucket/logs/[]", "a '[' without its closing ']'"),
        ("s3://bucket/logs/[z-a]", "is reversed"),
        ("s3://bucket/logs/[a/b]", "'/' cannot be inside [...]"),
        (#"s3://bucket/logs/x\"#, "lone '\\'"),
    ])
    func invalidLocationsNameTheTextAndTheExpectedForm(text: String, problem: String) {
        #expect {
            try S3Location(parsing: text)
        } throws: { error in
            guard case ObjectStorageError.invalidLocation(let reported, let reportedProblem) = error else { return false }
            let message = "\(error)"
            return reported == text && reportedProblem.contains(problem) && message.contains("'\(text)'")
                && message.contains("Expected s3://bucket/key, s3://bucket/prefix/")
        }
    }
}

@Suite struct GlobPatternTests {
    private func matches(_ pattern: String, _ key: String) throws -> Bool {
        try GlobPattern(parsing: pattern).matches(key)
    }

    @Test func wildcardsStayWithinOneSegment() throws {
        #expect(try matches("logs/*/part-*.parquet", "logs/date=1/part-0.parquet"))
        #expect(try !matches("logs/*/part-*.parquet", "logs/a/b/part-0.parquet"))
        #expect(try !matches("logs/*", "logs/a/b"))
        #expect(try matches("logs/*", "logs/"))
        #expect(try !matches("a?c", "a/c"))
        #expect(try matches("*", "anything at all"))
        #expect(try matches("**.csv", "x.csv"))
    }

    @Test func questionMarkAndSets() throws {
        #expect(try matches("part-?.parquet", "part-7.parquet"))
        #expect(try !matches("part-?.parquet", "part-10.parquet"))
        #expect(try matches("day=0[1-3]", "day=02"))
        #expect(try !matches("day=0[1-3]", "day=04"))
        #expect(try matches("day=0[!1-3]", "day=04"))
        #expect(try matches("day=0[^1-3]", "day=09"))
        #expect(try matches("x[]]y", "x]y"))
        #expect(try matches("x[a-]y", "x-y"))
        #expect(try matches("ü[ñn]*", "üñé"))
    }

    @Test func backtrackingFindsLaterMatches() throws {
        #expect(try matches("*a*b*c", "xxaxxbxxbxxc"))
        #expect(try !matches("*a*b*c", "xxaxxbxxbxxcx"))
        #expect(try matches("a*a*a*a*b", String(repeating: "a", count: 40) + "b"))
        #expect(try !matches("a*a*a*a*b", String(repeating: "a", count: 40)))
    }
}
