import DriftData

/// Reads config.yaml's `s3:` section: where S3 objects are and how to sign for them. Credentials come from the AWS
/// environment variables or the `credentials_file` named here, never from config itself.
enum S3OptionsReader {
    static let example = "s3: {endpoint: http://127.0.0.1:9000, region: us-east-1, credentials_file: /etc/driftloop/aws-credentials}"

    static func read(_ node: YAMLNode, baseDirectory: String, reader: inout YAMLReader) -> S3Options {
        guard !node.isMissing, reader.requireMapping(node, example: Self.example) else { return S3Options() }
        reader.rejectUnknownKeys(node, allowed: ["endpoint", "region", "path_style", "credentials_file", "profile"])
        var options = S3Options()
        let endpointNode = node.child("endpoint")
        if let endpoint = reader.string(endpointNode) {
            if endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://") {
                options.endpoint = endpoint
            } else {
                reader.fail(endpointNode, "`s3.endpoint` must be an http(s) URL, for example `http://127.0.0.1:9000`")
            }
        }
        options.region = reader.string(node.child("region"))
        if !node.child("path_style").isMissing { options.pathStyle = reader.bool(node.child("path_style"), default: true) }
        options.credentialsFile = reader.string(node.child("credentials_file")).map { PathResolution.resolve($0, relativeTo: baseDirectory) }
        options.profile = reader.string(node.child("profile"))
        return options
    }
}
