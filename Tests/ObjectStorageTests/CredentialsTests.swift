import Foundation
import Testing

@testable import ObjectStorage

@Suite struct CredentialsFileTests {
    let text = """
        # comment
        ; another comment
        [default]
        aws_access_key_id = AKIADEFAULT
        aws_secret_access_key = default/secret+key=

        [profile ci]
        AWS_ACCESS_KEY_ID=AKIACI
        aws_secret_access_key=ci-secret
        aws_session_token = FwoGZXIvYXdzE=

        [empty]
        aws_access_key_id = AKIAEMPTY
        """

    @Test func profilesKeysAndSessionTokens() throws {
        let file = try CredentialsFile.parse(self.text, path: "/x/credentials")
        let defaults = try file.credentials(profile: "default")
        #expect(defaults.accessKeyID == "AKIADEFAULT")
        #expect(defaults.secretAccessKey == "default/secret+key=")
        #expect(defaults.sessionToken == nil)
        #expect(defaults.source == .file(path: "/x/credentials", profile: "default"))
        let ci = try file.credentials(profile: "ci")
        #expect(ci.accessKeyID == "AKIACI")
        #expect(ci.sessionToken == "FwoGZXIvYXdzE=")
        #expect(!"\(ci)".contains("ci-secret") && !"\(ci)".contains("FwoGZXIvYXdzE="))
    }

    @Test func missingProfileListsTheOnesThere() throws {
        let file = try CredentialsFile.parse(self.text, path: "/x/credentials")
        #expect {
            try file.credentials(profile: "prod")
        } throws: { error in
            "\(error)"
                == "The S3 credentials file /x/credentials has no profile [prod] (it has [ci], [default], [empty]). Add the profile or choose another."
        }
        #expect {
            try file.credentials(profile: "empty")
        } throws: { error in
            "\(error)".contains("aws_secret_access_key is missing") && "\(error)".contains("profile [empty] of the credentials file /x/credentials")
        }
    }

    @Test func malformedLinesAreNamedByNumberNeverShown() {
        #expect {
            try CredentialsFile.parse("[default]\naws_access_key_id = A\nsupersecretvalue\n", path: "/x/c")
        } throws: { error in
            "\(error)".contains("/x/c is malformed at line 3") && !"\(error)".contains("supersecretvalue")
        }
        #expect {
            try CredentialsFile.parse("aws_secret_access_key = topsecret\n[default]\n", path: "/x/c")
        } throws: { error in
            "\(error)".contains("line 1") && !"\(error)".contains("topsecret")
        }
    }

    @Test func unreadableFileSaysWhy() {
        #expect {
            try S3Settings(credentialsFile: "/nonexistent/dl/credentials", environment: [:])
        } throws: { error in
            "\(error)".contains("Cannot read the S3 credentials file /nonexistent/dl/credentials: it does not exist")
        }
    }
}

@Suite struct S3SettingsTests {
    let keys = ["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "env-secret"]

    @Test func awsDefaultsWithoutAnEndpoint() throws {
        let settings = try S3Settings.fromEnvironment(self.keys)
        #expect(settings.endpointURL == "https://s3.us-east-1.amazonaws.com")
        #expect(settings.region == "us-east-1")
        #expect(settings.addressing == .virtualHosted)
        #expect(settings.credentials.source == .environment)
        #expect(!settings.credentials.hasSessionToken)
        #expect(!"\(settings)".contains("env-secret"))

        let regional = try S3Settings.fromEnvironment(self.keys.merging(["AWS_DEFAULT_REGION": "eu-west-1"]) { $1 })
        #expect(regional.endpointURL == "https://s3.eu-west-1.amazonaws.com")
        let both = try S3Settings.fromEnvironment(self.keys.merging(["AWS_DEFAULT_REGION": "eu-west-1", "AWS_REGION": "ap-south-1"]) { $1 })
        #expect(both.region == "ap-south-1")
    }

    @Test func endpointVariablesSelectPathStyle() throws {
        let s3Specific = try S3Settings.fromEnvironment(
            self.keys.merging(["AWS_ENDPOINT_URL": "http://general:1", "AWS_ENDPOINT_URL_S3": "http://127.0.0.1:9000/"]) { $1 })
        #expect(s3Specific.endpointURL == "http://127.0.0.1:9000")
        #expect(s3Specific.addressing == .pathStyle)
        let general = try S3Settings.fromEnvironment(self.keys.merging(["AWS_ENDPOINT_URL": "https://minio.internal"]) { $1 })
        #expect(general.endpointURL == "https://minio.internal")
        #expect(general.addressing == .pathStyle)
    }

    @Test func explicitValuesWinOverTheEnvironment() throws {
        let environment = self.keys.merging(["AWS_REGION": "eu-west-1", "AWS_ENDPOINT_URL_S3": "http://env:1"]) { $1 }
        let settings = try S3Settings(endpoint: "https://ceph.example:7480", region: "us-west-2", pathStyle: false, environment: environment)
        #expect(settings.endpointURL == "https://ceph.example:7480")
        #expect(settings.region == "us-west-2")
        #expect(settings.addressing == .virtualHosted)
        let aws = try S3Settings(region: "eu-central-1", environment: self.keys)
        #expect(aws.endpointURL == "https://s3.eu-central-1.amazonaws.com")
    }

    @Test func sessionTokenFromTheEnvironment() throws {
        let settings = try S3Settings.fromEnvironment(self.keys.merging(["AWS_SESSION_TOKEN": "tok"]) { $1 })
        #expect(settings.credentials.hasSessionToken)
        #expect(settings.credentials.sessionToken == "tok")
        #expect(!"\(settings)".contains("tok,") && "\(settings)".contains("session token ***"))
    }

    @Test func missingCredentialsNameTheVariablesLookedFor() {
        #expect {
            try S3Settings.fromEnvironment(["AWS_REGION": "us-east-1"])
        } throws: { error in
            let message = "\(error)"
            return message.contains("AWS_ACCESS_KEY_ID") && message.contains("AWS_SECRET_ACCESS_KEY") && message.contains("AWS_SESSION_TOKEN")
                && message.contains("credentials file")
        }
        #expect {
            try S3Settings.fromEnvironment(["AWS_ACCESS_KEY_ID": "AKIA", "AWS_SECRET_ACCESS_KEY": "  "])
        } throws: { error in
            "\(error)"
                == "Incomplete S3 credentials in the environment variables AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY: AWS_SECRET_ACCESS_KEY is missing or empty."
        }
    }

    @Test(arguments: ["127.0.0.1:9000", "ftp://host", "http://", "http://user:pw@host", "http://host/?x=1"])
    func unusableEndpointsNameTheSetting(endpoint: String) {
        #expect {
            try S3Settings.fromEnvironment(self.keys.merging(["AWS_ENDPOINT_URL_S3": endpoint]) { $1 })
        } throws: { error in
            "\(error)".contains("AWS_ENDPOINT_URL_S3 = '\(endpoint)'") && "\(error)".contains("expected http(s)://host[:port]")
        }
    }

    @Test func badRegion() {
        #expect(throws: ObjectStorageError.self) { try S3Settings(region: "us east 1", environment: self.keys) }
    }
}
